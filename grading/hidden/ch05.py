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


@hidden("ex-05-build-block")
def test_build_block_other_shapes(make_block):
    import torch
    import torch.nn as nn

    for m, n, stride in ((1, 1, 1), (5, 3, 2), (8, 16, 2)):
        block = make_block(m, n, stride)
        block.eval()
        with torch.no_grad():
            out = block(torch.randn(2, m, 7, 9))
        want = (2, n, 7, 9) if stride == 1 else (2, n, 4, 5)
        assert tuple(out.shape) == want, (m, n, stride, tuple(out.shape))
        assert float(out.min()) >= 0.0  # it ends with a ReLU
        params = sum(p.numel() for p in block.parameters())
        assert params == 9 * m + 2 * m + m * n + 2 * n, (m, n, params)
        kinds = [type(x) for x in block.modules() if type(x) is not nn.Sequential]
        assert kinds.count(nn.BatchNorm2d) == 2 and kinds.count(nn.Conv2d) == 2


WRONG = (
    "ex-05-block-params",
    "def block_params(m, n):\n    return 3 * 3 * m + m * n",
)
