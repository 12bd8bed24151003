"""`careerbot eval`'s set registry: test2 is held out like test, loaded by name, reported apart."""

from __future__ import annotations

from bot.config import Settings
from bot.terminal.eval_report import SETS, load_sets, print_report, sets_with_misses

TINY_SET = """questions:
- {q: 'what do interns earn', kind: real, source: 'https://example.org/t/1', coverage: uncovered}
- q: is kaggle worth it
  kind: real
  source: https://example.org/t/2
  coverage: covered
  sections: [Build a Machine Learning Portfolio]
  expect: [Join a Kaggle community]
  must_mention:
  - [Kaggle]
"""


def _row(n: int) -> dict:
    return {
        "questions": n,
        "answerable": 1,
        "passage_in_sources": 1.0,
        "must_mention": 1.0,
        "key_facts_within_limit": 1.0,
        "key_facts_count": "1/1",
        "wrongly_declined": 0,
        "uncovered": 1,
        "declined": 1,
        "too_long": 0,
        "lede_shown": "0/1",
    }


def test_both_test_sets_are_held_out_and_development_sets_are_not():
    assert SETS["test2"] == ("test2.yaml", True)
    assert SETS["test"][1] and not SETS["dev"][1] and not SETS["legacy"][1]


def test_test2_loads_by_name_from_the_knowledge_dir(tmp_path):
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "test2.yaml").write_text(TINY_SET, encoding="utf-8")
    sets = load_sets(Settings(knowledge_dir=tmp_path), ["test2", "dev"], None)
    assert list(sets) == ["test2"]  # dev.yaml is absent from this knowledge dir: skipped
    assert [(q.kind, q.coverage) for q in sets["test2"]] == [
        ("real", "uncovered"),
        ("real", "covered"),
    ]


def test_misses_are_listed_for_development_sets_only():
    assert sets_with_misses(["dev", "legacy", "test", "test2"], True) == {"dev", "legacy"}
    assert sets_with_misses(["dev", "test2"], False) == set()


def test_the_report_labels_test2_held_out_apart_from_dev(capsys):
    row = _row(2)
    report = {
        "sets": {
            "dev": {
                "questions": 2,
                "careerbot": {"all": row},
                "naive_rag": {"all": row},
                "misses": [{"q": "a dev miss", "problems": ["answered"], "reply": "x"}],
            },
            "test2": {"questions": 2, "careerbot": {"all": row}, "naive_rag": {"all": row}},
        }
    }
    print_report(report)
    out = capsys.readouterr().out
    assert "== test2 (2 questions; HELD OUT: aggregates only) ==" in out
    assert "== dev (2 questions; development: tuned on) ==" in out
    assert out.index("== dev") < out.index("a dev miss") < out.index("== test2")
