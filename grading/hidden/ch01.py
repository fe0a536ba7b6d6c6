"""Hidden tests of chapter 1 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-01-conv-params")
def test_conv_params_of_a_5x5_layer(conv_params):
    import torch

    conv = torch.nn.Conv2d(16, 32, kernel_size=5, bias=False)
    assert type(conv_params) is int
    assert conv_params == sum(p.numel() for p in conv.parameters())


@hidden("ex-01-one-pixel")
def test_one_pixel_reaches_what_a_real_conv_changes(outputs_touched):
    import torch

    g = torch.Generator().manual_seed(13)
    for k, m, n in ((3, 2, 5), (5, 3, 2), (1, 6, 3), (7, 1, 4), (3, 8, 8)):
        conv = torch.nn.Conv2d(m, n, k, padding=k // 2)
        with torch.no_grad():
            conv.weight.copy_(torch.randn(n, m, k, k, generator=g))
            x = torch.randn(1, m, 15, 15, generator=g)
            nudged = x.clone()
            nudged[0, m - 1, 7, 7] += 1.0
            moved = int((conv(nudged) != conv(x)).sum())
        got = outputs_touched(k, m, n)
        assert type(got) is int and got == moved, (k, m, n, got, moved)


@hidden("ex-01-final-map")
def test_final_map_is_mobilenets_last_map(final_map_side):
    import torch

    import mobilenet_lab as ml

    model = ml.MobileNetV1(alpha=0.25, num_classes=10).eval()
    for side in (128, 97, 65, 40, 31, 3):
        with torch.no_grad():
            want = model.forward_features(torch.zeros(1, 3, side, side)).shape[-1]
        got = final_map_side(side)
        assert type(got) is int and got == want, (side, got, want)


WRONG = ("ex-01-conv-params", "conv_params = 5 * 5 * 16 * 32 + 32")
