"""ONNX export, ONNX Runtime and INT8 static quantization (small models, a few seconds)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mobilenet_lab import MobileNetV1
from mobilenet_lab.inference import fold_for_inference

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")

from mobilenet_lab.onnx_export import OnnxModel, export_onnx  # noqa: E402
from mobilenet_lab.quantize import quantize_int8  # noqa: E402


def _trained_like(seed: int = 0) -> MobileNetV1:
    torch.manual_seed(seed)
    model = MobileNetV1(0.25, 10, in_channels=1)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(0.2 * torch.randn(m.num_features, generator=g))
                m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=g))
    return model.eval()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    model = _trained_like()
    path = export_onnx(model, folder / "digits.onnx", (1, 32, 32))
    return model, path


def test_export_matches_eager_for_any_batch(exported):
    model, path = exported
    runtime = OnnxModel(path, threads=1)
    for batch in (1, 3, 8):
        x = torch.randn(batch, 1, 32, 32)
        with torch.no_grad():
            want = model(x)
        got = runtime(x)
        assert got.shape == want.shape and got.dtype == torch.float32
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)
    assert "digits.onnx" in repr(runtime)
    assert not model.training


def test_export_of_the_folded_model(tmp_path):
    model = _trained_like(1)
    path = export_onnx(fold_for_inference(model), tmp_path / "folded.onnx", (1, 32, 32))
    x = torch.randn(2, 1, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(OnnxModel(path)(x), model(x), rtol=1e-4, atol=1e-4)


def test_int8_agrees_with_fp32(exported, tmp_path):
    model, path = exported
    g = torch.Generator().manual_seed(3)
    calibration = torch.randn(64, 1, 32, 32, generator=g)
    int8 = quantize_int8(path, tmp_path / "int8.onnx", calibration, batch_size=16)
    assert int8.stat().st_size < path.stat().st_size / 2  # 8-bit weights
    x = torch.randn(32, 1, 32, 32, generator=g)
    with torch.no_grad():
        want = model(x)
    got = OnnxModel(int8)(x)
    assert (got - want).abs().max() < 0.25 * want.abs().max()
    assert (got.argmax(1) == want.argmax(1)).float().mean() >= 0.75


def test_bad_arguments(exported, tmp_path):
    model, path = exported
    with pytest.raises(TypeError):
        export_onnx("model", tmp_path / "x.onnx")
    with pytest.raises(ValueError):
        export_onnx(model, tmp_path / "x.onnx", (32, 32))
    with pytest.raises(FileNotFoundError):
        OnnxModel(tmp_path / "missing.onnx")
    with pytest.raises(TypeError):
        OnnxModel(path)(torch.randn(1, 1, 32, 32).numpy())
    with pytest.raises(ValueError):
        quantize_int8(path, tmp_path / "q.onnx", torch.randn(4, 32, 32))
    with pytest.raises(ValueError):
        quantize_int8(path, tmp_path / "q.onnx", [])
    with pytest.raises(ValueError, match="batch_size"):
        quantize_int8(path, tmp_path / "q.onnx", torch.randn(4, 1, 32, 32), batch_size=0)


def test_time_by_kind_attributes_every_layer(exported, tmp_path):
    from mobilenet_lab.onnx_profile import KINDS, conv_kinds, time_by_kind
    from mobilenet_lab.roofline import layer_intensities

    model, path = exported
    kinds = [r.kind for r in layer_intensities(model, (1, 1, 32, 32)) if r.kind != "linear"]
    int8 = quantize_int8(path, tmp_path / "int8.onnx", torch.randn(8, 1, 32, 32))
    assert conv_kinds(path) == kinds == conv_kinds(int8)  # through DequantizeLinear too
    x = torch.randn(1, 1, 32, 32)
    for file in (path, int8):
        seconds = time_by_kind(file, x, runs=3)
        assert tuple(seconds) == KINDS
        assert all(seconds[k] > 0 for k in ("conv", "depthwise", "pointwise", "linear"))
        assert sum(seconds.values()) < 1.0  # seconds per call, not microseconds
    with pytest.raises(FileNotFoundError):
        time_by_kind(tmp_path / "missing.onnx", x)
    with pytest.raises(TypeError):
        time_by_kind(path, x.numpy())
    with pytest.raises(ValueError):
        time_by_kind(path, x, runs=0)
