"""A small, deterministic training loop with a progress bar, history and checkpoint/resume.

:func:`fit` trains a classifier on a ``TensorDataset`` (see :mod:`mobilenet_lab.data`), one epoch
at a time, and returns a :class:`History` (loss, train/test accuracy, learning rate, seconds per
epoch). It is seeded: the same arguments on the same machine (same ``torch`` threads) give the
same weights and numbers. With ``checkpoint=`` it saves everything the next epoch depends on after
every epoch (model, optimizer, scheduler, random-number states, history), so a run resumed with
``resume=True`` ends exactly where an uninterrupted run ends.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import TensorDataset

from ._validation import check_choice, check_positive_int, check_positive_real

OPTIMIZERS = ("sgd", "adamw")
SCHEDULES = ("onecycle", "cosine", "constant")
CHECKPOINT_VERSION = 1

Augment = Callable[[Tensor, torch.Generator], Tensor]


@dataclass(frozen=True)
class EpochStats:
    """One epoch of training.

    ``train_acc`` is measured on the training batches as they were trained on (train mode,
    augmented); ``test_acc``/``test_loss`` in eval mode after the epoch (``nan`` without a test
    set). ``lr`` is the learning rate of the epoch's last step; ``seconds`` its wall time.
    """

    epoch: int
    loss: float
    train_acc: float
    test_loss: float
    test_acc: float
    lr: float
    seconds: float


class History(list):
    """The list of :class:`EpochStats` of a run, with a column accessor for plots."""

    def column(self, name: str) -> list[float]:
        """One field for every epoch, e.g. ``history.column("test_acc")``."""
        check_choice("name", name, EpochStats.__dataclass_fields__)
        return [getattr(e, name) for e in self]

    @property
    def seconds(self) -> float:
        """Total wall time of all epochs."""
        return sum(e.seconds for e in self)

    @property
    def final(self) -> EpochStats:
        """The last epoch."""
        if not self:
            raise ValueError("the history is empty")
        return self[-1]


def default_device() -> torch.device:
    """``cuda`` when a GPU is available, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _tensors(name: str, data: Any) -> tuple[Tensor, Tensor]:
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


@torch.no_grad()
def predict(
    model: nn.Module, data: Any, *, batch_size: int = 512, device: Any | None = None
) -> Tensor:
    """Predicted labels (eval mode) for every image of ``data``, on the CPU."""
    x, _ = _tensors("data", data)
    logits = _logits(model, x, batch_size, device)
    return logits.argmax(1)


@torch.no_grad()
def evaluate(
    model: nn.Module, data: Any, *, batch_size: int = 512, device: Any | None = None
) -> tuple[float, float]:
    """``(mean cross-entropy, accuracy)`` of ``model`` on ``data`` in eval mode."""
    x, y = _tensors("data", data)
    logits = _logits(model, x, batch_size, device)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def _logits(model: nn.Module, x: Tensor, batch_size: int, device: Any | None) -> Tensor:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    batch_size = check_positive_int("batch_size", batch_size)
    device = _device(device, model)
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
    x, _ = _tensors("data", data)
    batch_size = check_positive_int("batch_size", batch_size)
    device = _device(device, model)
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


def _device(device: Any | None, model: nn.Module) -> torch.device:
    if device is None:
        param = next(model.parameters(), None)
        return param.device if param is not None else torch.device("cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(
            f"device must be a torch device such as 'cpu' or 'cuda', got {device!r}"
        ) from err


def depthwise_parameters(model: nn.Module) -> list[nn.Parameter]:
    """The weights of every depthwise convolution (``groups == in_channels > 1``) of ``model``."""
    return [
        m.weight
        for m in model.modules()
        if isinstance(m, nn.Conv2d) and m.groups > 1 and m.groups == m.in_channels
    ]


def _param_groups(
    model: nn.Module, weight_decay: float, depthwise_weight_decay: float | None
) -> list[dict[str, Any]]:
    params = [p for p in model.parameters() if p.requires_grad]
    if depthwise_weight_decay is None:
        return [{"params": params, "weight_decay": weight_decay}]
    depthwise = {id(p) for p in depthwise_parameters(model)}
    groups = [
        {"params": [p for p in params if id(p) not in depthwise], "weight_decay": weight_decay},
        {
            "params": [p for p in params if id(p) in depthwise],
            "weight_decay": depthwise_weight_decay,
        },
    ]
    return [g for g in groups if g["params"]]


def _make_optimizer(
    name: str,
    model: nn.Module,
    lr: float,
    momentum: float,
    weight_decay: float,
    depthwise_weight_decay: float | None = None,
) -> torch.optim.Optimizer:
    groups = _param_groups(model, weight_decay, depthwise_weight_decay)
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=momentum, nesterov=momentum > 0)
    return torch.optim.AdamW(groups, lr=lr)


