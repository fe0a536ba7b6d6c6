"""Exact counts: the numbers the book and the paper rest on."""

import pytest
import torch
import torchinfo
from torch import nn

import mobilenet_lab as ml
from mobilenet_lab import paper


def test_standard_vs_separable_3_to_16():
    std = nn.Conv2d(3, 16, 3, bias=False)
    dw = nn.Conv2d(3, 3, 3, groups=3, bias=False)
    pw = nn.Conv2d(3, 16, 1, bias=False)
    assert ml.count_parameters(std) == ml.standard_conv_params(3, 3, 16) == 432
    assert ml.count_parameters(dw) == ml.depthwise_conv_params(3, 3) == 27
    assert ml.count_parameters(pw) == ml.pointwise_conv_params(3, 16) == 48
    assert (
        ml.count_parameters(dw) + ml.count_parameters(pw)
        == ml.separable_conv_params(3, 3, 16)
        == 75
    )


def test_formulas_match_counter_on_a_feature_map():
    k, m, n, f = 3, 8, 16, 10
    std = nn.Conv2d(m, n, k, padding=1, bias=False)
    pair = nn.Sequential(
        nn.Conv2d(m, m, k, padding=1, groups=m, bias=False), nn.Conv2d(m, n, 1, bias=False)
    )
    size = (1, m, f, f)
    assert ml.count_mult_adds(std, size) == ml.standard_conv_mult_adds(k, m, n, f)
    assert ml.count_mult_adds(pair, size) == ml.separable_conv_mult_adds(k, m, n, f)
    ratio = ml.separable_conv_mult_adds(k, m, n, f) / ml.standard_conv_mult_adds(k, m, n, f)
    assert ratio == pytest.approx(ml.separable_cost_ratio(k, n))


def test_mobilenet_224_exact():
    model = ml.MobileNetV1()
    assert ml.count_parameters(model) == 4_231_976
    assert ml.count_mult_adds(model) == 568_740_352
    assert ml.count_mult_adds(model, (2, 3, 224, 224)) == 2 * 568_740_352


def test_torchinfo_agrees_where_conventions_agree():
    """torchinfo = our conv+FC MACs + (BatchNorm and bias parameters) once per image."""
    model = ml.MobileNetV1()
    stats = torchinfo.summary(model, input_size=(2, 3, 224, 224), verbose=0)
    assert stats.total_params == 4_231_976
    assert round(stats.total_mult_adds / 1e9, 2) == 1.14  # the blog's figure
    bn_and_bias = sum(
        p.numel()
        for mod in model.modules()
        for name, p in mod.named_parameters(recurse=False)
        if isinstance(mod, nn.BatchNorm2d) or name == "bias"
    )
    assert stats.total_mult_adds == ml.count_mult_adds(model, (2, 3, 224, 224)) + 2 * bn_and_bias
    # With no BatchNorm and no bias the two counters agree exactly.
    bare = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, bias=False),
        nn.Conv2d(8, 8, 3, groups=8, bias=False),
        nn.Conv2d(8, 16, 1, bias=False),
    )
    assert torchinfo.summary(bare, input_size=(2, 3, 32, 32), verbose=0).total_mult_adds == (
        ml.count_mult_adds(bare, (2, 3, 32, 32))
    )


def test_summary_text_is_clean():
    text = ml.summary_text(ml.MobileNetV1(), (2, 3, 224, 224))
    assert "Units." not in text
    assert "Total mult-adds (G): 1.14" in text
    assert "Total params: 4,231,976" in text


def _published_mult_adds_mismatches() -> set:
    off = set()
    for row in paper.TABLE_6 + paper.TABLE_7 + paper.SLIM_CHECKPOINTS:
        size = (1, 3, row.resolution, row.resolution)
        if round(ml.count_mult_adds(ml.MobileNetV1(row.alpha), size) / 1e6) != row.mult_adds_m:
            off.add((row.source, row.alpha, row.resolution))
    return off


