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


@hidden("ex-04-budget-width")
def test_budget_width_is_the_widest_that_fits(widest_separable):
    import mobilenet_lab as ml

    budgets = (0, 1, 10**4, 123_457, 10**6)
    small = ((3, 64, 56), (5, 6, 10), (1, 3, 7), (7, 2, 3))
    cases = [(*layer, budget) for layer in small for budget in budgets]
    for k, m, side, budget in [*cases, (3, 1024, 7, 10**8), (3, 512, 14, 462_422_016)]:
        want = 0  # the widest N that fits, found by trying every N
        while ml.separable_conv_mult_adds(k, m, want + 1, side) <= budget:
            want += 1
        got = widest_separable(k, m, side, budget)
        assert type(got) is int and got == want, (k, m, side, budget, got, want)


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


WRONG = ("ex-04-separable-params", "sep_params_32_64 = 3 * 3 * 32 * 64")
