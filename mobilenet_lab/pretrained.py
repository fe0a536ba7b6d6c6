"""timm's ImageNet weights for MobileNet v1, loaded into our :class:`~mobilenet_lab.MobileNetV1`.

timm's ``mobilenetv1_100`` is the same network as ``MobileNetV1(activation="relu6")``: a 3×3
stride-2 stem, 13 depthwise separable blocks without skip connections (timm's ``dsa`` blocks:
BatchNorm + ReLU6 after both convolutions), global average pooling and a linear classifier; BN
ε = 1e-5, symmetric padding 1, no conv bias. Only the parameter names differ:

======================================  =====================================
timm                                    mobilenet_lab
======================================  =====================================
``conv_stem.weight``                    ``features.0.0.weight``
``bn1.*``                               ``features.0.1.*``
``blocks.{s}.{i}.conv_dw.weight``       ``features.{k}.depthwise.0.weight``
``blocks.{s}.{i}.bn1.*``                ``features.{k}.depthwise.1.*``
``blocks.{s}.{i}.conv_pw.weight``       ``features.{k}.pointwise.0.weight``
``blocks.{s}.{i}.bn2.*``                ``features.{k}.pointwise.1.*``
``classifier.weight`` / ``.bias``       ``classifier.weight`` / ``.bias``
======================================  =====================================

with stages of 1, 2, 2, 6 and 2 blocks and ``k`` counting blocks from 1. The network is only
needed to *download* the weights (``huggingface_hub``, optional, imported lazily); everything
else works offline.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from ._validation import check_positive_int
from .architecture import TABLE_1, channel_plan, expand
from .i18n import tr
from .model import MobileNetV1

#: Blocks per timm stage (``blocks.0`` … ``blocks.4``).
TIMM_STAGE_LENGTHS = (1, 2, 2, 6, 2)
#: The Hugging Face Hub repository and file of timm's weights (75.4% top-1 at 224).
HF_REPO_ID = "timm/mobilenetv1_100.ra4_e3600_r224_in1k"
HF_FILENAME = "model.safetensors"
#: Environment variable that may point at a local copy of the weights file.
WEIGHTS_ENV = "MOBILENET_LAB_WEIGHTS"
#: timm's preprocessing for these weights (``pretrained_cfg``): inception mean/std, bicubic
#: resize of the shorter side to ``int(224 / 0.875) = 256``, centre crop 224.
MEAN = (0.5, 0.5, 0.5)
STD = (0.5, 0.5, 0.5)
INPUT_SIZE = 224
CROP_PCT = 0.875

_BN_STATS = ("weight", "bias", "running_mean", "running_var")
_OPTIONAL = "num_batches_tracked"  # BN's step counter: unused at inference, absent in some exports


class CheckpointMismatchError(ValueError):
    """A checkpoint does not fit the expected layout: missing/unexpected keys or wrong shapes."""


def timm_key_map() -> dict[str, str]:
    """timm key → our key for every tensor of ``mobilenetv1_100`` (BN counters included)."""
    mapping: dict[str, str] = {"conv_stem.weight": "features.0.0.weight"}
    for stat in (*_BN_STATS, _OPTIONAL):
        mapping[f"bn1.{stat}"] = f"features.0.1.{stat}"
    k = 1
    for stage, length in enumerate(TIMM_STAGE_LENGTHS):
        for i in range(length):
            src, dst = f"blocks.{stage}.{i}", f"features.{k}"
            mapping[f"{src}.conv_dw.weight"] = f"{dst}.depthwise.0.weight"
            mapping[f"{src}.conv_pw.weight"] = f"{dst}.pointwise.0.weight"
            for stat in (*_BN_STATS, _OPTIONAL):
                mapping[f"{src}.bn1.{stat}"] = f"{dst}.depthwise.1.{stat}"
                mapping[f"{src}.bn2.{stat}"] = f"{dst}.pointwise.1.{stat}"
            k += 1
    mapping["classifier.weight"] = "classifier.weight"
    mapping["classifier.bias"] = "classifier.bias"
    return mapping


def _listing(keys: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f", … ({len(keys) - limit} more)" if len(keys) > limit else "")


def _check_state_dict(state_dict: Any) -> Mapping[str, Tensor]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"state_dict must be a mapping of str to tensors, got {type(state_dict)}")
    bad = [k for k, v in state_dict.items() if not isinstance(k, str) or not isinstance(v, Tensor)]
    if bad:
        raise TypeError(f"state_dict must map str keys to tensors; bad entries: {_listing(bad)}")
    return state_dict


def check_timm_keys(state_dict: Mapping[str, Tensor]) -> None:
    """Raise :class:`CheckpointMismatchError` listing missing and unexpected keys, if any."""
    state_dict = _check_state_dict(state_dict)
    mapping = timm_key_map()
    missing = [k for k in mapping if k not in state_dict and not k.endswith(_OPTIONAL)]
    unexpected = [k for k in state_dict if k not in mapping]
    if not missing and not unexpected:
        return
    lines = [tr("the checkpoint is not timm's mobilenetv1_100 layout")]
    if missing:
        lines.append(tr("missing keys ({n}): {keys}", n=len(missing), keys=_listing(missing)))
    if unexpected:
        lines.append(
            tr("unexpected keys ({n}): {keys}", n=len(unexpected), keys=_listing(unexpected))
        )
    if any(k.startswith("conv_head") for k in unexpected):
        lines.append(
            tr("it has a head conv (conv_head): that is timm's mobilenetv1_100h, not v1_100")
        )
    if any(k.startswith("features.") for k in state_dict):
        lines.append(
            tr("keys start with 'features.': it may already be a mobilenet_lab state dict")
        )
    raise CheckpointMismatchError("; ".join(lines))


def timm_channels(state_dict: Mapping[str, Tensor]) -> list[int]:
    """Output channels of the 14 layers (stem + 13 blocks) as stored in a timm checkpoint."""
    check_timm_keys(state_dict)
    channels = [int(state_dict["conv_stem.weight"].shape[0])]
    for stage, length in enumerate(TIMM_STAGE_LENGTHS):
        for i in range(length):
            channels.append(int(state_dict[f"blocks.{stage}.{i}.conv_pw.weight"].shape[0]))
    return channels


def infer_alpha(state_dict: Mapping[str, Tensor]) -> float:
    """The width multiplier α of a timm checkpoint, read from its last layer (1024·α channels).

    Raises :class:`CheckpointMismatchError` when the channel widths are not those of
    ``MobileNetV1(alpha)`` (``int(c·α)`` per layer; timm rounds to multiples of 8 instead, which
    agrees for α = 0.25, 0.5, 0.75, 1.0, 1.25 but not e.g. for α = 0.35).
    """
    channels = timm_channels(state_dict)
    alpha = channels[-1] / expand(TABLE_1)[-1].out_channels
    try:
        plan = channel_plan(alpha)
    except ValueError:
        plan = []
    if plan != channels:
        raise CheckpointMismatchError(
            f"the checkpoint's channel widths {channels} are not those of "
            f"MobileNetV1(alpha={alpha:g}) {plan}; its width multiplier cannot be reproduced "
            "with int(c * alpha) channels per layer"
        )
    return alpha


def convert_timm_state_dict(state_dict: Mapping[str, Tensor]) -> dict[str, Tensor]:
    """Rename a timm ``mobilenetv1_100`` state dict to our keys (tensors are shared, not copied).

    Missing BN step counters (``num_batches_tracked``) are filled with 0.
    """
    check_timm_keys(state_dict)
    converted: dict[str, Tensor] = {}
    for src, dst in timm_key_map().items():
        if src in state_dict:
            converted[dst] = state_dict[src]
        elif src.endswith(_OPTIONAL):
            converted[dst] = torch.tensor(0, dtype=torch.long)
    return converted


def load_timm_state_dict(model: MobileNetV1, state_dict: Mapping[str, Tensor]) -> MobileNetV1:
    """Copy timm weights into ``model`` (in place) and return it.

    Raises :class:`CheckpointMismatchError` (a ``ValueError``) on wrong keys, a width multiplier
    that differs from ``model.alpha``, a different number of classes, or any wrong shape (each
    listed with expected and got); ``ValueError`` when ``model`` is not a separable ReLU6
    MobileNet.
    """
    if not isinstance(model, MobileNetV1):
        raise TypeError(f"model must be a mobilenet_lab.MobileNetV1, got {type(model).__name__}")
    if model.block != "separable" or model.in_channels != 3:
        raise ValueError(
            "timm's weights fit MobileNetV1(block='separable', in_channels=3), "
            f"got block={model.block!r}, in_channels={model.in_channels}"
        )
    if model.activation != "relu6":
        raise ValueError(
            tr(
                "timm's weights were trained with ReLU6: build "
                "MobileNetV1(activation='relu6'), got activation={activation}",
                activation=repr(model.activation),
            )
        )
    converted = convert_timm_state_dict(state_dict)
    ckpt_alpha = timm_channels(state_dict)[-1] / expand(TABLE_1)[-1].out_channels
    if channel_plan(model.alpha) != timm_channels(state_dict):
        raise CheckpointMismatchError(
            tr(
                "width mismatch: the checkpoint has width multiplier alpha={ckpt:g} "
                "(channels {ckpt_channels}), the model alpha={model:g} (channels {channels})",
                ckpt=ckpt_alpha,
                ckpt_channels=timm_channels(state_dict),
                model=model.alpha,
                channels=channel_plan(model.alpha),
            )
        )
    n_ckpt = int(converted["classifier.weight"].shape[0])
    if n_ckpt != model.num_classes:
        raise CheckpointMismatchError(
            f"the checkpoint classifies {n_ckpt} classes, the model {model.num_classes}: "
            f"build MobileNetV1(num_classes={n_ckpt}, ...)"
        )
    expected = model.state_dict()
    wrong = [
        f"{key}: expected {tuple(expected[key].shape)}, got {tuple(value.shape)}"
        for key, value in converted.items()
        if tuple(value.shape) != tuple(expected[key].shape)
    ]
    if wrong:
        raise CheckpointMismatchError(
            f"{len(wrong)} tensors have the wrong shape: " + "; ".join(wrong[:8])
        )
    model.load_state_dict(converted, strict=True)
    return model


def mobilenet_from_timm(state_dict: Mapping[str, Tensor] | str | os.PathLike) -> MobileNetV1:
    """Build ``MobileNetV1(alpha, num_classes, activation="relu6")`` from a timm checkpoint (a
    state dict or a file path), α and the classes read from the tensors; returned in eval mode."""
    if isinstance(state_dict, (str, os.PathLike)):
        state_dict = load_weights_file(state_dict)
    alpha = infer_alpha(state_dict)
    num_classes = int(state_dict["classifier.weight"].shape[0])
    model = MobileNetV1(alpha, num_classes, activation="relu6")
    return load_timm_state_dict(model, state_dict).eval()


def load_weights_file(path: str | os.PathLike) -> dict[str, Tensor]:
    """Read a state dict from ``.safetensors`` (needs ``safetensors``) or a torch ``.pth``/``.bin``."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file at {path}")
    if path.suffix == ".safetensors":
        try:
            from safetensors.torch import load_file
        except ImportError as err:  # pragma: no cover - safetensors ships with the hub extra
            raise ImportError(
                'reading .safetensors needs safetensors: pip install "mobilenet-lab[hub]"'
            ) from err
        return load_file(str(path))
    if path.suffix in (".pth", ".pt", ".bin"):
        loaded = torch.load(path, map_location="cpu", weights_only=True)
        return dict(loaded.get("state_dict", loaded))
    raise ValueError(f"path must end in .safetensors, .pth, .pt or .bin, got {path.name!r}")


