"""Hidden tests of chapter 2 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-02-depthwise-params")
def test_depthwise_params_counted_by_torch(dw_params_32):
    import torch

    conv = torch.nn.Conv2d(32, 32, 3, groups=32, bias=False)
    assert type(dw_params_32) is int
    assert dw_params_32 == sum(p.numel() for p in conv.parameters())


@hidden("ex-02-strided-depthwise")
def test_strided_depthwise_counted_on_real_layers(depthwise_mult_adds):
    import torch

    import mobilenet_lab as ml

    for k, m, side, stride in (
        (3, 128, 56, 2),
        (3, 5, 15, 2),
        (5, 4, 9, 3),
        (7, 2, 8, 1),
        (1, 3, 6, 2),
    ):
        conv = torch.nn.Conv2d(m, m, k, stride, padding=k // 2, groups=m, bias=False)
        want = ml.count_mult_adds(conv, (1, m, side, side))
        got = depthwise_mult_adds(k, m, side, stride)
        assert type(got) is int and got == want, (k, m, side, stride, got, want)


WRONG = ("ex-02-depthwise-params", "dw_params_32 = 3 * 3 * 32 * 32")
