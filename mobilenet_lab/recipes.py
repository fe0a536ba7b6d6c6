"""Chapter 8's digits recipe, named once so that the chapter and the book's browser demo share it.

:data:`DIGITS_RECIPE` holds the training settings chapter 8 arrives at (SGD with Nesterov momentum,
a one-cycle learning rate peaking at 0.05, weight decay, label smoothing, light augmentation) and
:func:`digits_recipe` returns a fresh copy (with its own :class:`~mobilenet_lab.data.RandomAffine`)
to pass to :func:`~mobilenet_lab.training.fit` as ``fit(model, train, val, **digits_recipe())``.
:func:`digits_data` gives chapter 8's data (scikit-learn's digits at :data:`DIGITS_SIZE` px with
a validation split of :data:`DIGITS_VAL_FRACTION` of the training images) and
:func:`train_digits_model` builds and
trains one network (``block="separable"`` or its ``"standard"`` twin) from a seed.
"""

from __future__ import annotations

from typing import Any

import torch

from .data import ImageData, RandomAffine, digits_datasets
from .model import MobileNetV1
from .training import History, fit

#: Side of the square digit images the networks are trained on (the 8×8 digits scaled up).
DIGITS_SIZE = 32
#: Width multiplier of the trained networks.
DIGITS_ALPHA = 0.5
#: Training epochs (the one-cycle schedule spans all of them).
DIGITS_EPOCHS = 7
#: Fraction of the training digits held out for choosing (chapter 8's validation split).
DIGITS_VAL_FRACTION = 0.2
#: The recipe's keyword arguments for :func:`~mobilenet_lab.training.fit` (without ``augment``,
#: which :func:`digits_recipe` adds as a fresh ``RandomAffine(**DIGITS_AUGMENT)``).
DIGITS_RECIPE: dict[str, Any] = {
    "optimizer": "sgd",
    "lr": 0.05,
    "schedule": "onecycle",
    "weight_decay": 5e-4,
    "label_smoothing": 0.1,
}
#: Settings of the recipe's augmentation (:class:`~mobilenet_lab.data.RandomAffine`).
DIGITS_AUGMENT: dict[str, float] = {"degrees": 10, "scale": 0.1, "shift": 0.1}


def digits_recipe(**changes: Any) -> dict[str, Any]:
    """A fresh copy of chapter 8's recipe for ``fit``, with ``changes`` applied on top."""
    recipe = dict(DIGITS_RECIPE, augment=RandomAffine(**DIGITS_AUGMENT))
    recipe.update(changes)
    return recipe


def digits_data(size: int = DIGITS_SIZE, val_fraction: float = DIGITS_VAL_FRACTION) -> ImageData:
    """Chapter 8's digits: ``size`` px, normalised, with its validation split."""
    return digits_datasets(size, val_fraction=val_fraction)


def train_digits_model(
    block: str = "separable",
    *,
    seed: int = 0,
    data: ImageData | None = None,
    alpha: float = DIGITS_ALPHA,
    epochs: int = DIGITS_EPOCHS,
    device: Any | None = None,
    progress: bool = False,
) -> tuple[MobileNetV1, History]:
    """Build ``MobileNetV1(alpha, 10, block=block, in_channels=1)`` from ``seed`` and train it
    with :func:`digits_recipe` on ``data`` (default :func:`digits_data`); return it (in eval
    mode) and its history. Progress is measured on the validation split (the test split when
    ``data`` has none)."""
    data = digits_data() if data is None else data
    torch.manual_seed(seed)
    model = MobileNetV1(alpha, 10, block=block, in_channels=data.input_size[0])
    held_out = data.val if getattr(data, "val", None) is not None else data.test
    history = fit(
        model,
        data.train,
        held_out,
        epochs=epochs,
        seed=seed,
        device=device,
        channels_last=block == "separable",  # as chapter 8 trains it
        progress=progress,
        desc=f"{block}, seed {seed}",
        **digits_recipe(),
    )
    return model.eval(), history
