"""Digits and CIFAR-10 loaders: shapes, the fixed split, normalisation, checksums (all offline)."""

from __future__ import annotations

import hashlib
import io
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch

from mobilenet_lab import data
from mobilenet_lab.data import (
    CIFAR10_FILENAME,
    RandomAffine,
    digits_datasets,
    digits_split,
    load_cifar10,
)


@pytest.fixture(scope="module")
def digits16():
    return digits_datasets(16)


def test_digits_split_is_fixed_stratified_and_disjoint():
    train, test = digits_split()
    assert len(train) == 1347 and len(test) == 450
    assert not set(train) & set(test)
    again = digits_split()
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])
    from sklearn.datasets import load_digits

    labels = load_digits().target
    counts = np.bincount(labels[test], minlength=10)
    assert np.abs(counts - 0.25 * np.bincount(labels)).max() <= 1  # a quarter of every class


def test_digits_shapes_types_and_normalisation(digits16):
    x, y = digits16.train.tensors
    assert x.shape == (1347, 1, 16, 16) and x.dtype == torch.float32
    assert y.dtype == torch.int64 and set(y.tolist()) == set(range(10))
    assert digits16.input_size == (1, 16, 16)
    assert abs(x.mean().item()) < 1e-4 and abs(x.std().item() - 1) < 1e-3
    assert digits16.test.tensors[0].shape == (450, 1, 16, 16)
    assert digits16.classes == tuple("0123456789")


def test_digits_size_8_keeps_the_originals():
    from sklearn.datasets import load_digits

    d = digits_datasets(8)
    train_idx, _ = digits_split()
    x = d.train.tensors[0][:, 0] * d.std[0] + d.mean[0]
    original = torch.from_numpy(load_digits().images[train_idx] / 16.0).float()
    assert torch.allclose(x, original, atol=1e-5)


def test_digits_three_channels():
    d = digits_datasets(8, channels=3)
    x = d.train.tensors[0]
    assert x.shape[1] == 3 and torch.equal(x[:, 0], x[:, 2])


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"size": 4}, ValueError),
        ({"size": 0}, ValueError),
        ({"size": 32.0}, TypeError),
        ({"test_fraction": 1.0}, ValueError),
        ({"test_fraction": "0.2"}, TypeError),
        ({"channels": 2}, ValueError),
        ({"seed": 1.5}, TypeError),
    ],
)
def test_digits_bad_arguments(kwargs, exc):
    word = next(iter(kwargs))
    with pytest.raises(exc, match=word):
        digits_datasets(**kwargs)


def test_random_affine_is_seeded_and_keeps_shape(digits16):
    x = digits16.train.tensors[0][:8]
    aug = RandomAffine()
    a = aug(x, torch.Generator().manual_seed(1))
    b = aug(x, torch.Generator().manual_seed(1))
    c = aug(x, torch.Generator().manual_seed(2))
    assert a.shape == x.shape and torch.equal(a, b) and not torch.equal(a, c)
    identity = RandomAffine(0, 0, 0)(x, torch.Generator().manual_seed(0))
    assert torch.allclose(identity, x, atol=1e-5)
    flipped = RandomAffine(0, 0, 0, flip=True)(x, torch.Generator().manual_seed(0))
    assert all(
        torch.allclose(f, i, atol=1e-5) or torch.allclose(f, i.flip(-1), atol=1e-5)
        for f, i in zip(flipped, x)
    )


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"degrees": -1}, ValueError),
        ({"scale": 1.0}, ValueError),
        ({"shift": "x"}, TypeError),
        ({"flip": 1}, TypeError),
    ],
)
def test_random_affine_bad_arguments(kwargs, exc):
    with pytest.raises(exc, match=next(iter(kwargs))):
        RandomAffine(**kwargs)


# --- CIFAR-10, from a small archive in the official format ------------------------------------


def _batch(rng: np.random.Generator, n: int) -> dict[bytes, object]:
    return {
        b"batch_label": b"fake batch",
        b"labels": rng.integers(0, 10, n).tolist(),
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [f"img{i}.png".encode() for i in range(n)],
    }


def make_fake_cifar(folder: Path, per_batch: int = 6) -> tuple[Path, str]:
    """Write ``cifar-10-python.tar.gz`` as the official one is laid out; return it and its MD5."""
    rng = np.random.default_rng(0)
    archive = folder / CIFAR10_FILENAME
    members = {f"data_batch_{i}": _batch(rng, per_batch) for i in range(1, 6)}
    members["test_batch"] = _batch(rng, per_batch)
    members["batches.meta"] = {
        b"label_names": [n.encode() for n in data.CIFAR10_CLASSES],
        b"num_cases_per_batch": per_batch,
        b"num_vis": 3072,
    }
    with tarfile.open(archive, "w:gz") as tar:
        for name, obj in members.items():
            blob = pickle.dumps(obj, protocol=2)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return archive, hashlib.md5(archive.read_bytes()).hexdigest()


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a test tried to download")

    monkeypatch.setattr(data.urllib.request, "urlretrieve", refuse)
    monkeypatch.setattr(data.urllib.request, "urlopen", refuse)


