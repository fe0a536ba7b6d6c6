"""timm → mobilenet_lab weight mapping, checked against a fixture made by real timm (offline).

tests/fixtures/ was written by scripts/make_timm_fixture.py with timm itself: a width-0.25
MobileNet v1 with random weights and BatchNorm statistics, an input and timm's logits for it, and
the key/shape layout of the published mobilenetv1_100 checkpoint.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from mobilenet_lab import MobileNetV1
from mobilenet_lab.finetune import for_finetuning
from mobilenet_lab.inference import fold_for_inference
from mobilenet_lab.pretrained import (
    HF_REPO_ID,
    WEIGHTS_ENV,
    CheckpointMismatchError,
    convert_timm_state_dict,
    find_weights,
    imagenet_labels,
    infer_alpha,
    load_timm_state_dict,
    load_weights_file,
    mobilenet_from_timm,
    preprocess,
    timm_key_map,
    top_k,
)
from mobilenet_lab.training import fit

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "timm_mobilenetv1_025.safetensors"
LAYOUT = json.loads((FIXTURES / "timm_mobilenetv1_100_layout.json").read_text())


@pytest.fixture()
def timm_fixture():
    tensors = load_weights_file(FIXTURE)
    x, logits = tensors.pop("__input__"), tensors.pop("__logits__")
    return tensors, x, logits


def _full_checkpoint(num_classes: int = 1000) -> dict[str, torch.Tensor]:
    """Random tensors with the exact keys and shapes of timm's published mobilenetv1_100."""
    g = torch.Generator().manual_seed(0)
    out = {}
    for key, shape in LAYOUT["shapes"].items():
        if key.endswith("num_batches_tracked"):
            out[key] = torch.tensor(7)
        else:
            out[key] = torch.rand(shape, generator=g) + 0.5
    return out


def test_fixture_is_small():
    assert sum(p.stat().st_size for p in FIXTURES.iterdir()) < 5_000_000


