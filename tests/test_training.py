"""fit(): history, determinism, and checkpoint/resume that ends exactly where a full run ends."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from mobilenet_lab import MobileNetV1
from mobilenet_lab.data import RandomAffine
from mobilenet_lab.training import (
    EpochStats,
    History,
    evaluate,
    fit,
    predict,
    recalibrate_batchnorm,
    train_one_epoch,
)


def tiny_data(n: int = 48, seed: int = 0) -> tuple[TensorDataset, TensorDataset]:
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    x = torch.randn(n, 1, 8, 8, generator=g) + y[:, None, None, None].float()
    return TensorDataset(x[: n - 12], y[: n - 12]), TensorDataset(x[n - 12 :], y[n - 12 :])


def tiny_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.2),  # dropout draws from the global generator: resume must restore it
        nn.Linear(4, 3),
    )


KW = dict(epochs=4, batch_size=8, lr=0.1, augment=RandomAffine(), progress=False, device="cpu")


def _no_time(history: History) -> list[EpochStats]:
    return [dataclasses.replace(e, seconds=0.0) for e in history]


def _same_weights(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_history_fields():
    train, test = tiny_data()
    h = fit(tiny_model(), train, test, **KW)
    assert isinstance(h, History) and [e.epoch for e in h] == [1, 2, 3, 4]
    assert all(0 <= e.train_acc <= 1 and 0 <= e.test_acc <= 1 and e.seconds > 0 for e in h)
    assert h.column("test_acc") == [e.test_acc for e in h] and h.final is h[-1]
    assert h.seconds == pytest.approx(sum(e.seconds for e in h))
    with pytest.raises(ValueError, match="name"):
        h.column("accuracy")


def test_without_test_set_the_test_fields_are_nan():
    train, _ = tiny_data()
    h = fit(tiny_model(), train, **{**KW, "epochs": 1})
    assert math.isnan(h.final.test_acc) and math.isnan(h.final.test_loss)


def test_same_seed_same_run_other_seed_other_run():
    train, test = tiny_data()
    a, b, c = tiny_model(), tiny_model(), tiny_model()
    ha, hb = fit(a, train, test, **KW), fit(b, train, test, **KW)
    fit(c, train, test, **{**KW, "seed": 1})
    assert _same_weights(a, b) and _no_time(ha) == _no_time(hb)
    assert not _same_weights(a, c)


@pytest.mark.parametrize("stop", [1, 2, 3])
@pytest.mark.parametrize("schedule", ["onecycle", "cosine"])
def test_resume_ends_exactly_like_an_uninterrupted_run(tmp_path, stop, schedule):
    train, test = tiny_data()
    kw = {**KW, "schedule": schedule}
    full = tiny_model()
    h_full = fit(full, train, test, **kw)

    ckpt = tmp_path / "run.pt"
    first = tiny_model()
    h_first = fit(first, train, test, checkpoint=ckpt, stop_after=stop, **kw)
    assert len(h_first) == stop
    torch.manual_seed(1234)  # the interruption disturbs the global generator
    torch.randn(100)
    resumed = tiny_model(seed=99)  # a fresh process: other initial weights, restored from disk
    h_resumed = fit(resumed, train, test, checkpoint=ckpt, resume=True, **kw)

    assert _same_weights(full, resumed)
    assert _no_time(h_resumed) == _no_time(h_full)
    assert [e.seconds for e in h_resumed[:stop]] == [e.seconds for e in h_first]


def test_resume_after_the_end_trains_no_more(tmp_path):
    train, test = tiny_data()
    ckpt = tmp_path / "run.pt"
    model = tiny_model()
    h = fit(model, train, test, checkpoint=ckpt, **KW)
    again = tiny_model(seed=5)
    h2 = fit(again, train, test, checkpoint=ckpt, resume=True, **KW)
    assert h2 == h and _same_weights(model, again)


def test_resume_without_a_checkpoint_file_starts_afresh(tmp_path):
    train, test = tiny_data()
    a, b = tiny_model(), tiny_model()
    ha = fit(a, train, test, **KW)
    hb = fit(b, train, test, checkpoint=tmp_path / "new.pt", resume=True, **KW)
    assert _no_time(ha) == _no_time(hb) and (tmp_path / "new.pt").exists()


def test_resume_refuses_other_settings(tmp_path):
    train, test = tiny_data()
    ckpt = tmp_path / "run.pt"
    fit(tiny_model(), train, test, checkpoint=ckpt, stop_after=1, **KW)
    with pytest.raises(ValueError, match="lr"):
        fit(tiny_model(), train, test, checkpoint=ckpt, resume=True, **{**KW, "lr": 0.2})


def test_fit_trains_a_mobilenet():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(32, 1, 32, 32, generator=g)
    y = torch.arange(32) % 2
    x[y == 1] += 1.0
    model = MobileNetV1(0.25, 2, in_channels=1)
    h = fit(model, (x, y), (x, y), epochs=3, batch_size=16, lr=0.05, progress=False)
    assert len(h) == 3 and h.final.loss < h[0].loss


def test_evaluate_predict_and_recalibrate():
    train, test = tiny_data()
    model = tiny_model()
    fit(model, train, test, **KW)
    loss, acc = evaluate(model, test)
    pred = predict(model, test)
    assert pred.shape == (12,) and acc == pytest.approx(
        (pred == test.tensors[1]).float().mean().item()
    )
    assert loss > 0
    model.eval()
    before = [p.clone() for p in model.parameters()]
    bn = model[1]
    recalibrate_batchnorm(model, train, batch_size=36)  # one batch: exact statistics
    with torch.no_grad():
        features = model[0](train.tensors[0])
    assert torch.allclose(bn.running_mean, features.mean(dim=(0, 2, 3)), atol=1e-5)
    assert not model.training and bn.momentum == 0.1
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.0}, TypeError, "epochs"),
        ({"batch_size": 1000}, ValueError, "batch_size"),
        ({"lr": -1}, ValueError, "lr"),
        ({"optimizer": "adam"}, ValueError, "optimizer"),
        ({"schedule": "step"}, ValueError, "schedule"),
        ({"momentum": 1.0}, ValueError, "momentum"),
        ({"weight_decay": "0"}, TypeError, "weight_decay"),
        ({"label_smoothing": 1.5}, ValueError, "label_smoothing"),
        ({"augment": 3}, TypeError, "augment"),
        ({"seed": "0"}, TypeError, "seed"),
        ({"resume": True}, ValueError, "checkpoint"),
        ({"stop_after": 0}, ValueError, "stop_after"),
        ({"device": "gpu0"}, ValueError, "device"),
        ({"progress": "no"}, TypeError, "progress"),
    ],
)
def test_fit_bad_arguments(kwargs, exc, word):
    train, test = tiny_data()
    args = {"epochs": 1, "batch_size": 8, "progress": False, **kwargs}
    with pytest.raises(exc, match=word):
        fit(tiny_model(), train, test, **args)


@pytest.mark.parametrize(
    "train, exc",
    [
        ([1, 2], TypeError),
        ((torch.zeros(4, 8, 8), torch.zeros(4, dtype=torch.int64)), ValueError),
        ((torch.zeros(4, 1, 8, 8), torch.zeros(4)), ValueError),
        ((torch.zeros(4, 1, 8, 8), torch.zeros(3, dtype=torch.int64)), ValueError),
    ],
)
def test_fit_bad_data(train, exc):
    with pytest.raises(exc, match="train"):
        fit(tiny_model(), train, epochs=1, batch_size=2, progress=False)


def test_fit_bad_model():
    train, _ = tiny_data()
    with pytest.raises(TypeError, match="model"):
        fit("mobilenet", train, epochs=1)


def test_depthwise_weight_decay_gets_its_own_group():
    from mobilenet_lab.training import _make_optimizer, depthwise_parameters

    model = MobileNetV1(0.25, 10, in_channels=1)
    dw = depthwise_parameters(model)
    assert len(dw) == 13 and all(p.dim() == 4 and p.shape[1] == 1 for p in dw)
    opt = _make_optimizer("sgd", model, 0.1, 0.9, 5e-4, 0.0)
    decays = sorted(g["weight_decay"] for g in opt.param_groups)
    assert decays == [0.0, 5e-4]
    zero = next(g for g in opt.param_groups if g["weight_decay"] == 0.0)
    assert {id(p) for p in zero["params"]} == {id(p) for p in dw}
    assert len(_make_optimizer("sgd", model, 0.1, 0.9, 5e-4).param_groups) == 1


def test_depthwise_weight_decay_changes_only_depthwise_training():
    train, test = tiny_data()
    # tiny_model has no depthwise conv: the setting makes no difference there
    a, b = tiny_model(), tiny_model()
    ha = fit(a, train, test, **KW)
    hb = fit(b, train, test, depthwise_weight_decay=0.0, **KW)
    assert _no_time(ha) == _no_time(hb) and _same_weights(a, b)
    with pytest.raises(ValueError, match="depthwise_weight_decay"):
        fit(tiny_model(), train, depthwise_weight_decay=-1.0, **KW)


def test_frozen_parameters_are_not_trained():
    train, test = tiny_data()
    model = tiny_model()
    for p in model[0].parameters():
        p.requires_grad_(False)
    before = model[0].weight.clone()
    fit(model, train, test, **KW)
    assert torch.equal(model[0].weight, before)
    for p in model.parameters():
        p.requires_grad_(False)
    with pytest.raises(ValueError, match="trainable"):
        fit(model, train, **KW)


def test_progress_bar_outside_a_notebook_is_plain_tqdm(capsys):
    train, test = tiny_data()
    kw = {**KW, "progress": True, "epochs": 2}
    fit(tiny_model(), train, test, desc="tiny", **kw)
    err = capsys.readouterr().err
    assert "tiny" in err and "2/2" in err


# --- train_one_epoch and evaluate: the steps fit is made of --------------------------------------


def _sgd(model: nn.Module) -> torch.optim.SGD:
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)


def test_train_one_epoch_is_the_hand_written_loop():
    """Chapter 8's loop, written out: the same batches give bit-identical weights."""
    train, _ = tiny_data()
    images, labels = train.tensors
    by_hand, packaged = tiny_model(), tiny_model()
    opt, generator, losses = _sgd(by_hand), torch.Generator().manual_seed(0), []
    torch.manual_seed(0)  # dropout
    by_hand.train()
    order = torch.randperm(len(images), generator=generator)
    for step in range(len(images) // 8):
        idx = order[step * 8 : (step + 1) * 8]
        loss = nn.functional.cross_entropy(by_hand(images[idx]), labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    torch.manual_seed(0)
    loss, acc = train_one_epoch(
        packaged, train, _sgd(packaged), generator=torch.Generator().manual_seed(0), batch_size=8
    )
    assert _same_weights(by_hand, packaged)
    assert loss == pytest.approx(sum(losses) / len(losses), rel=1e-12) and 0 <= acc <= 1


def test_fit_is_train_one_epoch_then_evaluate_every_epoch():
    train, test = tiny_data()
    kw = dict(label_smoothing=0.1, augment=RandomAffine())
    fitted, stepped = tiny_model(), tiny_model()
    h = fit(fitted, train, test, **{**KW, **kw, "epochs": 2, "schedule": "constant"})
    opt = torch.optim.SGD(
        stepped.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4
    )
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    for e in h:
        loss, acc = train_one_epoch(stepped, train, opt, generator=generator, batch_size=8, **kw)
        assert (loss, acc) == (e.loss, e.train_acc)
        assert evaluate(stepped, test) == (e.test_loss, e.test_acc)
    assert _same_weights(fitted, stepped)


def test_train_one_epoch_steps_the_schedule_per_batch_and_drops_the_last_batch():
    train, _ = tiny_data()  # 36 images: 4 batches of 8, the last 4 images dropped
    model = tiny_model()
    opt = _sgd(model)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 0.5**step)
    seen = []

    def augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        seen.append(len(x))
        return x

    train_one_epoch(
        model,
        train,
        opt,
        generator=torch.Generator(),
        batch_size=8,
        scheduler=sched,
        augment=augment,
    )
    assert seen == [8, 8, 8, 8] and sched.last_epoch == 4
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5**4)
    assert model.training


