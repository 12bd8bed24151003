"""The terminal contracts from DESIGN.md, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT


def run_cli(settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CAREERBOT_DATA_DIR": str(settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )


def test_ask_json_prints_the_contract_object(built_settings):
    result = run_cli(built_settings, "ask", "--json", "should my github projects have a readme")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"answer", "in_scope", "sources"}
    assert data["in_scope"] is True and "readme" in data["answer"].lower()
    source = data["sources"][0]
    assert set(source) == {"title", "text", "score"} and isinstance(source["score"], float)
    article = (
        PROJECT_ROOT / "knowledge/articles/how-to-get-a-machine-learning-internship.md"
    ).read_text()
    # the passages it quotes from one section, not the section or the article
    assert all(len(passage) < 1000 for passage in source["text"].split("\n\n"))
    assert len(source["text"]) < len(article) / 4
    assert all(line.lstrip("- ") in article for line in source["text"].splitlines())


def test_ask_file_prints_one_object_per_line_in_order(built_settings, tmp_path):
    questions = [
        "kaggle worth it?",
        "will it snow in oslo tomorrow",
        "",
        "do i need a phd to get into google",
    ]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions), encoding="utf-8")
    result = run_cli(built_settings, "ask", "--json", "--file", str(path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4  # a blank line gets its own reply, so output lines align with input
    assert [line["in_scope"] for line in lines] == [True, False, False, True]
    assert lines[1]["sources"] == [] and lines[2]["sources"] == []
    assert "Kaggle" in lines[0]["answer"]


def test_ask_never_imports_torch(built_settings):
    code = (
        "import sys; from bot.terminal.cli import main; main(['ask','--json','kaggle worth it?']); "
        "print('TORCH' if 'torch' in sys.modules or 'sentence_transformers' in sys.modules else 'CLEAN')"
    )
    env = {
        **os.environ,
        "CAREERBOT_DATA_DIR": str(built_settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(built_settings.knowledge_dir),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.stdout.strip().splitlines()[-1] == "CLEAN", result.stderr


def test_chat_answers_from_stdin(built_settings):
    result = run_cli(built_settings, "chat", stdin="is ML an entry level job\n/nonsense\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "not an entry-level role" in result.stdout
    assert "[1] How to Get a Machine Learning Internship" in result.stdout
    assert "Unknown command /nonsense" in result.stdout


def test_missing_index_is_a_clear_error(tmp_path):
    from bot.config import get_settings

    empty = get_settings(CAREERBOT_DATA_DIR=tmp_path / "nothing")
    result = run_cli(empty, "ask", "--json", "hello there")
    assert result.returncode == 2
    assert "make ingest" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nothing").exists()  # refused before anything was created


@pytest.mark.parametrize("args", [["ask"], ["ask", "--json", "--file", "/nonexistent/q.txt"]])
def test_ask_usage_errors(built_settings, args):
    result = run_cli(built_settings, *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
