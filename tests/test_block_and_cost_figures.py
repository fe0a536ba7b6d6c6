"""The drawing modules behind chapters 5–7's figures: numbers from the real layers, bad input
rejected, a figure returned."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import mobilenet_lab as ml  # noqa: E402
from mobilenet_lab.cost_plots import (  # noqa: E402
    draw_cost_grid,
    draw_layer_costs,
    layer_costs,
    shares,
)
from mobilenet_lab.diagrams_block import block_boxes, draw_block_comparison  # noqa: E402


def test_block_boxes_follow_the_layers():
    standard, separable = block_boxes(64, 128, size=112, stride=2)
    assert [b.kind for b in standard] == ["conv", "batchnorm", "relu"]
    assert [b.kind for b in separable] == [
        "depthwise", "batchnorm", "relu", "pointwise", "batchnorm", "relu",
    ]  # fmt: skip
    assert f"{ml.standard_conv_params(3, 64, 128):,} weights" in standard[0].label
    assert "stride 2" in separable[0].label and "stride 1" in separable[3].label
    assert f"{ml.depthwise_conv_params(3, 64):,} weights" in separable[0].label
    assert f"{ml.pointwise_conv_params(64, 128):,} weights" in separable[3].label
    assert separable[0].output == "56×56×64" and separable[-1].output == "56×56×128"
    assert standard[-1].output == separable[-1].output


def test_block_boxes_stride_one_keeps_the_map():
    _, separable = block_boxes(8, 16, size=10, stride=1)
    assert separable[-1].output == "10×10×16"


@pytest.mark.parametrize(
    "kwargs", [{"m": 0, "n": 4}, {"m": 4, "n": 4, "stride": 3}, {"m": 4, "n": 2.5}]
)
def test_block_boxes_reject_bad_input(kwargs):
    with pytest.raises((ValueError, TypeError)):
        block_boxes(**kwargs)


def test_draw_block_comparison_returns_a_figure():
    fig = draw_block_comparison(32, 64, 112, 1)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "input 112×112×32" in texts and "output 112×112×64" in texts
    plt.close(fig)


def test_layer_costs_and_shares_match_table_2():
    costs = layer_costs(ml.MobileNetV1())
    assert len(costs) == 28 and costs[-1].kind == "linear" and costs[-1].side == 1
    assert sum(c.mult_adds for c in costs) == ml.count_mult_adds(ml.MobileNetV1())
    share = shares(costs)
    assert round(100 * share["pointwise"][0], 2) == 94.86
    assert round(100 * share["pointwise"][1], 2) == 74.59
    assert sum(s[0] for s in share.values()) == pytest.approx(1)


def test_draw_layer_costs_and_grid():
    costs = layer_costs(ml.MobileNetV1(0.25), (1, 3, 64, 64))
    fig = draw_layer_costs(costs)
    assert len(fig.axes) == 4
    plt.close(fig)
    fig = draw_cost_grid({(1.0, 224): 569_000_000, (0.5, 224): 149_000_000}, {(1.0, 224): 70.9})
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "569 M\n70.9%" in texts and "149 M" in texts
    plt.close(fig)
    with pytest.raises(ValueError):
        draw_layer_costs([])
    with pytest.raises(ValueError):
        draw_cost_grid({}, {})