def test_reproduces_timm_logits(timm_fixture):
    state_dict, x, logits = timm_fixture
    model = mobilenet_from_timm(state_dict)
    assert (model.alpha, model.num_classes, model.activation) == (0.25, 10, "relu6")
    assert not model.training
    with torch.no_grad():
        ours = model(x)
    torch.testing.assert_close(ours, logits, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(fold_for_inference(model)(x), logits, rtol=1e-4, atol=1e-4)


def test_from_path(timm_fixture, tmp_path):
    state_dict, x, logits = timm_fixture
    from safetensors.torch import save_file

    path = tmp_path / "weights.safetensors"
    save_file(state_dict, path)
    with torch.no_grad():
        torch.testing.assert_close(mobilenet_from_timm(path)(x), logits, rtol=1e-5, atol=1e-5)
    torch.save(state_dict, tmp_path / "weights.pth")
    assert set(load_weights_file(tmp_path / "weights.pth")) == set(state_dict)


@pytest.mark.parametrize("mode", ["frozen", "full"])
def test_finetuning_starts_from_timm_weights(timm_fixture, mode):
    """Chapter 10's fine-tuning code takes a model built from timm's weights, and trains."""
    state_dict, x, _ = timm_fixture
    source = mobilenet_from_timm(state_dict)
    model = for_finetuning(source, 3, mode, seed=0)
    body = model.features.body if mode == "frozen" else model.features
    for a, b in zip(source.features.state_dict().values(), body.state_dict().values()):
        assert torch.equal(a, b)
    g = torch.Generator().manual_seed(0)
    data = TensorDataset(torch.randn(12, *x.shape[1:], generator=g), torch.arange(12) % 3)
    head_before = model.classifier.weight.clone()
    fit(model, data, epochs=1, batch_size=6, progress=False, device="cpu")
    assert not torch.equal(model.classifier.weight, head_before)
    with torch.no_grad():
        assert model.eval()(x).shape == (len(x), 3)


def test_key_map_covers_the_published_layout():
    assert LAYOUT["parameters"] == 4_231_976
    assert set(timm_key_map()) == set(LAYOUT["shapes"])
    ours = MobileNetV1(activation="relu6").state_dict()
    assert set(timm_key_map().values()) == set(ours)
    for src, dst in timm_key_map().items():
        assert list(ours[dst].shape) == LAYOUT["shapes"][src], src


def test_full_width_checkpoint_loads():
    ckpt = _full_checkpoint()
    assert infer_alpha(ckpt) == 1.0
    model = mobilenet_from_timm(ckpt)
    torch.testing.assert_close(
        model.features[5].pointwise[1].running_var, ckpt["blocks.2.1.bn2.running_var"]
    )
    torch.testing.assert_close(
        model.features[13].depthwise[0].weight, ckpt["blocks.4.1.conv_dw.weight"]
    )
    torch.testing.assert_close(model.classifier.bias, ckpt["classifier.bias"])


def test_missing_batch_counters_are_tolerated(timm_fixture):
    state_dict, x, logits = timm_fixture
    trimmed = {k: v for k, v in state_dict.items() if not k.endswith("num_batches_tracked")}
    converted = convert_timm_state_dict(trimmed)
    assert converted["features.0.1.num_batches_tracked"].item() == 0
    with torch.no_grad():
        torch.testing.assert_close(mobilenet_from_timm(trimmed)(x), logits, rtol=1e-5, atol=1e-5)


def test_missing_and_unexpected_keys_are_listed(timm_fixture):
    state_dict, _, _ = timm_fixture
    broken = dict(state_dict)
    del broken["blocks.3.2.conv_pw.weight"]
    broken["conv_head.weight"] = torch.zeros(1)
    with pytest.raises(CheckpointMismatchError) as err:
        mobilenet_from_timm(broken)
    text = str(err.value)
    assert "missing keys (1): blocks.3.2.conv_pw.weight" in text
    assert "unexpected keys (1): conv_head.weight" in text
    assert "mobilenetv1_100h" in text
    assert isinstance(err.value, ValueError)


def test_our_own_state_dict_is_recognised():
    with pytest.raises(CheckpointMismatchError, match="already be a mobilenet_lab state dict"):
        mobilenet_from_timm(MobileNetV1(0.25).state_dict())


def test_wrong_alpha_is_detected(timm_fixture):
    state_dict, _, _ = timm_fixture
    with pytest.raises(
        CheckpointMismatchError, match=r"checkpoint has width multiplier alpha=0.25"
    ):
        load_timm_state_dict(MobileNetV1(0.5, 10, activation="relu6"), state_dict)


def test_wrong_num_classes(timm_fixture):
    state_dict, _, _ = timm_fixture
    with pytest.raises(CheckpointMismatchError, match="num_classes=10"):
        load_timm_state_dict(MobileNetV1(0.25, 1000, activation="relu6"), state_dict)


def test_wrong_shape_lists_expected_and_got(timm_fixture):
    state_dict, _, _ = timm_fixture
    broken = dict(state_dict)
    broken["blocks.1.0.conv_dw.weight"] = torch.zeros(16, 1, 5, 5)
    with pytest.raises(CheckpointMismatchError) as err:
        load_timm_state_dict(MobileNetV1(0.25, 10, activation="relu6"), broken)
    assert "features.2.depthwise.0.weight: expected (16, 1, 3, 3), got (16, 1, 5, 5)" in str(
        err.value
    )


def test_unreproducible_width_is_detected():
    ckpt = _full_checkpoint()
    ckpt["blocks.0.0.conv_pw.weight"] = torch.zeros(72, 32, 1, 1)  # make_divisible-style width
    with pytest.raises(CheckpointMismatchError, match="cannot be reproduced"):
        infer_alpha(ckpt)


def test_model_must_be_relu6_separable(timm_fixture):
    state_dict, _, _ = timm_fixture
    with pytest.raises(ValueError, match="activation='relu6'"):
        load_timm_state_dict(MobileNetV1(0.25, 10), state_dict)
    with pytest.raises(ValueError, match="block='separable'"):
        load_timm_state_dict(
            MobileNetV1(0.25, 10, block="standard", activation="relu6"), state_dict
        )
    with pytest.raises(TypeError, match="MobileNetV1"):
        load_timm_state_dict(torch.nn.Linear(2, 2), state_dict)


def test_bad_state_dict_types():
    with pytest.raises(TypeError, match="mapping"):
        convert_timm_state_dict([1, 2])
    with pytest.raises(TypeError, match="bad entries: conv_stem.weight"):
        convert_timm_state_dict({"conv_stem.weight": np.zeros(3)})


def test_load_weights_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_weights_file(tmp_path / "nope.safetensors")
    (tmp_path / "w.txt").write_text("x")
    with pytest.raises(ValueError, match=".safetensors"):
        load_weights_file(tmp_path / "w.txt")
    with pytest.raises(TypeError, match="path"):
        load_weights_file(3)


def test_find_weights_offline(tmp_path, monkeypatch):
    monkeypatch.delenv(WEIGHTS_ENV, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    assert find_weights() is None
    assert find_weights(download=True) is None  # HF_HUB_OFFLINE: never touches the network
    assert find_weights(FIXTURE) == FIXTURE
    monkeypatch.setenv(WEIGHTS_ENV, str(FIXTURE))
    assert find_weights() == FIXTURE
    with pytest.raises(FileNotFoundError):
        find_weights(tmp_path / "missing.safetensors")
    assert HF_REPO_ID == "timm/" + LAYOUT["pretrained_cfg"]["hf_hub_id"].split("/")[1]


def test_preprocess_matches_timm_config():
    cfg = LAYOUT["pretrained_cfg"]
    assert cfg["mean"] == [0.5] * 3 and cfg["std"] == [0.5] * 3 and cfg["crop_pct"] == 0.875
    image = np.zeros((300, 400, 3), dtype=np.uint8)
    image[..., 0] = 255
    x = preprocess(image)
    assert x.shape == (3, 224, 224)
    torch.testing.assert_close(x[0], torch.ones(224, 224))
    torch.testing.assert_close(x[1], -torch.ones(224, 224))
    tall = preprocess(np.full((500, 256, 3), 128, dtype=np.uint8))
    assert tall.shape == (3, 224, 224)
    with pytest.raises(ValueError, match="H×W×3 uint8"):
        preprocess(np.zeros((10, 10), dtype=np.uint8))
    with pytest.raises(ValueError, match="crop_pct"):
        preprocess(image, crop_pct=1.5)


def test_labels_and_top_k():
    labels = imagenet_labels()
    assert len(labels) == 1000
    assert labels[0] == "tench" and labels[1] == "goldfish" and labels[999] == "toilet tissue"
    logits = torch.zeros(2, 1000)
    logits[0, 1] = 10.0
    logits[1, 999] = 10.0
    best = top_k(logits, 3)
    assert best[0][0][0] == "goldfish" and best[1][0][0] == "toilet tissue"
    assert len(best[0]) == 3 and best[0][0][1] > 0.9
    assert top_k(torch.tensor([[0.0, 1.0]]), 1, labels=["a", "b"]) == [
        [("b", pytest.approx(0.7311, abs=1e-4))]
    ]
    with pytest.raises(ValueError, match="2 labels for 1000 classes"):
        top_k(logits, 1, labels=["a", "b"])
    with pytest.raises(ValueError, match="2-D"):
        top_k(torch.zeros(1000))