def test_published_mismatches_are_exactly_the_documented_ones():
    """Every published figure rounds to our exact count, except the listed inconsistencies."""
    assert _published_mult_adds_mismatches() == set(paper.KNOWN_MULT_ADD_MISMATCHES)


def test_slim_0_75_row_leaves_out_the_first_conv():
    for row in paper.SLIM_CHECKPOINTS:
        if row.alpha == 0.75:
            rows = ml.layer_counts(ml.MobileNetV1(0.75), (1, 3, row.resolution, row.resolution))
            without_stem = sum(r.mult_adds for r in rows[1:])
            assert round(without_stem / 1e6) == row.mult_adds_m


@pytest.mark.parametrize("alpha", paper.ALPHAS)
@pytest.mark.parametrize("resolution", paper.RESOLUTIONS)
def test_grid_builds_runs_and_matches_published(alpha, resolution):
    model = ml.MobileNetV1(alpha)
    out = model.eval()(torch.zeros(1, 3, resolution, resolution))
    assert out.shape == (1, 1000)
    params = ml.count_parameters(model)
    macs = ml.count_mult_adds(model, (1, 3, resolution, resolution))
    for row in (paper.paper_row(alpha, resolution), paper.slim_row(alpha, resolution)):
        if row is None:
            continue
        # slim's parameter column (1001-class head, rounding) is within 0.01 M of ours
        assert abs(params / 1e6 - row.params_m) <= (0.05 if row.source != "TF-slim" else 0.01)
        if (row.source, alpha, resolution) in paper.KNOWN_MULT_ADD_MISMATCHES:
            assert abs(macs / 1e6 - row.mult_adds_m) < 9
        else:
            assert round(macs / 1e6) == row.mult_adds_m


def test_paper_tables_4_and_5():
    conv = ml.MobileNetV1(block="standard")
    assert round(ml.count_parameters(conv) / 1e6, 1) == 29.3
    assert ml.count_mult_adds(conv) == 4_867_293_184  # printed 4866 M: the paper is 1.3 M low
    shallow = ml.MobileNetV1(spec=ml.SHALLOW)
    assert round(ml.count_parameters(shallow) / 1e6, 1) == 2.9
    assert round(ml.count_mult_adds(shallow) / 1e6) == 307


def test_table_1_erratum_stride():
    assert round(ml.count_mult_adds(ml.MobileNetV1()) / 1e6) == 569
    assert round(ml.count_mult_adds(ml.MobileNetV1(spec=ml.TABLE_1_AS_PRINTED)) / 1e6) == 534


def test_table_2_shares():
    rows = ml.layer_counts(ml.MobileNetV1())
    kinds = ml.breakdown_by_kind(rows)
    total_macs = sum(k["mult_adds"] for k in kinds.values())
    total_w = sum(k["weights"] for k in kinds.values())
    for kind, (macs_pct, params_pct) in paper.TABLE_2.items():
        macs_pct = paper.TABLE_2_ERRATA.get(kind, macs_pct)
        assert round(100 * kinds[kind]["mult_adds"] / total_macs, 2) == macs_pct
        assert round(100 * kinds[kind]["weights"] / total_w, 2) == params_pct


def test_layer_counts_rows():
    rows = ml.layer_counts(ml.MobileNetV1(), (1, 3, 224, 224))
    convs = [r for r in rows if r.kind in ("conv", "depthwise", "pointwise")]
    assert len(convs) == 1 + 2 * 13
    assert rows[0].name == "features.0.0" and rows[0].output_shape == (1, 32, 112, 112)
    assert rows[-1].kind == "linear" and rows[-1].output_shape == (1, 1000)
    assert sum(r.params for r in rows) == 4_231_976


def test_counting_restores_training_mode():
    model = ml.MobileNetV1().train()
    ml.count_mult_adds(model)
    assert model.training
    model.eval()
    ml.count_mult_adds(model)
    assert not model.training