def find_weights(path: str | os.PathLike | None = None, *, download: bool = False) -> Path | None:
    """Where timm's ``mobilenetv1_100`` weights are on this machine, or ``None``.

    Looks, in order, at ``path``, the ``MOBILENET_LAB_WEIGHTS`` environment variable and the
    Hugging Face cache. Only with ``download=True`` (and ``huggingface_hub`` installed, and
    ``HF_HUB_OFFLINE`` unset) does it fetch the file from the Hub (about 17 MB). It never raises
    for a missing network: it returns ``None``.
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str, os.PathLike or None, got {type(path).__name__}")
        if not Path(path).is_file():
            raise FileNotFoundError(f"no weights file at {path}")
        return Path(path)
    env = os.environ.get(WEIGHTS_ENV)
    if env and Path(env).is_file():
        return Path(env)
    try:
        import huggingface_hub
    except ImportError:
        return None
    cached = huggingface_hub.try_to_load_from_cache(HF_REPO_ID, HF_FILENAME)
    if isinstance(cached, str) and Path(cached).is_file():
        return Path(cached)
    if not download or os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0"):
        return None
    try:
        return Path(huggingface_hub.hf_hub_download(HF_REPO_ID, HF_FILENAME))
    except Exception:  # no network, hub down, proxy...: the caller prints a message
        return None


def preprocess(image: Any, *, size: int = INPUT_SIZE, crop_pct: float = CROP_PCT) -> Tensor:
    """timm's evaluation transform: an RGB image (``H×W×3`` uint8 array or PIL image) to a
    normalised ``(3, size, size)`` tensor.

    Resizes the shorter side to ``int(size / crop_pct)`` (bicubic, antialiased), crops the centre
    ``size × size``, scales to [0, 1] and normalises with mean = std = 0.5 (so values lie in
    [-1, 1]). torch's bicubic differs from PIL's by a little rounding; predictions agree.
    """
    size = check_positive_int("size", size)
    if not 0 < crop_pct <= 1:
        raise ValueError(f"crop_pct must be in (0, 1], got {crop_pct!r}")
    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
        raise ValueError(
            "image must be an RGB image: an H×W×3 uint8 array or PIL image, "
            f"got shape {array.shape} and dtype {array.dtype}"
        )
    x = torch.from_numpy(array.copy()).permute(2, 0, 1)[None].float() / 255.0
    h, w = x.shape[-2:]
    short = int(size / crop_pct)  # math.floor, as timm: 224 / 0.875 -> 256
    # torchvision's Resize(int): the shorter side to `short`, the longer one truncated to int
    new_h, new_w = (short, int(short * w / h)) if h <= w else (int(short * h / w), short)
    x = torch.nn.functional.interpolate(
        x, size=(new_h, new_w), mode="bicubic", align_corners=False, antialias=True
    ).clamp_(0.0, 1.0)
    top, left = round((new_h - size) / 2), round((new_w - size) / 2)  # as CenterCrop
    x = x[0, :, top : top + size, left : left + size]
    mean = torch.tensor(MEAN).reshape(3, 1, 1)
    std = torch.tensor(STD).reshape(3, 1, 1)
    return (x - mean) / std


def imagenet_labels() -> list[str]:
    """The 1,000 ImageNet-1k class names in timm's index order (``mobilenet_lab/assets/imagenet_classes.txt``)."""
    text = (
        resources.files("mobilenet_lab").joinpath("assets/imagenet_classes.txt").read_text("utf-8")
    )
    labels = [line.split("\t")[1] for line in text.splitlines() if line and line[0] != "#"]
    if len(labels) != 1000:  # pragma: no cover - guards the shipped file
        raise RuntimeError(f"imagenet_classes.txt holds {len(labels)} labels, expected 1000")
    return labels


def top_k(logits: Tensor, k: int = 5, labels: Sequence[str] | None = None) -> list[list[tuple]]:
    """Per image, the ``k`` most probable classes as ``(label, probability)`` pairs."""
    if not isinstance(logits, Tensor) or logits.dim() != 2:
        raise ValueError("logits must be a 2-D tensor (N, num_classes)")
    k = check_positive_int("k", k)
    labels = imagenet_labels() if labels is None else list(labels)
    if len(labels) != logits.shape[1]:
        raise ValueError(f"{len(labels)} labels for {logits.shape[1]} classes")
    probs = logits.softmax(dim=1)
    values, indices = probs.topk(min(k, logits.shape[1]), dim=1)
    return [
        [(labels[i], float(p)) for p, i in zip(row_p.tolist(), row_i.tolist())]
        for row_p, row_i in zip(values, indices)
    ]
