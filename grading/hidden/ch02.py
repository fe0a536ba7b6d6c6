"""Hidden tests of chapter 2 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-02-depthwise-params")
def test_depthwise_params_counted_by_torch(dw_params_32):
    import torch

    conv = torch.nn.Conv2d(32, 32, 3, groups=32, bias=False)
    assert type(dw_params_32) is int
    assert dw_params_32 == sum(p.numel() for p in conv.parameters())


@hidden("ex-02-make-depthwise")
def test_make_depthwise_other_sizes(make_depthwise):
    import torch

    for channels, k in ((1, 1), (7, 5), (4, 7)):
        conv = make_depthwise(channels, k)
        x = torch.randn(2, channels, 9, 10)
        assert conv(x).shape == x.shape, (channels, k)
        assert sum(p.numel() for p in conv.parameters()) == k * k * channels


@hidden("ex-02-make-depthwise")
def test_make_depthwise_filters_each_channel_alone(make_depthwise):
    import torch

    torch.manual_seed(0)
    conv = make_depthwise(5, 3)
    x = torch.randn(1, 5, 6, 6)
    y = torch.randn(1, 5, 6, 6)
    y[:, 1:] = x[:, 1:]  # only channel 0 differs
    with torch.no_grad():
        diff = (conv(x) - conv(y)).abs().sum(dim=(0, 2, 3))
    assert diff[0] > 0 and float(diff[1:].max()) == 0.0


WRONG = ("ex-02-depthwise-params", "dw_params_32 = 3 * 3 * 32 * 32")
