"""Unmapping the embedding table's pages after a call changes no vector, and spares written pages.

Linux only, like the deployment: the pages are found in /proc/self/smaps."""

from __future__ import annotations

import mmap

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.core.answers.evaluation import load_eval_set
from bot.knowledge.memory import LARGE_MAPPING, PageReleaser, clean_mappings


class KeepPages:
    def release(self) -> None:
        """Leaves every page mapped: the reference the release is compared with."""


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "table.bin"
    path.write_bytes(bytes(range(256)) * (LARGE_MAPPING // 256 + 4096))
    return path


def test_a_read_mapping_is_found_and_stays_readable_after_release(big_file):
    with big_file.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as table:
        before = bytes(table[::4096])
        assert len(clean_mappings(big_file)) == 1
        pages = PageReleaser(big_file)
        pages.release()
        assert len(pages.ranges) == 1
        assert bytes(table[::4096]) == before


def test_a_written_private_mapping_is_left_alone(big_file):
    with big_file.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as table:
        table[0] = 255  # a copy-on-write page: unmapping it would lose the write
        pages = PageReleaser(big_file)
        pages.release()
        assert pages.ranges == []
        assert table[0] == 255


def test_small_mappings_and_other_files_are_not_touched(big_file, tmp_path):
    other = tmp_path / "other.bin"
    other.write_bytes(b"x" * 8192)
    with big_file.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ):
        assert clean_mappings(other) == []
        assert clean_mappings(big_file, min_bytes=big_file.stat().st_size + 1) == []


def test_the_embedder_releases_its_table_and_gives_the_same_vectors(built_settings):
    from bot.knowledge.onnx_embedder import OnnxEmbedder, onnx_file

    questions = [q.question for q in load_eval_set(PROJECT_ROOT / "knowledge/eval/questions.yaml")]
    releasing = OnnxEmbedder(onnx_file(built_settings.index_dir))
    keeping = OnnxEmbedder(onnx_file(built_settings.index_dir))
    keeping._weights_pages = KeepPages()
    reference = keeping.embed_documents(questions)
    for _ in range(2):  # the second round reads pages faulted back in after a release
        assert np.array_equal(releasing.embed_documents(questions), reference)
        assert np.array_equal(
            releasing.embed_query(questions[3]), keeping.embed_query(questions[3])
        )
    assert releasing._weights_pages.ranges, "the embedding table is no longer a mapping of its own"
