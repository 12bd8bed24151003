"""The ONNX weights file is replaced by a new file at each export, never rewritten in place."""

from __future__ import annotations

import mmap

import numpy as np

from bot.knowledge.onnx_embedder import WEIGHTS_NAME, _save_with_external_weights


def _model(fill: float):
    from onnx import TensorProto, helper, numpy_helper

    weights = numpy_helper.from_array(np.full((64, 16), fill, dtype=np.float32), name="w")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])],
        initializer=[weights],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_a_second_export_writes_a_new_weights_file_and_leaves_a_mapped_one_intact(tmp_path):
    import onnx
    from onnx import numpy_helper

    target = tmp_path / "model.onnx"
    _save_with_external_weights(_model(1.0), target)
    weights = tmp_path / WEIGHTS_NAME
    size = weights.stat().st_size
    with weights.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as old:
        _save_with_external_weights(_model(2.0), target)
        assert np.frombuffer(old[:16], dtype=np.float32).tolist() == [1.0] * 4  # still the old
    assert weights.stat().st_size == size  # not appended to the old file
    loaded = onnx.load(str(target))
    assert numpy_helper.to_array(loaded.graph.initializer[0]).flat[0] == 2.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx", WEIGHTS_NAME]
