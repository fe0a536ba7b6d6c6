"""Fine-tuning helpers: a new head, a body that stays frozen (BatchNorm included), subsets."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import TensorDataset

from mobilenet_lab import MobileNetV1
from mobilenet_lab.finetune import (
    FrozenBody,
    class_subset,
    for_finetuning,
    trainable_parameters,
)
from mobilenet_lab.training import fit


def _data(n: int = 60) -> TensorDataset:
    g = torch.Generator().manual_seed(0)
    y = torch.arange(n) % 6
    return TensorDataset(torch.randn(n, 1, 16, 16, generator=g), y)


def test_forward_head_matches_forward():
    torch.manual_seed(0)
    model = MobileNetV1(0.25, 7, in_channels=1).eval()
    x = torch.randn(2, 1, 32, 32)
    features = model.forward_features(x)
    pooled = model.forward_head(features, pre_logits=True)
    assert pooled.shape == (2, model.classifier.in_features)
    assert torch.equal(model.forward_head(features), model(x))
    assert torch.allclose(model.classifier(pooled), model(x))


@pytest.mark.parametrize("mode", ["frozen", "full", "scratch"])
def test_modes_give_a_new_head_and_leave_the_original_alone(mode):
    torch.manual_seed(1)  # not for_finetuning's seed: "scratch" must differ
    base = MobileNetV1(0.25, 10, in_channels=1)
    before = {k: v.clone() for k, v in base.state_dict().items()}
    new = for_finetuning(base, 5, mode)
    assert new.num_classes == 5 and base.num_classes == 10
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())
    body = new.features.body if mode == "frozen" else new.features
    same_body = all(
        torch.equal(a, b)
        for a, b in zip(base.features.state_dict().values(), body.state_dict().values())
    )
    assert same_body == (mode != "scratch")
    head = new.classifier.in_features * 5 + 5
    if mode == "frozen":
        assert isinstance(new.features, FrozenBody) and trainable_parameters(new) == head
    else:
        assert trainable_parameters(new) == sum(p.numel() for p in new.parameters())


def test_frozen_body_does_not_change_in_training():
    torch.manual_seed(0)
    base = MobileNetV1(0.25, 10, in_channels=1)
    model = for_finetuning(base, 6, "frozen")
    body_before = {k: v.clone() for k, v in model.features.body.state_dict().items()}
    head_before = model.classifier.weight.clone()
    fit(model, _data(), epochs=2, batch_size=12, progress=False, device="cpu")
    # weights and BatchNorm running statistics untouched; the head trained
    for k, v in model.features.body.state_dict().items():
        assert torch.equal(v, body_before[k]), k
    assert not torch.equal(model.classifier.weight, head_before)
    model.train()
    assert model.training and not model.features.body.training


def test_for_finetuning_checks_its_arguments():
    model = MobileNetV1(0.25, 10, in_channels=1)
    with pytest.raises(ValueError, match="mode"):
        for_finetuning(model, 5, "partial")
    with pytest.raises(TypeError, match="MobileNetV1"):
        for_finetuning(torch.nn.Linear(2, 2), 5, "full")
    with pytest.raises(ValueError, match="num_classes"):
        for_finetuning(model, 0, "full")


def test_class_subset_renumbers_and_samples():
    data = _data()
    sub = class_subset(data, [5, 3])
    x, y = sub.tensors
    assert y.tolist() == [0] * 10 + [1] * 10
    assert torch.equal(x[0], data.tensors[0][5])
    few = class_subset(data, [5, 3], per_class=2, seed=1)
    assert few.tensors[1].tolist() == [0, 0, 1, 1]
    assert torch.equal(class_subset(data, [5, 3], per_class=2, seed=1).tensors[0], few.tensors[0])
    with pytest.raises(ValueError, match="per_class"):
        class_subset(data, [1], per_class=11)
    with pytest.raises(ValueError, match="no images"):
        class_subset(data, [9])
    with pytest.raises(ValueError, match="distinct"):
        class_subset(data, [1, 1])
