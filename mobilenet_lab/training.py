"""A small, deterministic training loop with a progress bar, history and checkpoint/resume.

:func:`fit` trains a classifier on a ``TensorDataset`` (see :mod:`mobilenet_lab.data`), one epoch
at a time, and returns a :class:`History` (loss, train/test accuracy, learning rate, seconds per
epoch). It is seeded: the same arguments on the same machine (same ``torch`` threads) give the
same weights and numbers. With ``checkpoint=`` it saves everything the next epoch depends on after
every epoch (model, optimizer, scheduler, random-number states, history), so a run resumed with
``resume=True`` ends exactly where an uninterrupted run ends.

``fit`` reads as its steps: check the arguments (``_Recipe``, ``_check_run_options``), build the
optimizer and the schedule (``_Run.start``), resume or start afresh (``_resume_or_start``), then
per epoch :func:`~mobilenet_lab.train_loop.train_one_epoch`,
:func:`~mobilenet_lab.train_loop.evaluate`, record and checkpoint (``_train_epochs``).
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from ._validation import check_choice, check_positive_int, check_positive_real, check_probability
from .i18n import tr
from .train_loop import (
    Augment,
    check_dataset,
    check_model,
    evaluate,
    predict,
    recalibrate_batchnorm,
    resolve_device,
    train_one_epoch,
)

__all__ = [
    "CHECKPOINT_VERSION",
    "OPTIMIZERS",
    "SCHEDULES",
    "Augment",
    "EpochStats",
    "History",
    "default_device",
    "depthwise_parameters",
    "evaluate",
    "fit",
    "predict",
    "recalibrate_batchnorm",
    "train_one_epoch",
]

OPTIMIZERS = ("sgd", "adamw")
SCHEDULES = ("onecycle", "cosine", "constant")
CHECKPOINT_VERSION = 1


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


def _check_decay(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not (0.0 <= value < math.inf) or math.isnan(value):
        raise ValueError(f"{name} must be in [0.0, inf), got {value!r}")
    return float(value)


@dataclass
class _Recipe:
    """The settings of a run, checked (each field is the argument of :func:`fit` of that name).

    A checkpoint records them (:meth:`config`); only a run with the same recipe may resume it.
    """

    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    momentum: float
    weight_decay: float
    depthwise_weight_decay: float | None
    schedule: str
    label_smoothing: float
    augment: Augment | None
    seed: int
    train_size: int

    def __post_init__(self) -> None:
        self.epochs = check_positive_int("epochs", self.epochs)
        self.batch_size = check_positive_int("batch_size", self.batch_size)
        if self.batch_size > self.train_size:
            raise ValueError(
                f"batch_size={self.batch_size} is larger than the training set "
                f"({self.train_size} images)"
            )
        self.lr = check_positive_real("lr", self.lr)
        self.optimizer = check_choice("optimizer", self.optimizer, OPTIMIZERS)
        self.momentum = check_probability("momentum", self.momentum)
        self.weight_decay = _check_decay("weight_decay", self.weight_decay)
        if self.depthwise_weight_decay is not None:
            self.depthwise_weight_decay = _check_decay(
                "depthwise_weight_decay", self.depthwise_weight_decay
            )
        self.schedule = check_choice("schedule", self.schedule, SCHEDULES)
        self.label_smoothing = check_probability("label_smoothing", self.label_smoothing)
        if self.augment is not None and not callable(self.augment):
            raise TypeError(f"augment must be callable or None, got {type(self.augment).__name__}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(f"seed must be an int, got {type(self.seed).__name__} {self.seed!r}")

    @property
    def steps(self) -> int:
        """Optimizer steps per epoch (the last incomplete batch is dropped)."""
        return self.train_size // self.batch_size

    def config(self, model: nn.Module) -> dict[str, Any]:
        """What a checkpoint records about the run, for ``model``."""
        config = {f.name: getattr(self, f.name) for f in fields(self)}
        config["augment"] = repr(self.augment)
        config["model"] = type(model).__name__
        config["parameters"] = sum(p.numel() for p in model.parameters())
        return config


def _check_run_options(
    checkpoint: Any, resume: Any, stop_after: Any, progress: Any, desc: Any, channels_last: Any
) -> tuple[Path | None, int | None]:
    """The checkpoint's path and ``stop_after``, checked with the other options of a run."""
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
    return (None if checkpoint is None else Path(checkpoint)), stop_after


