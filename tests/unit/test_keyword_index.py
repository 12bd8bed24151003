"""The bot's numpy BM25 scorer gives exactly bm25s's scores, and snaps typos to the corpus."""

from __future__ import annotations

import numpy as np

from bot.knowledge.index import read_passages
from bot.knowledge.keyword_index import KeywordIndex


def test_loaded_scores_equal_bm25s(built_settings):
    passages = read_passages(built_settings)
    built = KeywordIndex.build(passages)
    loaded = KeywordIndex.load(built_settings.index_dir / "bm25")
    for question in (
        "kaggle worth it",
        "projects above experience on my resume",
        "phd phd google",
        "zzz qqq",
    ):
        ids = [built._vocabulary[t] for t in built.query_terms(question)]
        reference = np.asarray(built._retriever.get_scores(ids)) if ids else np.zeros(len(passages))
        assert np.allclose(reference, loaded.scores(question))
    assert loaded.scores("zzz qqq").max() == 0


def test_typos_snap_to_the_vocabulary(built_settings):
    index = KeywordIndex.load(built_settings.index_dir / "bm25")
    assert index.query_terms("kagle portfollio") == ["kaggle", "portfolio"]
    best = index.passage_ids[int(np.argmax(index.scores("kagle")))]
    assert best == index.passage_ids[int(np.argmax(index.scores("kaggle")))]
