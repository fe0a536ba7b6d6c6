"""One pass over a dataset: train for one epoch, evaluate, predict, recalibrate BatchNorm.

:func:`train_one_epoch` is the loop chapter 8 writes by hand (shuffle, cut into batches, forward,
loss, backward, step), with the options :func:`~mobilenet_lab.training.fit` needs: augmentation,
label smoothing and a learning-rate schedule stepped after every batch. :func:`evaluate` and
:func:`predict` run a model in eval mode. ``fit`` is these functions called once per epoch, plus
the optimizer, the schedule, the checkpoints and the history around them.

Data is a ``TensorDataset`` (see :mod:`mobilenet_lab.data`) or a tuple ``(images, labels)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from ._validation import check_positive_int, check_probability

#: ``augment(images, generator) -> images``, e.g. :class:`mobilenet_lab.data.RandomAffine`.
Augment = Callable[[Tensor, torch.Generator], Tensor]


def check_dataset(name: str, data: Any) -> tuple[Tensor, Tensor]:
    """``(images, labels)`` of ``data``, checked: float ``(B, C, H, W)`` and int64 ``(N,)``."""
    if isinstance(data, TensorDataset):
        tensors = data.tensors
    elif isinstance(data, (tuple, list)):
        tensors = tuple(data)
    else:
        raise TypeError(
            f"{name} must be a TensorDataset or a tuple (images, labels), got {type(data).__name__}"
        )
    if len(tensors) != 2 or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(f"{name} must hold exactly two tensors (images, labels)")
    x, y = tensors
    if x.dim() != 4 or not x.is_floating_point():
        raise ValueError(f"{name} images must be a float tensor (B, C, H, W), got {tuple(x.shape)}")
    if y.dim() != 1 or y.dtype != torch.int64 or len(y) != len(x):
        raise ValueError(f"{name} labels must be an int64 tensor (N,) matching the images")
    if len(x) == 0:
        raise ValueError(f"{name} is empty")
    return x, y


def check_model(model: Any) -> nn.Module:
    """``model`` if it is a ``torch.nn.Module``, else a ``TypeError``."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def resolve_device(device: Any | None, model: nn.Module) -> torch.device:
    """``device`` as a ``torch.device``; ``None`` means the device of ``model``'s parameters."""
    if device is None:
        param = next(model.parameters(), None)
        return param.device if param is not None else torch.device("cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(
            f"device must be a torch device such as 'cpu' or 'cuda', got {device!r}"
        ) from err


def train_one_epoch(
    model: nn.Module,
    data: Any,
    optimizer: torch.optim.Optimizer,
    *,
    generator: torch.Generator,
    batch_size: int = 64,
    scheduler: Any | None = None,
    augment: Augment | None = None,
    label_smoothing: float = 0.0,
    device: Any | None = None,
) -> tuple[float, float]:
    """Train ``model`` for one pass over ``data``; return ``(mean loss, accuracy)`` of the pass.

    The images are shuffled with ``generator`` and cut into batches of ``batch_size``; the last
    incomplete batch is dropped (a batch of a few images gives BatchNorm useless statistics).
    For every batch: ``augment`` (if given), forward in train mode, cross-entropy with
    ``label_smoothing``, backward, ``optimizer.step()``, then ``scheduler.step()`` (if given).

    Args:
        model: a classifier returning logits ``(N, num_classes)``, already on ``device``.
        data: the training set, a ``TensorDataset`` or a tuple ``(images, labels)``.
        optimizer: a ``torch.optim.Optimizer`` over ``model``'s parameters.
        generator: the only source of randomness for shuffling and ``augment``: the same seed
            gives the same batches.
        scheduler: a learning-rate scheduler (anything with ``step()``), stepped after every batch.
        augment: ``augment(images, generator) -> images``, applied to every batch.
        device: where the batches go; default: the device of ``model``'s parameters.

    The loss and the accuracy are measured on the batches as they were trained on (train mode,
    augmented), averaged over the images of the pass.
    """
    x, y = check_dataset("data", data)
    check_model(model)
    batch_size = check_positive_int("batch_size", batch_size)
    if batch_size > len(x):
        raise ValueError(f"batch_size={batch_size} is larger than the data ({len(x)} images)")
    _check_epoch_tools(optimizer, generator, scheduler, augment)
    label_smoothing = check_probability("label_smoothing", label_smoothing)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    device = resolve_device(device, model)
    model.train()
    order = torch.randperm(len(x), generator=generator)
    total_loss, correct, seen = 0.0, 0, 0
    for step in range(len(x) // batch_size):
        idx = order[step * batch_size : (step + 1) * batch_size]
        images = x[idx] if augment is None else augment(x[idx], generator)
        images, labels = images.to(device), y[idx].to(device)
        logits = model(images)
        loss = loss_fn(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += len(labels)
    return total_loss / seen, correct / seen


def _check_epoch_tools(optimizer: Any, generator: Any, scheduler: Any, augment: Any) -> None:
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
        )
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(
            f"scheduler must have a step() method or be None, got {type(scheduler).__name__}"
        )
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be callable or None, got {type(augment).__name__}")


@torch.no_grad()
def evaluate(
    model: nn.Module, data: Any, *, batch_size: int = 512, device: Any | None = None
) -> tuple[float, float]:
    """``(mean cross-entropy, accuracy)`` of ``model`` on ``data``, in eval mode.

    Args:
        model: a classifier returning logits ``(N, num_classes)``; its mode is restored after.
        data: a ``TensorDataset`` or a tuple ``(images, labels)``.
        batch_size: images per forward pass (memory only: the result does not depend on it
            beyond float rounding).
        device: where the batches go; default: the device of ``model``'s parameters.
    """
    x, y = check_dataset("data", data)
    logits = _logits(model, x, batch_size, device)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


@torch.no_grad()
def predict(
    model: nn.Module, data: Any, *, batch_size: int = 512, device: Any | None = None
) -> Tensor:
    """Predicted labels (eval mode) for every image of ``data``, on the CPU."""
    x, _ = check_dataset("data", data)
    logits = _logits(model, x, batch_size, device)
    return logits.argmax(1)


def _logits(model: nn.Module, x: Tensor, batch_size: int, device: Any | None) -> Tensor:
    check_model(model)
    batch_size = check_positive_int("batch_size", batch_size)
    device = resolve_device(device, model)
    was_training = model.training
    model.eval()
    try:
        out = [
            model(x[i : i + batch_size].to(device)).float().cpu()
            for i in range(0, len(x), batch_size)
        ]
    finally:
        model.train(was_training)
    return torch.cat(out)


@torch.no_grad()
def recalibrate_batchnorm(
    model: nn.Module, data: Any, *, batch_size: int = 256, device: Any | None = None
) -> nn.Module:
    """Recompute every BatchNorm's running mean/variance as exact averages over ``data``.

    Training leaves running statistics that are an exponential average over the last batches,
    taken while the weights were still changing; this replaces them by the statistics of the
    final weights ("precise BN"). Weights are untouched. Returns ``model`` (in its previous mode).
    """
    x, _ = check_dataset("data", data)
    check_model(model)
    batch_size = check_positive_int("batch_size", batch_size)
    device = resolve_device(device, model)
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in norms]
    was_training = model.training
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average: an exact mean over the batches
    model.train()
    try:
        for i in range(0, len(x), batch_size):
            model(x[i : i + batch_size].to(device))
    finally:
        for m, momentum in zip(norms, saved):
            m.momentum = momentum
        model.train(was_training)
    return model
