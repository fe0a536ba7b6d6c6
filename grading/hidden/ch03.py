"""Hidden tests of chapter 3 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-03-pointwise-params")
def test_pointwise_params_counted_by_torch(pw_params_32_64):
    import torch

    conv = torch.nn.Conv2d(32, 64, 1, bias=False)
    assert type(pw_params_32_64) is int
    assert pw_params_32_64 == sum(p.numel() for p in conv.parameters())


@hidden("ex-03-linear-as-conv")
def test_linear_as_conv_is_the_classifier_at_every_pixel(as_conv1x1):
    import copy

    import torch

    g = torch.Generator().manual_seed(33)
    for m, n, bias in ((1024, 1000, True), (7, 2, False), (1, 9, True)):
        linear = torch.nn.Linear(m, n, bias=bias)
        conv = as_conv1x1(copy.deepcopy(linear))
        assert isinstance(conv, torch.nn.Conv2d) and conv.kernel_size == (1, 1)
        x = torch.randn(2, m, 7, 5, generator=g)
        with torch.no_grad():
            want = linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
            assert torch.allclose(conv(x), want, atol=1e-4), (m, n, bias)
            # averaging the map's scores = the linear layer on the pooled features
            pooled = conv(x).mean(dim=(2, 3))
            assert torch.allclose(pooled, linear(x.mean(dim=(2, 3))), atol=1e-4)


WRONG = (
    "ex-03-linear-as-conv",
    "def as_conv1x1(linear):\n"
    "    return torch.nn.Conv2d(linear.in_features, linear.out_features, 1)",
)
