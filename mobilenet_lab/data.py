"""Real images for training: scikit-learn's handwritten digits (no download) and CIFAR-10.

Digits: ``sklearn.datasets.load_digits`` ships 1,797 grey 8×8 images (values 0–16) inside the
package. :func:`digits_datasets` scales them up to the input size a network needs (bilinear), splits
them once with a fixed, stratified split (:data:`DIGITS_TEST_FRACTION` of every class goes to the
test set, ``random_state`` :data:`DIGITS_SPLIT_SEED`: 1,347 train / 450 test images) and normalises
with the *training* set's mean and standard deviation. With ``val_fraction`` it also carves a
stratified **validation** split out of the training images (``ImageData.val``), for choosing
recipes and models without looking at the test set.

CIFAR-10: :func:`load_cifar10` reads the official python-pickle archive
(``cifar-10-python.tar.gz``) from a local folder. It downloads the archive only when asked
(``download=True``) and always checks its MD5 first (:data:`CIFAR10_MD5`, as published on the
CIFAR page), because the batches are Python pickles: never unpickle an unverified file.

:class:`RandomAffine` is a light, seeded augmentation applied to whole batches.
"""

from __future__ import annotations

import hashlib
import io
import math
import pickle
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import TensorDataset

from ._validation import check_positive_int

#: Fraction of every digit class held out for testing (stratified), and the split's seed.
DIGITS_TEST_FRACTION = 0.25
DIGITS_SPLIT_SEED = 0

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
#: MD5 of ``cifar-10-python.tar.gz`` as published on https://www.cs.toronto.edu/~kriz/cifar.html
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_FILENAME = "cifar-10-python.tar.gz"
CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
_CIFAR10_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
_CIFAR10_TEST = "test_batch"

PathLike = str | Path


@dataclass(frozen=True)
class ImageData:
    """A train/test pair of ``TensorDataset`` (images ``(B, C, H, W)`` float32, labels int64).

    ``mean``/``std`` are the per-channel statistics used to normalise every set (computed on the
    training set only); ``classes`` names the labels. ``val`` is a validation split carved out of
    the training images (``None`` unless asked for): choose on it, test once at the end.
    """

    train: TensorDataset
    test: TensorDataset
    mean: tuple[float, ...]
    std: tuple[float, ...]
    classes: tuple[str, ...]
    val: TensorDataset | None = None

    @property
    def input_size(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one image."""
        return tuple(self.train.tensors[0].shape[1:])  # type: ignore[return-value]


def digits_split(
    test_fraction: float = DIGITS_TEST_FRACTION, seed: int = DIGITS_SPLIT_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)`` into ``load_digits()``: a fixed split, stratified by class."""
    from sklearn.model_selection import train_test_split

    _check_fraction("test_fraction", test_fraction)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    from sklearn.datasets import load_digits

    labels = load_digits().target
    idx = np.arange(len(labels))
    train, test = train_test_split(idx, test_size=test_fraction, stratify=labels, random_state=seed)
    return np.sort(train), np.sort(test)


def digits_datasets(
    size: int = 32,
    *,
    test_fraction: float = DIGITS_TEST_FRACTION,
    seed: int = DIGITS_SPLIT_SEED,
    channels: int = 1,
    val_fraction: float = 0.0,
) -> ImageData:
    """scikit-learn's digits, scaled to ``size×size`` (bilinear), split and normalised.

    Args:
        size: side of the square input images (8 keeps the originals).
        test_fraction: fraction of every class in the test set (default 0.25: 1,347 / 450).
        seed: ``random_state`` of the stratified splits.
        channels: 1 (grey) or 3 (the grey image repeated, for 3-channel networks).
        val_fraction: fraction of the *training* images (stratified) moved to ``val``; 0 keeps
            ``val=None``. The test split does not change. Statistics come from what stays in
            ``train``.
    """
    from sklearn.datasets import load_digits

    size, channels = _check_digits_arguments(size, channels, val_fraction)
    train_idx, test_idx = digits_split(test_fraction, seed)
    digits = load_digits()
    val_idx = None
    if val_fraction:
        train_idx, val_idx = _carve_validation(train_idx, digits.target, val_fraction, seed)
    images = torch.from_numpy(digits.images.astype(np.float32) / 16.0).unsqueeze(1)
    if size != 8:
        images = F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)
    labels = torch.from_numpy(digits.target.astype(np.int64))
    mean, std = images[train_idx].mean().item(), images[train_idx].std().item()

    def prepare(idx: np.ndarray) -> TensorDataset:
        x = (images[idx] - mean) / std
        if channels == 3:
            x = x.repeat(1, 3, 1, 1)
        return TensorDataset(x.contiguous(), labels[idx])

    return ImageData(
        train=prepare(train_idx),
        test=prepare(test_idx),
        mean=(mean,) * channels,
        std=(std,) * channels,
        classes=tuple(str(d) for d in range(10)),
        val=None if val_idx is None else prepare(val_idx),
    )


