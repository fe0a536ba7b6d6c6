"""Hidden tests of chapter 10 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-10-map-key")
def test_map_key_every_timm_key(timm_to_ours):
    import mobilenet_lab as ml
    from mobilenet_lab.pretrained import timm_key_map

    # every key of timm's mobilenetv1_100, and the result is a real key of our network
    ours = set(ml.MobileNetV1(activation="relu6").state_dict())
    for key, want in timm_key_map().items():
        got = timm_to_ours(key)
        assert got == want, (key, got, want)
        assert got in ours, got


@hidden("ex-10-normalise")
def test_normalise_one_pixel(normalise):
    from mobilenet_lab.pretrained import MEAN, STD

    for pixel in (1, 2, 64, 127, 191, 200, 254):
        want = (pixel / 255 - MEAN[0]) / STD[0]
        got = float(normalise(pixel))
        assert abs(got - want) < 1e-9, (pixel, got, want)


@hidden("ex-10-normalise")
def test_normalise_a_whole_image(normalise):
    import torch

    # a whole image at once: a uint8 tensor, the way the pixels arrive
    pixels = torch.arange(256, dtype=torch.uint8).reshape(16, 16)
    got = normalise(pixels)
    want = pixels.double() / 255 * 2 - 1
    assert torch.allclose(torch.as_tensor(got).double(), want, atol=1e-6)


@hidden("ex-10-resize")
def test_resized_size_other_shapes(resized_size):
    import math

    # the shorter side becomes 256, the longer one keeps the aspect ratio, truncated
    for height, width in (
        (1, 1),
        (224, 224),
        (256, 257),
        (480, 640),
        (1080, 1920),
        (1920, 1080),
        (3, 1000),
        (999, 998),
    ):
        short, long = min(height, width), max(height, width)
        scaled = math.floor(256 * long / short)
        want = (256, scaled) if height <= width else (scaled, 256)
        got = tuple(resized_size(height, width))
        assert got == want, (height, width, got, want)


WRONG = ("ex-10-normalise", "def normalise(pixel):\n    return (pixel / 255 - 0.485) / 0.229")