def test_train_one_epoch_draws_only_from_its_generator():
    train, _ = tiny_data()
    runs = []
    for seed in (0, 0, 1):
        model = tiny_model()
        model[5].p = 0.0  # no dropout: the global generator is not used
        torch.manual_seed(len(runs))  # ... so setting it otherwise changes nothing
        generator = torch.Generator().manual_seed(seed)
        train_one_epoch(
            model, train, _sgd(model), generator=generator, batch_size=8, augment=RandomAffine()
        )
        runs.append(model)
    assert _same_weights(runs[0], runs[1]) and not _same_weights(runs[0], runs[2])


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"model": "net"}, TypeError, "model"),
        ({"data": [1, 2]}, TypeError, "data"),
        ({"optimizer": "sgd"}, TypeError, "optimizer"),
        ({"generator": 0}, TypeError, "generator"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 37}, ValueError, "batch_size"),
        ({"batch_size": 8.0}, TypeError, "batch_size"),
        ({"scheduler": "onecycle"}, TypeError, "scheduler"),
        ({"augment": 3}, TypeError, "augment"),
        ({"label_smoothing": 1.0}, ValueError, "label_smoothing"),
        ({"device": "gpu0"}, ValueError, "device"),
    ],
)
def test_train_one_epoch_bad_arguments(kwargs, exc, word):
    train, _ = tiny_data()
    model = tiny_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    args = dict(
        model=model, data=train, optimizer=_sgd(model), generator=torch.Generator(), batch_size=8
    )
    with pytest.raises(exc, match=word):
        train_one_epoch(**{**args, **kwargs})
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"model": "net"}, TypeError, "model"),
        ({"data": torch.zeros(4, 1, 8, 8)}, TypeError, "data"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"device": "gpu0"}, ValueError, "device"),
    ],
)
def test_evaluate_bad_arguments(kwargs, exc, word):
    _, test = tiny_data()
    with pytest.raises(exc, match=word):
        evaluate(**{"model": tiny_model(), "data": test, **kwargs})


def test_evaluate_restores_the_mode_and_ignores_the_batch_size():
    _, test = tiny_data()
    model = tiny_model().train()
    loss, acc = evaluate(model, test, batch_size=5)
    assert model.training
    assert (loss, acc) == pytest.approx(evaluate(model, test, batch_size=512), rel=1e-6)