def test_cifar_loads_the_official_format(tmp_path, no_network):
    archive, md5 = make_fake_cifar(tmp_path)
    d = load_cifar10(tmp_path, md5=md5)
    x, y = d.train.tensors
    assert x.shape == (30, 3, 32, 32) and x.dtype == torch.float32 and y.dtype == torch.int64
    assert d.test.tensors[0].shape == (6, 3, 32, 32)
    assert d.classes[0] == "airplane" and len(d.classes) == 10
    assert torch.allclose(x.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5)
    # the pixels are the archive's, in (C, H, W) order, scaled and normalised
    with tarfile.open(archive) as tar:
        raw = pickle.load(tar.extractfile("cifar-10-batches-py/data_batch_1"), encoding="bytes")
    first = torch.from_numpy(raw[b"data"][0].reshape(3, 32, 32)).float() / 255
    mean, std = torch.tensor(d.mean)[:, None, None], torch.tensor(d.std)[:, None, None]
    assert torch.allclose(x[0] * std + mean, first, atol=1e-5)
    assert y[0].item() == raw[b"labels"][0]
    # an archive path works too, and limit keeps the first images
    assert len(load_cifar10(archive, md5=md5, limit=4).train) == 4


def test_cifar_checksum_mismatch_raises(tmp_path, no_network):
    make_fake_cifar(tmp_path)
    with pytest.raises(ValueError, match="checksum mismatch"):
        load_cifar10(tmp_path)  # the official MD5 does not match the fake archive


def test_cifar_missing_archive_never_downloads_implicitly(tmp_path, no_network):
    with pytest.raises(FileNotFoundError, match="download=True"):
        load_cifar10(tmp_path)


def test_cifar_download_only_when_asked(tmp_path, monkeypatch):
    source, md5 = make_fake_cifar(tmp_path)
    target = tmp_path / "cache"
    calls = []

    def fake_retrieve(url, filename):
        calls.append(url)
        Path(filename).write_bytes(source.read_bytes())

    monkeypatch.setattr(data.urllib.request, "urlretrieve", fake_retrieve)
    d = load_cifar10(target, download=True, md5=md5)
    assert calls == [data.CIFAR10_URL] and len(d.train) == 30
    load_cifar10(target, download=True, md5=md5)  # already there: no second download
    assert len(calls) == 1


def test_cifar_rejects_other_archives(tmp_path, no_network):
    archive = tmp_path / CIFAR10_FILENAME
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    md5 = hashlib.md5(archive.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="missing"):
        load_cifar10(tmp_path, md5=md5)


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"download": "yes"}, TypeError, "download"),
        ({"md5": "abc"}, ValueError, "md5"),
        ({"limit": 0}, ValueError, "limit"),
    ],
)
def test_cifar_bad_arguments(tmp_path, kwargs, exc, word):
    with pytest.raises(exc, match=word):
        load_cifar10(tmp_path, **kwargs)


def test_digits_validation_split_is_carved_from_train():
    plain = digits_datasets(8)
    d = digits_datasets(8, val_fraction=0.2)
    assert d.val is not None and plain.val is None
    n_train, n_val, n_test = (len(s.tensors[1]) for s in (d.train, d.val, d.test))
    assert n_train + n_val == len(plain.train.tensors[1]) and n_test == 450
    assert abs(n_val - 0.2 * (n_train + n_val)) <= 1
    # the test split is untouched; every digit is in the validation split in proportion
    assert torch.equal(d.test.tensors[1], plain.test.tensors[1])
    share = torch.bincount(d.val.tensors[1]) / torch.bincount(plain.train.tensors[1])
    assert ((share - 0.2).abs() < 0.03).all()
    # normalised with the statistics of what stays in train
    x = d.train.tensors[0]
    assert abs(x.mean()) < 1e-4 and abs(x.std() - 1) < 1e-3


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_digits_validation_fraction_is_checked(bad):
    with pytest.raises(ValueError, match="val_fraction"):
        digits_datasets(8, val_fraction=bad)
    with pytest.raises(TypeError, match="val_fraction"):
        digits_datasets(8, val_fraction="0.2")
