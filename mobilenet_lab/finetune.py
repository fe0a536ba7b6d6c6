"""Fine-tuning: reuse a trained MobileNet's body for new classes.

Three ways to train a network for a new task with few labels, compared in chapter 10:

- ``"frozen"``: keep the pretrained body as it is (weights *and* BatchNorm statistics) and train a
  new classifier on its pooled features (``MobileNetV1.forward_head(x, pre_logits=True)``);
- ``"full"``: start from the pretrained weights, new classifier, and train everything;
- ``"scratch"``: the same architecture with fresh random weights (the baseline).

:func:`for_finetuning` prepares a copy of a model for one of them; :func:`class_subset` picks the
images of some classes (optionally a few per class) and renumbers their labels from 0. The same
code takes a digits model pretrained in the book or timm's ImageNet weights
(:func:`mobilenet_lab.pretrained.mobilenet_from_timm`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from ._validation import check_choice, check_positive_int
from .i18n import N_
from .model import MobileNetV1

MODES = (N_("frozen"), N_("full"), N_("scratch"))  # N_: labels in tables


class FrozenBody(nn.Module):
    """A body that never trains: no gradients, and BatchNorm stays in eval mode (its running
    statistics are part of what was pretrained) even when the model around it is put in
    training mode."""

    def __init__(self, body: nn.Module) -> None:
        super().__init__()
        self.body = body
        for p in self.body.parameters():
            p.requires_grad_(False)
        self.body.eval()

    def train(self, mode: bool = True) -> FrozenBody:
        super().train(mode)
        self.body.eval()
        return self

    def forward(self, x: Tensor) -> Tensor:
        return self.body(x)


def for_finetuning(
    model: MobileNetV1, num_classes: int, mode: str, *, seed: int = 0
) -> MobileNetV1:
    """A copy of ``model`` ready to train on ``num_classes`` new classes.

    Every mode gets a new classifier (seeded with ``seed``); ``"frozen"`` wraps the body in
    :class:`FrozenBody`; ``"scratch"`` re-initialises every weight (same architecture). ``model``
    itself is never changed.
    """
    if not isinstance(model, MobileNetV1):
        raise TypeError(f"model must be a MobileNetV1, got {type(model).__name__}")
    num_classes = check_positive_int("num_classes", num_classes)
    mode = check_choice("mode", mode, MODES)
    torch.manual_seed(seed)
    if mode == "scratch":
        return MobileNetV1(
            model.alpha,
            num_classes,
            block=model.block,
            activation=model.activation,
            dropout=model.dropout.p,
            in_channels=model.in_channels,
        )
    new = copy.deepcopy(model)
    new.classifier = nn.Linear(new.classifier.in_features, num_classes)
    if mode == "frozen":
        new.features = FrozenBody(new.features)
    return new


def trainable_parameters(model: nn.Module) -> int:
    """Number of parameters that training will change (``requires_grad``)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def class_subset(
    data: TensorDataset,
    classes: Sequence[int],
    *,
    per_class: int | None = None,
    seed: int = 0,
) -> TensorDataset:
    """The images of ``classes`` only, labels renumbered ``0 … len(classes) - 1`` in that order.

    With ``per_class``, keep that many images of every class, drawn with ``seed`` (a few labels).
    """
    if not isinstance(data, TensorDataset) or len(data.tensors) != 2:
        raise TypeError("data must be a TensorDataset (images, labels)")
    classes = [int(c) for c in classes]
    if not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be distinct labels, got {classes}")
    x, y = data.tensors
    generator = torch.Generator().manual_seed(seed)
    keep, labels = [], []
    for new_label, c in enumerate(classes):
        idx = (y == c).nonzero().flatten()
        if len(idx) == 0:
            raise ValueError(f"class {c} has no images")
        if per_class is not None:
            n = check_positive_int("per_class", per_class)
            if n > len(idx):
                raise ValueError(f"per_class={n} but class {c} has only {len(idx)} images")
            idx = idx[torch.randperm(len(idx), generator=generator)[:n]].sort().values
        keep.append(idx)
        labels.append(torch.full((len(idx),), new_label, dtype=torch.int64))
    order = torch.cat(keep)
    return TensorDataset(x[order].contiguous(), torch.cat(labels))
