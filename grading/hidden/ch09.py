"""Hidden tests of chapter 9 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-09-intensity")
def test_intensity_counted_on_the_layers(intensity):
    import torch.nn as nn

    # mult-adds and floats moved counted on the layers themselves
    for kind, channels, size in (
        ("depthwise", 1, 1),
        ("depthwise", 3, 5),
        ("pointwise", 1, 1),
        ("pointwise", 3, 5),
        ("depthwise", 1024, 7),
        ("pointwise", 64, 56),
        ("depthwise", 2048, 3),
    ):
        groups = channels if kind == "depthwise" else 1
        k = 3 if kind == "depthwise" else 1
        conv = nn.Conv2d(channels, channels, k, padding=k // 2, groups=groups, bias=False)
        weights = conv.weight.numel()
        mult_adds = weights * size * size
        floats = 2 * channels * size * size + weights
        want = mult_adds / floats
        got = float(intensity(kind, channels, size))
        assert abs(got - want) <= 1e-9 * want, (kind, channels, size, got, want)


@hidden("ex-09-fold-bn")
def test_fold_bn_matches_batch_norm(fold_bn):
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(90)
    for c_out, c_in, groups, k, eps, dtype in (
        (1, 1, 1, 1, 1e-5, torch.float64),  # one channel, a 1x1 conv
        (8, 16, 1, 1, 1e-5, torch.float64),  # a pointwise conv
        (7, 7, 7, 3, 0.1, torch.float64),  # a depthwise conv, a large eps
        (6, 4, 1, 3, 1e-3, torch.float32),  # float32 tensors
    ):
        weight = torch.randn(c_out, c_in // groups, k, k, generator=g, dtype=dtype)
        gamma = torch.randn(c_out, generator=g, dtype=dtype)  # negative scales too
        beta = torch.randn(c_out, generator=g, dtype=dtype)
        mean = torch.randn(c_out, generator=g, dtype=dtype)
        var = 0.01 + 3 * torch.rand(c_out, generator=g, dtype=dtype)
        x = torch.randn(3, c_in, 6, 5, generator=g, dtype=dtype)
        want = F.batch_norm(
            F.conv2d(x, weight, padding=k // 2, groups=groups),
            mean,
            var,
            gamma,
            beta,
            False,
            0.0,
            eps,
        )
        w, b = fold_bn(weight.clone(), gamma.clone(), beta.clone(), mean.clone(), var.clone(), eps)
        have = F.conv2d(x, w.to(dtype), b.to(dtype), padding=k // 2, groups=groups)
        tol = 1e-10 if dtype == torch.float64 else 1e-4
        assert torch.allclose(have, want, rtol=tol, atol=tol), (c_out, c_in, groups, k, eps, dtype)


@hidden("ex-09-fold-bn")
def test_fold_bn_matches_torch_fusion(fold_bn):
    import torch
    from torch.nn.utils.fusion import fuse_conv_bn_weights

    # the same numbers as torch's own fusion, and the inputs left as they were
    g = torch.Generator().manual_seed(91)
    weight = torch.randn(5, 3, 3, 3, generator=g, dtype=torch.float64)
    gamma = torch.rand(5, generator=g, dtype=torch.float64) + 0.5
    beta = torch.randn(5, generator=g, dtype=torch.float64)
    mean = torch.randn(5, generator=g, dtype=torch.float64)
    var = torch.rand(5, generator=g, dtype=torch.float64) + 0.5
    inputs = [t.clone() for t in (weight, gamma, beta, mean, var)]
    w, b = fold_bn(weight, gamma, beta, mean, var, 1e-5)
    ref_w, ref_b = fuse_conv_bn_weights(weight, None, mean, var, 1e-5, gamma, beta)
    assert torch.allclose(w.double(), ref_w.detach(), rtol=1e-10, atol=1e-12)
    assert torch.allclose(b.double(), ref_b.detach(), rtol=1e-10, atol=1e-12)
    for before, after in zip(inputs, (weight, gamma, beta, mean, var)):
        assert torch.equal(before, after), "fold_bn changed its inputs in place"


@hidden("ex-09-time-calls")
def test_time_calls_on_a_fake_clock(time_calls):
    class Machine:
        # calls take a known, changing time on a fake clock: 1 s cold, then 1, 2, 3, ... ms
        def __init__(self):
            self.now, self.calls, self.log = 0.0, 0, []

        def fn(self):
            step = 1.0 if self.calls == 0 else 1e-3 * self.calls
            self.now += step
            self.log.append(step)
            self.calls += 1

        def clock(self):
            return self.now

    for rounds, number, warmup in ((1, 1, 1), (4, 5, 3), (2, 2, 1)):
        m = Machine()
        got = [
            float(v) for v in time_calls(m.fn, m.clock, rounds=rounds, number=number, warmup=warmup)
        ]
        assert m.calls == warmup + rounds * number, (rounds, number, warmup, m.calls)
        timed = m.log[warmup:]
        want = [sum(timed[r * number : (r + 1) * number]) / number for r in range(rounds)]
        assert len(got) == rounds and all(abs(a - b) < 1e-9 for a, b in zip(got, want)), (got, want)

    m = Machine()  # the defaults: rounds=7, number=3, warmup=2
    got = time_calls(m.fn, m.clock)
    assert len(got) == 7 and m.calls == 2 + 7 * 3, (len(got), m.calls)


WRONG = (
    "ex-09-intensity",
    "def intensity(kind, channels, size):\n"
    "    pixels = size * size\n"
    "    weights = 9 * channels if kind == 'depthwise' else channels * channels\n"
    "    return weights * pixels / (2 * channels * pixels)  # the weights' traffic forgotten",
)