def _make_scheduler(
    name: str, optimizer: torch.optim.Optimizer, lr: float, total_steps: int
) -> torch.optim.lr_scheduler.LRScheduler:
    if name == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps)
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _step: 1.0)


def _check_number(name: str, value: Any, low: float, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not (low <= value < high) or math.isnan(value):
        raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")
    return float(value)


def fit(
    model: nn.Module,
    train: Any,
    test: Any = None,
    *,
    epochs: int,
    batch_size: int = 64,
    lr: float = 0.1,
    optimizer: str = "sgd",
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    schedule: str = "onecycle",
    label_smoothing: float = 0.0,
    augment: Augment | None = None,
    seed: int = 0,
    device: Any | None = None,
    checkpoint: str | Path | None = None,
    resume: bool = False,
    stop_after: int | None = None,
    progress: bool = True,
    desc: str = "epochs",
    depthwise_weight_decay: float | None = None,
    channels_last: bool = False,
) -> History:
    """Train ``model`` on ``train`` for ``epochs`` epochs; return the per-epoch :class:`History`.

    Args:
        model: a classifier returning logits ``(N, num_classes)``; moved to ``device``.
        train, test: ``TensorDataset`` (or a tuple ``(images, labels)``); ``test`` is evaluated
            after every epoch (eval mode) when given.
        epochs: length of the whole run (the learning-rate schedule spans all of it).
        batch_size: training batch size; the last incomplete batch of an epoch is dropped (a
            batch of a few images gives BatchNorm useless statistics).
        lr: peak learning rate (``onecycle``) or initial one (``cosine``, ``constant``).
        optimizer: ``"sgd"`` (Nesterov momentum) or ``"adamw"``.
        momentum, weight_decay: optimizer settings (``momentum`` for SGD only). Only parameters
            with ``requires_grad`` are trained (freeze a body by switching it off).
        schedule: ``"onecycle"``, ``"cosine"`` or ``"constant"``, stepped after every batch.
        label_smoothing: passed to the cross-entropy loss.
        augment: ``augment(images, generator) -> images`` applied to every training batch
            (e.g. :class:`mobilenet_lab.data.RandomAffine`); it must draw randomness from
            ``generator`` only.
        seed: seeds shuffling, augmentation and the global torch generator (dropout).
        device: ``"cuda"``/``"cpu"``/``torch.device``; default: cuda when available.
        checkpoint: file saved after every epoch (atomically).
        resume: continue from ``checkpoint`` if it exists (it must come from a run with the same
            settings); start afresh if it does not.
        stop_after: stop once this epoch is done (as if interrupted); resume later.
        progress: show a ``tqdm.auto`` progress bar (a widget in Jupyter whose plain-text
            fallback, what GitHub and text exports show, is updated to the final state).
        desc: the progress bar's label.
        depthwise_weight_decay: weight decay for the depthwise filters only (the paper: "very
            little or no weight decay" there); ``None`` uses ``weight_decay`` for them too.
        channels_last: train in the NHWC memory layout. On a CPU, PyTorch's NHWC kernels train a
            network of depthwise convolutions about twice as fast (chapter 9); a standard-conv
            twin is slower in NHWC. The layout changes float rounding, not the arithmetic.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    x_train, y_train = _tensors("train", train)
    test_tensors = None if test is None else _tensors("test", test)
    epochs = check_positive_int("epochs", epochs)
    batch_size = check_positive_int("batch_size", batch_size)
    if batch_size > len(x_train):
        raise ValueError(
            f"batch_size={batch_size} is larger than the training set ({len(x_train)} images)"
        )
    lr = check_positive_real("lr", lr)
    optimizer = check_choice("optimizer", optimizer, OPTIMIZERS)
    momentum = _check_number("momentum", momentum, 0.0, 1.0)
    weight_decay = _check_number("weight_decay", weight_decay, 0.0)
    if depthwise_weight_decay is not None:
        depthwise_weight_decay = _check_number(
            "depthwise_weight_decay", depthwise_weight_decay, 0.0
        )
    schedule = check_choice("schedule", schedule, SCHEDULES)
    label_smoothing = _check_number("label_smoothing", label_smoothing, 0.0, 1.0)
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be callable or None, got {type(augment).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    for name, flag in (("resume", resume), ("progress", progress)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
    if not isinstance(desc, str):
        raise TypeError(f"desc must be a str, got {type(desc).__name__}")
    if not isinstance(channels_last, bool):
        raise TypeError(f"channels_last must be a bool, got {type(channels_last).__name__}")
    if resume and checkpoint is None:
        raise ValueError("resume=True needs a checkpoint path")
    if checkpoint is not None and not isinstance(checkpoint, (str, Path)):
        raise TypeError(f"checkpoint must be a path or None, got {type(checkpoint).__name__}")
    if stop_after is not None:
        stop_after = check_positive_int("stop_after", stop_after)
    device = default_device() if device is None else _device(device, model)

    model.to(device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    steps = len(x_train) // batch_size
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("model has no trainable parameters (requires_grad is off everywhere)")
    opt = _make_optimizer(optimizer, model, lr, momentum, weight_decay, depthwise_weight_decay)
    sched = _make_scheduler(schedule, opt, lr, epochs * steps)
    generator = torch.Generator().manual_seed(seed)
    config = {
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "optimizer": optimizer,
        "momentum": momentum,
        "weight_decay": weight_decay,
        "depthwise_weight_decay": depthwise_weight_decay,
        "schedule": schedule,
        "label_smoothing": label_smoothing,
        "augment": repr(augment),
        "seed": seed,
        "train_size": len(x_train),
        "model": type(model).__name__,
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    history = History()
    start = 0
    path = None if checkpoint is None else Path(checkpoint)
    if resume and path is not None and path.exists():
        state = torch.load(path, map_location="cpu", weights_only=True)
        if state.get("version") != CHECKPOINT_VERSION:
            raise ValueError(
                f"{path} is not a mobilenet_lab checkpoint (version {CHECKPOINT_VERSION})"
            )
        differ = sorted(k for k in config if state["config"].get(k) != config[k])
        if differ:
            details = ", ".join(f"{k}: {state['config'].get(k)!r} -> {config[k]!r}" for k in differ)
            raise ValueError(f"checkpoint {path} comes from a run with other settings ({details})")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        if device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"], device)
        history.extend(EpochStats(**e) for e in state["history"])
        start = state["epoch"]
    else:
        torch.manual_seed(seed)

    loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    last = epochs if stop_after is None else min(epochs, stop_after)
    bar = _ProgressBar(total=epochs, initial=start, disable=not progress, desc=desc)
    try:
        for epoch in range(start, last):
            began = time.perf_counter()
            model.train()
            order = torch.randperm(len(x_train), generator=generator)
            total_loss, correct, seen = 0.0, 0, 0
            for step in range(steps):
                idx = order[step * batch_size : (step + 1) * batch_size]
                x = x_train[idx]
                if augment is not None:
                    x = augment(x, generator)
                x, y = x.to(device), y_train[idx].to(device)
                logits = model(x)
                loss = loss_fn(logits, y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sched.step()
                total_loss += loss.item() * len(y)
                correct += (logits.argmax(1) == y).sum().item()
                seen += len(y)
            test_loss = test_acc = math.nan
            if test_tensors is not None:
                test_loss, test_acc = evaluate(model, test_tensors, device=device)
            stats = EpochStats(
                epoch=epoch + 1,
                loss=total_loss / seen,
                train_acc=correct / seen,
                test_loss=test_loss,
                test_acc=test_acc,
                lr=opt.param_groups[0]["lr"],
                seconds=time.perf_counter() - began,
            )
            history.append(stats)
            bar.update(1)
            bar.set_postfix(loss=f"{stats.loss:.3f}", acc=f"{stats.test_acc:.3f}")
            if path is not None:
                _save(path, model, opt, sched, generator, device, config, epoch + 1, history)
    finally:
        bar.close()
    return history


class _ProgressBar:
    """``tqdm.auto`` with one fix for notebooks: the widget's ``text/plain`` fallback (what
    GitHub, nbconvert's text export and nbval see) is rewritten with the final state on close,
    instead of keeping the "0%" it had when first displayed."""

    def __init__(self, *, total: int, initial: int, disable: bool, desc: str) -> None:
        from tqdm.auto import tqdm
        from tqdm.notebook import tqdm as notebook_tqdm

        self._handle = None
        notebook = not disable and issubclass(tqdm, notebook_tqdm)
        kwargs = {"display": False} if notebook else {}
        self.bar = tqdm(
            total=total, initial=initial, disable=disable, desc=desc, unit="epoch", **kwargs
        )
        if notebook:
            from IPython.display import display

            self._handle = display(self.bar.container, display_id=True)

    def update(self, n: int) -> None:
        self.bar.update(n)

    def set_postfix(self, **kwargs: str) -> None:
        self.bar.set_postfix(**kwargs)

    def close(self) -> None:
        self.bar.close()
        if self._handle is not None:
            self._handle.update(self.bar.container)


def _save(
    path: Path,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    sched: Any,
    generator: torch.Generator,
    device: torch.device,
    config: dict[str, Any],
    epoch: int,
    history: History,
) -> None:
    state = {
        "version": CHECKPOINT_VERSION,
        "config": config,
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "generator": generator.get_state(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
        "history": [asdict(e) for e in history],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)
