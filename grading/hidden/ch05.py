"""Hidden tests of chapter 5 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-05-block-params")
def test_block_params_other_widths(block_params):
    import torch.nn as nn

    for m, n in ((1, 1), (3, 7), (1024, 1024)):
        block = nn.Sequential(
            nn.Conv2d(m, m, 3, padding=1, groups=m, bias=False),
            nn.BatchNorm2d(m),
            nn.Conv2d(m, n, 1, bias=False),
            nn.BatchNorm2d(n),
        )
        want = sum(p.numel() for p in block.parameters())
        assert block_params(m, n) == want, (m, n)


@hidden("ex-05-stride-fraction")
def test_stride_fraction_other_maps(fraction_read):
    import torch
    import torch.nn.functional as F

    for h, w in ((1, 1), (1, 5), (7, 3), (8, 8), (13, 2)):
        x = torch.zeros(1, 1, h, w)
        read = F.conv2d(x, torch.zeros(1, 1, 1, 1), stride=2).numel()
        assert abs(fraction_read(h, w) - read / (h * w)) < 1e-12, (h, w)


@hidden("ex-05-separable-like")
def test_separable_like_other_convolutions(separable_like):
    import torch
    import torch.nn as nn

    for m, n, d_k, stride, padding in ((1, 1, 3, 1, 1), (5, 3, 5, 2, 2), (4, 12, 3, 2, 0)):
        conv = nn.Conv2d(m, n, d_k, stride=stride, padding=padding, bias=False)
        block = separable_like(conv)
        block.eval()
        x = torch.randn(2, m, 15, 9)
        with torch.no_grad():
            out, want = block(x), conv(x)
        assert out.shape == want.shape, (m, n, d_k, stride, padding, tuple(out.shape))
        assert float(out.min()) >= 0.0  # it ends with a ReLU
        params = sum(p.numel() for p in block.parameters())
        assert params == d_k * d_k * m + m * n + 2 * m + 2 * n, (m, n, d_k, params)


@hidden("ex-05-separable-like")
def test_separable_like_puts_each_setting_where_it_belongs(separable_like):
    import torch.nn as nn

    conv = nn.Conv2d(6, 10, 7, stride=2, padding=3, bias=False)
    block = separable_like(conv)
    convs = [x for x in block.modules() if isinstance(x, nn.Conv2d)]
    assert len(convs) == 2
    depthwise, pointwise = convs
    assert depthwise.groups == 6 and depthwise.kernel_size == (7, 7)
    assert depthwise.stride == (2, 2) and depthwise.padding == (3, 3)
    assert pointwise.kernel_size == (1, 1) and pointwise.stride == (1, 1)
    assert pointwise.padding == (0, 0) and pointwise.out_channels == 10
    assert depthwise.bias is None and pointwise.bias is None
    assert sum(isinstance(x, nn.BatchNorm2d) for x in block.modules()) == 2


WRONG = (
    "ex-05-block-params",
    "def block_params(m, n):\n    return 3 * 3 * m + m * n",
)
