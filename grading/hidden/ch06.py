"""Hidden tests of chapter 6 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-06-pointwise-params")
def test_pointwise_params_of_the_half_network(pointwise_params_half):
    import torch.nn as nn

    import mobilenet_lab as ml

    model = ml.MobileNetV1(0.5)
    want = sum(
        m.weight.numel()
        for m in model.modules()
        if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1)
    )
    assert type(pointwise_params_half) is int
    assert pointwise_params_half == want


@hidden("ex-06-fix-seed")
def test_fixed_seed_model_other_widths(fixed_seed_model):
    import torch

    import mobilenet_lab as ml

    for alpha, classes in ((0.25, 7), (1.0, 3)):
        model = fixed_seed_model(alpha, classes)
        model.eval()
        with torch.no_grad():
            out = model(torch.zeros(2, 3, 96, 96))
        assert tuple(out.shape) == (2, classes), (alpha, tuple(out.shape))
        got = sum(p.numel() for p in model.parameters())
        assert got == ml.count_parameters(ml.MobileNetV1(alpha, classes)), alpha


@hidden("ex-06-hook-counter")
def test_hook_counter_other_models(count_macs):
    import torch.nn as nn

    import mobilenet_lab as ml

    cases = (
        (nn.Sequential(nn.Flatten(), nn.Linear(12, 5)), (3, 3, 2, 2)),
        (nn.Sequential(nn.Conv2d(4, 6, 3, stride=2, groups=2)), (1, 4, 9, 9)),
        (ml.MobileNetV1(0.5, 10), (1, 3, 32, 32)),
    )
    for model, size in cases:
        want = ml.count_mult_adds(model, size)
        assert count_macs(model, size) == want, (size, want)
        assert not any(m._forward_hooks for m in model.modules())


WRONG = (
    "ex-06-hook-counter",
    "def count_macs(model, input_size):\n    return ml.count_parameters(model)",
)
