"""Hidden tests of chapter 1 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-01-output-size")
def test_output_size_matches_conv2d(conv_output_size):
    import torch
    import torch.nn.functional as F

    for n in (1, 2, 5, 16, 31):
        for k in (1, 3, 5, 7):
            for s in (1, 2, 3, 4):
                for p in (0, 1, 2, 3):
                    if n + 2 * p < k:
                        continue
                    x = torch.zeros(1, 1, n, 1)
                    w = torch.zeros(1, 1, k, 1)
                    want = F.conv2d(x, w, stride=(s, 1), padding=(p, 0)).shape[2]
                    got = conv_output_size(n, k, s, p)
                    assert got == want, (n, k, s, p, got, want)


@hidden("ex-01-output-size")
def test_output_size_is_an_int(conv_output_size):
    got = conv_output_size(224, 3, 2, 1)
    assert type(got) is int, type(got)


@hidden("ex-01-conv-params")
def test_conv_params_of_a_5x5_layer(conv_params):
    import torch

    conv = torch.nn.Conv2d(16, 32, kernel_size=5, bias=False)
    assert type(conv_params) is int
    assert conv_params == sum(p.numel() for p in conv.parameters())


@hidden("ex-01-weighted-sum")
def test_weighted_sum_of_a_1x1_filter(one_output):
    import torch

    g = torch.Generator().manual_seed(11)
    x = torch.randn(1, 4, 4, generator=g)
    w = torch.randn(3, 1, 1, 1, generator=g)
    for o in range(3):
        got = float(one_output(x, w, o, 2, 3))
        assert abs(got - float(x[0, 2, 3] * w[o, 0, 0, 0])) < 1e-5


@hidden("ex-01-weighted-sum")
def test_weighted_sum_matches_conv2d(one_output):
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(12)
    x = torch.randn(6, 8, 11, generator=g)
    w = torch.randn(2, 6, 3, 3, generator=g)
    want = F.conv2d(x[None], w)[0]
    for o in range(2):
        for i in range(want.shape[1]):
            for j in range(want.shape[2]):
                got = float(one_output(x, w, o, i, j))
                assert abs(got - want[o, i, j].item()) < 1e-4, (o, i, j)


WRONG = ("ex-01-conv-params", "conv_params = 5 * 5 * 16 * 32 + 32")
