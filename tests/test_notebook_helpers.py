"""The small helpers chapters share (mobilenet_lab.notebook)."""

from unittest import mock

from mobilenet_lab import notebook


def test_show_table_gives_html_and_aligned_text():
    with mock.patch("IPython.display.display") as display:
        notebook.show_table(["layer", "params"], [["conv <1>", 864], ["fc", 1_025_000]])
    (bundle,), kwargs = display.call_args
    assert kwargs == {"raw": True}
    assert bundle["text/plain"].splitlines() == [
        "layer     params",
        "conv <1>  864",
        "fc        1025000",
    ]
    assert "<td>conv &lt;1&gt;</td>" in bundle["text/html"]