def _check_digits_arguments(size: int, channels: int, val_fraction: float) -> tuple[int, int]:
    """``(size, channels)`` of :func:`digits_datasets`, checked with ``val_fraction``."""
    size = check_positive_int("size", size)
    if size < 8:
        raise ValueError(f"size must be at least 8 (the digits are 8×8), got {size}")
    channels = check_positive_int("channels", channels)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}")
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)):
        raise TypeError(f"val_fraction must be a number, got {type(val_fraction).__name__}")
    if val_fraction != 0:
        _check_fraction("val_fraction", val_fraction)
    return size, channels


def _carve_validation(
    train_idx: np.ndarray, labels: np.ndarray, val_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Move ``val_fraction`` of every class of ``train_idx`` to a validation split (sorted)."""
    from sklearn.model_selection import train_test_split

    train_idx, val_idx = train_test_split(
        train_idx, test_size=val_fraction, stratify=labels[train_idx], random_state=seed
    )
    return np.sort(train_idx), np.sort(val_idx)


class RandomAffine:
    """Light augmentation for a batch: a random rotation, scale and shift per image.

    Called as ``aug(images, generator)`` on a batch ``(B, C, H, W)``; the random numbers come from
    ``generator`` only, so a seeded generator gives the same augmented batches every run. Pixels
    that come from outside the image repeat the border (the digits' background).

    Args:
        degrees: largest rotation, either way.
        scale: largest relative zoom, either way (0.1: 90 %–110 %).
        shift: largest shift as a fraction of the image side, either way.
        flip: also mirror half of the images left-right (for photos, not digits).
    """

    def __init__(
        self, degrees: float = 10.0, scale: float = 0.1, shift: float = 0.1, flip: bool = False
    ) -> None:
        for name, value in (("degrees", degrees), ("scale", scale), ("shift", shift)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if scale >= 1:
            raise ValueError(f"scale must be below 1, got {scale!r}")
        if not isinstance(flip, bool):
            raise TypeError(f"flip must be a bool, got {type(flip).__name__}")
        self.degrees, self.scale, self.shift, self.flip = float(degrees), scale, shift, flip

    def __call__(self, images: Tensor, generator: torch.Generator | None = None) -> Tensor:
        if not isinstance(images, Tensor) or images.dim() != 4:
            raise ValueError("images must be a batch tensor (B, C, H, W)")
        n = images.shape[0]

        def uniform(low: float, high: float) -> Tensor:
            return low + (high - low) * torch.rand(n, generator=generator)

        angle = uniform(-self.degrees, self.degrees) * math.pi / 180
        zoom = uniform(1 - self.scale, 1 + self.scale)
        tx, ty = uniform(-self.shift, self.shift) * 2, uniform(-self.shift, self.shift) * 2
        mirror = torch.ones(n)
        if self.flip:
            mirror = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0)
        cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
        theta = torch.stack(
            [torch.stack([cos * mirror, -sin, tx], 1), torch.stack([sin * mirror, cos, ty], 1)], 1
        ).to(images.device, images.dtype)
        grid = F.affine_grid(theta, list(images.shape), align_corners=False)
        return F.grid_sample(images, grid, padding_mode="border", align_corners=False)

    def __repr__(self) -> str:
        return (
            f"RandomAffine(degrees={self.degrees}, scale={self.scale}, shift={self.shift}, "
            f"flip={self.flip})"
        )


# --- CIFAR-10 ------------------------------------------------------------------------------


def md5sum(path: PathLike, chunk: int = 1 << 20) -> str:
    """Hex MD5 of a file, read in chunks."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def download_cifar10(root: PathLike, *, url: str = CIFAR10_URL, md5: str = CIFAR10_MD5) -> Path:
    """Download ``cifar-10-python.tar.gz`` (about 163 MB) into ``root`` and verify its MD5.

    Needs internet; does nothing but verify if the archive is already there.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    archive = root / CIFAR10_FILENAME
    if not archive.exists():
        partial = archive.with_suffix(".part")
        urllib.request.urlretrieve(url, partial)  # noqa: S310 - fixed https URL
        partial.replace(archive)
    verify_md5(archive, md5)
    return archive


def verify_md5(path: PathLike, md5: str) -> None:
    """Raise ``ValueError`` unless the file's MD5 is ``md5``."""
    actual = md5sum(path)
    if actual != md5.lower():
        raise ValueError(
            f"checksum mismatch for {path}: MD5 {actual}, expected {md5.lower()}; "
            "the file is damaged or not the official archive (delete it and download again)"
        )


def load_cifar10(
    root: PathLike, *, download: bool = False, md5: str = CIFAR10_MD5, limit: int | None = None
) -> ImageData:
    """CIFAR-10 from the official python-pickle archive ``root/cifar-10-python.tar.gz``.

    Args:
        root: folder holding (or to receive) the archive; an archive path is accepted too.
        download: fetch the archive when it is missing (needs internet). Never implicit.
        md5: expected checksum; the archive is verified before anything is unpickled.
        limit: keep only the first ``limit`` training and test images (quick trials).

    Images come back as float32 ``(N, 3, 32, 32)``, normalised per channel with the training set's
    mean and standard deviation; 50,000 training and 10,000 test images (about 740 MB).
    """
    if not isinstance(download, bool):
        raise TypeError(f"download must be a bool, got {type(download).__name__}")
    if not isinstance(md5, str) or len(md5) != 32:
        raise ValueError(f"md5 must be a 32-character hex string, got {md5!r}")
    if limit is not None:
        limit = check_positive_int("limit", limit)
    root = Path(root)
    archive = root if root.suffixes[-2:] == [".tar", ".gz"] else root / CIFAR10_FILENAME
    if not archive.exists():
        if not download:
            raise FileNotFoundError(
                f"{archive} not found. Pass download=True to fetch it from {CIFAR10_URL} "
                "(about 163 MB), or put the official archive there."
            )
        archive = download_cifar10(archive.parent, md5=md5)
    verify_md5(archive, md5)
    batches = _read_cifar10_batches(archive)
    x_train, y_train = _stack_cifar10(batches, _CIFAR10_TRAIN, limit)
    x_test, y_test = _stack_cifar10(batches, (_CIFAR10_TEST,), limit)
    mean = x_train.mean(dim=(0, 2, 3))
    std = x_train.std(dim=(0, 2, 3))
    x_train = (x_train - mean[:, None, None]) / std[:, None, None]
    x_test = (x_test - mean[:, None, None]) / std[:, None, None]
    classes = CIFAR10_CLASSES
    meta = batches.get("batches.meta")
    if meta and b"label_names" in meta:
        classes = tuple(n.decode() for n in meta[b"label_names"])  # type: ignore[union-attr]
    return ImageData(
        train=TensorDataset(x_train, y_train),
        test=TensorDataset(x_test, y_test),
        mean=tuple(mean.tolist()),
        std=tuple(std.tolist()),
        classes=classes,
    )


def _read_cifar10_batches(archive: Path) -> dict[str, dict[bytes, object]]:
    """The unpickled batches (and ``batches.meta``) of a verified CIFAR-10 python archive."""
    batches: dict[str, dict[bytes, object]] = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if name in _CIFAR10_TRAIN or name == _CIFAR10_TEST or name == "batches.meta":
                f = tar.extractfile(member)
                if f is not None:
                    batches[name] = pickle.load(io.BytesIO(f.read()), encoding="bytes")
    missing = [n for n in (*_CIFAR10_TRAIN, _CIFAR10_TEST) if n not in batches]
    if missing:
        raise ValueError(f"{archive} is not a CIFAR-10 python archive: missing {missing}")
    return batches


def _stack_cifar10(
    batches: dict[str, dict[bytes, object]], names: tuple[str, ...], limit: int | None
) -> tuple[Tensor, Tensor]:
    """Images ``(N, 3, 32, 32)`` in [0, 1] and labels of the batches ``names`` (first ``limit``)."""
    data = np.concatenate([np.asarray(batches[n][b"data"], dtype=np.uint8) for n in names])
    labels = np.concatenate([np.asarray(batches[n][b"labels"], dtype=np.int64) for n in names])
    if limit is not None:
        data, labels = data[:limit], labels[:limit]
    images = torch.from_numpy(data.reshape(-1, 3, 32, 32)).float().div_(255)
    return images, torch.from_numpy(labels)


def _check_fraction(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number in (0, 1), got {type(value).__name__} {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a number in (0, 1), got {value!r}")
    return float(value)
