"""`careerbot eval`: hit@1/hit@3/MRR per retriever and the out-of-scope confusion matrix."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.core.answers.evaluation import (
    RetrievalScores,
    ScopeConfusion,
    first_hit_rank,
    load_eval_set,
)
from bot.core.answers.scope import judge_scope
from bot.knowledge.text import normalise
from bot.terminal.gaps_report import print_knowledge_gaps

MODES = ("hybrid", "dense", "bm25")


def evaluate(settings: Settings, embedder, questions_path: Path) -> dict:
    """Run the labelled set through each retriever on the same chunks and the same vectors."""
    from bot.core.answers.service import AnswerService

    labelled = load_eval_set(questions_path)
    service = AnswerService.open(settings, embedder, "hybrid")
    prepared = [service.prepare(item.question) for item in labelled]
    vectors = embedder.embed_documents([service.embedding_text(p) for p in prepared])
    rows = []
    confusion = ScopeConfusion()
    for mode in MODES:
        service.kb.retriever.mode = mode
        scores = RetrievalScores(mode)
        for item, prep, vector in zip(labelled, prepared, vectors, strict=True):
            retrieval = service.kb.retriever.retrieve(
                prep.text, vector, k=10, keyword_query=service.glossary.expand(prep.text)
            )
            if mode == "hybrid":
                verdict = judge_scope(prep.text, vector, retrieval.top_dense, service.anchors)
                confusion.add(item.expect is not None, verdict.in_scope, item.question)
            if item.expect is not None:
                texts = [r.passage.text for r in retrieval.passages]
                scores.add(first_hit_rank(texts, item.expect), item.question)
        rows.append(scores)
    service.kb.retriever.mode = "hybrid"
    in_scope = [item for item in labelled if item.expect is not None]
    answers = service.answer_many([item.question for item in in_scope])
    quoted = sum(
        normalise(item.expect).lower() in normalise(answer.text).lower()
        for item, answer in zip(in_scope, answers, strict=True)
    )
    return {
        "answer_quotes_labelled_sentence": quoted / (len(in_scope) or 1),
        "sentences_per_answer": sum(len(a.points) for a in answers) / (len(answers) or 1),
        "questions_file": str(questions_path),
        "embedder": embedder.name,
        "retrievers": [r.row() for r in rows],
        "misses_at_3": {r.name: r.misses for r in rows},
        "scope": confusion.row(),
        "wrongly_declined": confusion.wrongly_declined,
        "wrongly_answered": confusion.wrongly_answered,
    }


def run_eval(settings: Settings, questions_path: Path | None, as_json: bool = False) -> int:
    from bot.knowledge.onnx_embedder import load_query_embedder

    path = questions_path or settings.knowledge_dir / "eval" / "questions.yaml"
    report = evaluate(settings, load_query_embedder(settings.index_dir, settings.embedder), path)
    if as_json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{'retriever':<10} {'hit@1':>7} {'hit@3':>7} {'MRR':>7}  (n={report['retrievers'][0]['questions']})"
    )
    for row in report["retrievers"]:
        print(
            f"{row['retriever']:<10} {row['hit@1']:>7.1%} {row['hit@3']:>7.1%} {row['mrr']:>7.3f}"
        )
    print(
        f"\nanswers quoting the labelled sentence: {report['answer_quotes_labelled_sentence']:.1%} "
        f"({report['sentences_per_answer']:.2f} sentences per answer)"
    )
    scope = report["scope"]
    print("\nout-of-scope detection (shipped retriever):")
    print(f"{'':<22}{'answered':>10}{'declined':>10}")
    print(
        f"{'labelled in scope':<22}{scope['in_scope_answered']:>10}{scope['in_scope_declined']:>10}"
    )
    print(
        f"{'labelled out of scope':<22}{scope['out_of_scope_answered']:>10}{scope['out_of_scope_declined']:>10}"
    )
    print(
        f"out of scope declined: {scope['declined_rate_out']:.1%}; "
        f"in scope wrongly declined: {scope['wrongly_declined_rate_in']:.1%}"
    )
    for question in report["wrongly_answered"]:
        print(f"  answered but out of scope: {question}")
    for question in report["wrongly_declined"]:
        print(f"  declined but in scope: {question}")
    print_knowledge_gaps(settings)
    return 0