@dataclass
class _Run:
    """Everything the next epoch depends on: what a checkpoint saves and a resume restores."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LRScheduler
    generator: torch.Generator
    device: torch.device
    config: dict[str, Any]
    history: History = field(default_factory=History)

    @classmethod
    def start(
        cls, model: nn.Module, recipe: _Recipe, device: torch.device, channels_last: bool
    ) -> _Run:
        """Move ``model`` to ``device`` (and layout); build its optimizer and schedule."""
        model.to(device)
        if channels_last:
            model.to(memory_format=torch.channels_last)
        if not any(p.requires_grad for p in model.parameters()):
            raise ValueError("model has no trainable parameters (requires_grad is off everywhere)")
        r = recipe
        opt = _make_optimizer(
            r.optimizer, model, r.lr, r.momentum, r.weight_decay, r.depthwise_weight_decay
        )
        sched = _make_scheduler(r.schedule, opt, r.lr, r.epochs * r.steps)
        generator = torch.Generator().manual_seed(r.seed)
        return cls(model, opt, sched, generator, device, recipe.config(model))

    def restore(self, path: Path) -> int:
        """Load the checkpoint at ``path`` into this run; return the number of epochs it holds."""
        state = torch.load(path, map_location="cpu", weights_only=True)
        if state.get("version") != CHECKPOINT_VERSION:
            raise ValueError(
                f"{path} is not a mobilenet_lab checkpoint (version {CHECKPOINT_VERSION})"
            )
        config = self.config
        differ = sorted(k for k in config if state["config"].get(k) != config[k])
        if differ:
            details = ", ".join(f"{k}: {state['config'].get(k)!r} -> {config[k]!r}" for k in differ)
            raise ValueError(f"checkpoint {path} comes from a run with other settings ({details})")
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        if self.device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"], self.device)
        self.history.extend(EpochStats(**e) for e in state["history"])
        return state["epoch"]

    def save(self, path: Path, epoch: int) -> None:
        """Write the run after ``epoch`` epochs to ``path`` (atomically: a temporary file, then
        a rename)."""
        cuda = self.device.type == "cuda"
        state = {
            "version": CHECKPOINT_VERSION,
            "config": self.config,
            "epoch": epoch,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "generator": self.generator.get_state(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state(self.device) if cuda else None,
            "history": [asdict(e) for e in self.history],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        torch.save(state, tmp)
        os.replace(tmp, path)


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
            with ``requires_grad`` are trained (freeze a body by switching it off). With
            ``schedule="onecycle"``, PyTorch's ``OneCycleLR`` cycles the momentum itself
            (0.95 down to 0.85 at the peak learning rate, back to 0.95), replacing ``momentum``;
            the other schedules keep ``momentum`` constant (AdamW: the same holds for its β₁).
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
        channels_last: train in the NHWC memory layout (chapter 9 times the layouts for
            inference; training speed is not measured here). The layout changes float rounding,
            not the arithmetic.
    """
    check_model(model)
    x_train, y_train = check_dataset("train", train)
    test_data = None if test is None else check_dataset("test", test)
    recipe = _Recipe(
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        optimizer=optimizer,
        momentum=momentum,
        weight_decay=weight_decay,
        depthwise_weight_decay=depthwise_weight_decay,
        schedule=schedule,
        label_smoothing=label_smoothing,
        augment=augment,
        seed=seed,
        train_size=len(x_train),
    )
    path, stop_after = _check_run_options(
        checkpoint, resume, stop_after, progress, desc, channels_last
    )
    device = default_device() if device is None else resolve_device(device, model)

    run = _Run.start(model, recipe, device, channels_last)
    first = _resume_or_start(run, path, resume, recipe.seed)
    last = recipe.epochs if stop_after is None else min(recipe.epochs, stop_after)
    bar = _ProgressBar(total=recipe.epochs, initial=first, disable=not progress, desc=desc)
    try:
        _train_epochs(run, recipe, (x_train, y_train), test_data, range(first, last), path, bar)
    finally:
        bar.close()
    return run.history


def _resume_or_start(run: _Run, path: Path | None, resume: bool, seed: int) -> int:
    """The epoch to start from: the checkpoint's when resuming from an existing file; else 0,
    after seeding the global generator (dropout draws from it)."""
    if resume and path is not None and path.exists():
        return run.restore(path)
    torch.manual_seed(seed)
    return 0


def _train_epochs(
    run: _Run,
    recipe: _Recipe,
    train: tuple[Tensor, Tensor],
    test: tuple[Tensor, Tensor] | None,
    epochs: range,
    path: Path | None,
    bar: _ProgressBar,
) -> None:
    """Per epoch (0-based ``epochs``): train, evaluate on ``test``, record, checkpoint."""
    for epoch in epochs:
        began = time.perf_counter()
        loss, train_acc = train_one_epoch(
            run.model,
            train,
            run.optimizer,
            generator=run.generator,
            batch_size=recipe.batch_size,
            scheduler=run.scheduler,
            augment=recipe.augment,
            label_smoothing=recipe.label_smoothing,
            device=run.device,
        )
        test_loss = test_acc = math.nan
        if test is not None:
            test_loss, test_acc = evaluate(run.model, test, device=run.device)
        stats = EpochStats(
            epoch=epoch + 1,
            loss=loss,
            train_acc=train_acc,
            test_loss=test_loss,
            test_acc=test_acc,
            lr=run.optimizer.param_groups[0]["lr"],
            seconds=time.perf_counter() - began,
        )
        run.history.append(stats)
        bar.update(1)
        bar.set_postfix(loss=f"{stats.loss:.3f}", acc=f"{stats.test_acc:.3f}")
        if path is not None:
            run.save(path, epoch + 1)


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
            total=total, initial=initial, disable=disable, desc=desc, unit=tr("epoch"), **kwargs
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
