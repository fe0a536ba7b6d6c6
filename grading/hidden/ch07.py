"""Hidden tests of chapter 7 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-07-param-ratio")
def test_param_ratio_counted(body_ratio_half):
    import mobilenet_lab as ml

    def params(module):
        return sum(p.numel() for p in module.parameters())

    def body(alpha):
        model = ml.MobileNetV1(alpha)
        return params(model) - params(model.classifier)

    assert isinstance(body_ratio_half, float)
    assert abs(body_ratio_half - body(0.5) / body(1.0)) < 1e-12


@hidden("ex-07-predict-mult-adds")
def test_predict_mult_adds_other_sizes(predict_mult_adds):
    import mobilenet_lab as ml

    for alpha, resolution in ((0.25, 128), (0.75, 192), (1.0, 97), (0.5, 33)):
        want = ml.count_mult_adds(ml.MobileNetV1(alpha), (1, 3, resolution, resolution))
        got = predict_mult_adds(alpha, resolution)
        assert got == want, (alpha, resolution, got, want)


WRONG = ("ex-07-param-ratio", "body_ratio_half = 0.25")
