"""What the term bridge costs: loading knowledge/lang/terms.yaml, and matching one message in
another language at the longest the bot reads (1,000 characters), per script.

    python benchmarks/term_bridge.py

Messages: question sentences written for this script (Korean, Chinese, Japanese, Russian,
Portuguese, Hindi), each repeated to 1,000 characters: the worst case, full of spellings to find.
Only the match runs here (no model): the rest of a bridged answer is the normal answer path's.
"""

from __future__ import annotations

import time

import common

from bot.knowledge.term_bridge import TERMS, TermBridge

REPEATS = 2_000
MESSAGE_CHARS = 1_000  # bot/core/answers/prepare.py MAX_QUESTION_CHARS
SENTENCES = {
    "ko": "비전공자인데 포트폴리오와 이력서는 어떻게 준비해야 하나요? 머신러닝 인턴이 되고 싶어요. ",
    "zh": "非科班如何找机器学习实习？简历和作品集怎么写？需要学线性代数和概率吗？",
    "ja": "機械学習のインターンに応募するには何を勉強すべきですか？履歴書とポートフォリオも必要ですか？",
    "ru": "Как получить стажировку по машинному обучению без опыта? Нужно ли портфолио и резюме? ",
    "pt": "Como montar um portfólio e um currículo para estágio em ciência de dados sem experiência? ",
    "hi": "मशीन लर्निंग इंटर्नशिप कैसे पाएं? क्या पोर्टफोलियो और रिज्यूमे जरूरी है? ",
}


def message(sentence: str) -> str:
    return (sentence * (MESSAGE_CHARS // len(sentence) + 1))[:MESSAGE_CHARS]


def main() -> int:
    run = common.Run("term_bridge")
    path = common.ROOT / "knowledge" / TERMS
    load_ms = []
    for _ in range(20):
        started = time.perf_counter()
        bridge = TermBridge.load(path)
        load_ms.append((time.perf_counter() - started) * 1000)
    results: dict = {"terms": bridge.terms, "load_ms": common.summary_ms(load_ms), "match_ms": {}}
    for language, sentence in SENTENCES.items():
        text = message(sentence)
        bridge.match(text)  # warm-up
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            bridge.match(text)
            samples.append((time.perf_counter() - started) * 1000)
        results["match_ms"][language] = common.summary_ms(samples)
        found = [t.english for t in bridge.match(text)]
        print(
            f"{language}: {len(text)} chars, p50 {results['match_ms'][language]['p50']} ms, "
            f"p95 {results['match_ms'][language]['p95']} ms, terms: {', '.join(found)}"
        )
    print(f"load: p50 {results['load_ms']['p50']} ms ({bridge.terms} terms)")
    run.finish(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
