"""Hidden tests of chapter 3 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-03-pointwise-params")
def test_pointwise_params_counted_by_torch(pw_params_32_64):
    import torch

    conv = torch.nn.Conv2d(32, 64, 1, bias=False)
    assert type(pw_params_32_64) is int
    assert pw_params_32_64 == sum(p.numel() for p in conv.parameters())


@hidden("ex-03-pointwise-matmul")
def test_pointwise_matmul_matches_conv2d(pointwise):
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(3)
    for b, m, n, h, w in ((3, 1, 7, 5, 9), (1, 6, 1, 1, 1), (2, 4, 4, 3, 2)):
        x = torch.randn(b, m, h, w, generator=g)
        weight = torch.randn(n, m, generator=g)
        got = pointwise(x, weight)
        want = F.conv2d(x, weight[:, :, None, None])
        assert tuple(got.shape) == tuple(want.shape), (b, m, n, h, w)
        assert torch.allclose(got, want, atol=1e-5)


WRONG = (
    "ex-03-pointwise-matmul",
    'def pointwise(x, weight):\n    return torch.einsum("om,bmhw->bohw", weight.T, x)',
)
