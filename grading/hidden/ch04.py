"""Hidden tests of chapter 4 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-04-separable-params")
def test_separable_params_counted_by_torch(sep_params_32_64):
    import torch

    dw = torch.nn.Conv2d(32, 32, 3, groups=32, bias=False)
    pw = torch.nn.Conv2d(32, 64, 1, bias=False)
    want = sum(p.numel() for conv in (dw, pw) for p in conv.parameters())
    assert type(sep_params_32_64) is int
    assert sep_params_32_64 == want


@hidden("ex-04-when-cheaper")
def test_when_cheaper_every_shape(separable_is_cheaper):
    for k in (1, 2, 3, 5, 7):
        for m in (1, 2, 3, 16, 64):
            for n in (1, 2, 3, 16, 64):
                want = k * k * m + m * n < k * k * m * n
                got = separable_is_cheaper(k, m, n)
                assert isinstance(got, bool) and got == want, (k, m, n)


@hidden("ex-04-table3-speedup")
def test_table3_speedup_from_the_counts(table3_speedup):
    import mobilenet_lab as ml

    want = ml.standard_conv_mult_adds(3, 512, 512, 14) / ml.separable_conv_mult_adds(
        3, 512, 512, 14
    )
    assert isinstance(table3_speedup, float)
    assert abs(table3_speedup - want) < 1e-9


@hidden("ex-04-fit-separable")
def test_fit_separable_other_filters(fit_separable):
    import torch

    g = torch.Generator().manual_seed(40)
    d = torch.randn(2, 5, 5, generator=g)
    p = torch.randn(3, 2, generator=g)
    kernel = p[:, :, None, None] * d[None]  # exactly factorisable, k = 5
    D, P = fit_separable(kernel.clone())
    assert tuple(D.shape) == (2, 5, 5) and tuple(P.shape) == (3, 2)
    approx = P[:, :, None, None] * D[None]
    error = torch.linalg.norm(approx - kernel) / torch.linalg.norm(kernel)
    assert float(error) < 0.05, float(error)


WRONG = ("ex-04-table3-speedup", "table3_speedup = 9.0")
