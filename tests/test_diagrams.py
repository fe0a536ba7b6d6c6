"""The Figure 2 drawing (mobilenet_lab.diagrams): sizes follow the layers' real weight shapes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from torch import nn  # noqa: E402

from mobilenet_lab import diagrams  # noqa: E402


def blog_layers(m: int = 3, n: int = 16, k: int = 3):
    standard = nn.Conv2d(m, n, k, padding=k // 2, bias=False)
    depthwise = nn.Conv2d(m, m, k, padding=k // 2, groups=m, bias=False)
    pointwise = nn.Conv2d(m, n, 1, bias=False)
    return standard, depthwise, pointwise


def weight_squares(fig) -> int:
    return sum(1 for p in fig.axes[0].patches if p.get_gid() == "weight")


def test_filter_shapes_are_the_weight_shapes():
    standard, depthwise, pointwise = blog_layers()
    assert diagrams.filter_shapes(standard) == (16, 3, 3, 3)
    assert diagrams.filter_shapes(depthwise) == (3, 1, 3, 3)
    assert diagrams.filter_shapes(pointwise) == (16, 3, 1, 1)


@pytest.mark.parametrize(("m", "n", "k"), [(3, 16, 3), (2, 5, 5), (4, 4, 1)])
def test_one_square_per_weight(m, n, k):
    layers = blog_layers(m, n, k)
    fig = diagrams.draw_figure2(*layers)
    try:
        assert weight_squares(fig) == sum(conv.weight.numel() for conv in layers)
        text = " ".join(t.get_text() for t in fig.axes[0].texts)
        assert f"{n} filters of {k}×{k}×{m}" in text
        assert f"{m} filters of {k}×{k}×1" in text
        assert f"{n} filters of 1×1×{m}" in text
    finally:
        plt.close(fig)


def test_blog_example_labels_432_27_48():
    fig = diagrams.draw_figure2(*blog_layers())
    try:
        text = " ".join(t.get_text() for t in fig.axes[0].texts)
        assert "= 432 weights" in text and "= 27 weights" in text and "= 48 weights" in text
        assert "27 + 48 = 75 weights instead of 432" in text
        assert weight_squares(fig) == 432 + 27 + 48
    finally:
        plt.close(fig)


def test_depthwise_filter_c_reads_channel_c():
    _, depthwise, _ = blog_layers()
    assert [diagrams._channel_of(depthwise, c, 0) for c in range(3)] == [0, 1, 2]


def test_bad_input_names_the_argument():
    standard, depthwise, _ = blog_layers()
    with pytest.raises(TypeError, match="pointwise"):
        diagrams.draw_figure2(standard, depthwise, nn.Linear(3, 16))
    with pytest.raises(TypeError, match="conv"):
        diagrams.filter_shapes("conv")
    with pytest.raises(ValueError, match="titles"):
        diagrams.draw_figure2(*blog_layers(), titles=("a", "b"))


def test_filters_wrap_per_row():
    standard, _, _ = blog_layers()
    fig, ax = plt.subplots()
    try:
        width8, height8 = diagrams.draw_filter_bank(ax, standard, 0.0, per_row=8)
        width16, height16 = diagrams.draw_filter_bank(ax, standard, 0.0, per_row=16)
        assert width16 > 1.9 * width8 and height8 > 1.9 * height16
        with pytest.raises(ValueError, match="per_row"):
            diagrams.draw_filter_bank(ax, standard, 0.0, per_row=0)
    finally:
        plt.close(fig)
