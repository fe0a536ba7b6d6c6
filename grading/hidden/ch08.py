"""Hidden tests of chapter 8 (autograder only; see grading/README.md)."""

from booktools.hidden import hidden


@hidden("ex-08-pool-size")
def test_pool_size_read_off_the_network(pool_size):
    import torch

    import mobilenet_lab as ml

    # the side of the map that reaches the average pool, read off the built network
    net = ml.MobileNetV1(0.25, 10, in_channels=1).eval()
    for size in (2, 3, 5, 15, 16, 17, 31, 65, 96, 127, 160, 192, 225, 320):
        with torch.no_grad():
            want = net.forward_features(torch.zeros(1, 1, size, size)).shape[-1]
        got = pool_size(size)
        assert got == want and float(got).is_integer(), (size, got, want)


@hidden("ex-08-accuracy")
def test_accuracy_random_predictions(accuracy):
    import random

    rng = random.Random(8)
    for n in (1, 2, 3, 7, 100, 1000):
        labels = [rng.randrange(10) for _ in range(n)]
        predictions = [t if rng.random() < 0.7 else rng.randrange(10) for t in labels]
        want = sum(p == t for p, t in zip(predictions, labels)) / n
        got = float(accuracy(list(predictions), list(labels)))
        assert abs(got - want) < 1e-12, (n, got, want)
    assert float(accuracy([4], [4])) == 1.0
    assert float(accuracy([4], [5])) == 0.0
    assert abs(float(accuracy((1, 2, 3), (1, 2, 0))) - 2 / 3) < 1e-12  # tuples too


@hidden("ex-08-cheapest")
def test_cheapest_other_results(cheapest):
    cases = [
        ([], 0.5, None),
        ([("only", 7, 0.91)], 0.9, "only"),
        ([("only", 7, 0.89)], 0.9, None),
        ([("a", 3, 0.90), ("b", 2, 0.89), ("c", 9, 0.99)], 0.90, "a"),  # reaching = at least
        ([("c", 9, 0.99), ("a", 3, 0.95), ("b", 1, 0.80)], 0.9, "a"),  # not in cost order
        ([("x", 5_000_000, 0.97), ("y", 569_000_000, 0.99), ("z", 41_000_000, 0.98)], 0.0, "x"),
        ([("x", 5_000_000, 0.97), ("y", 569_000_000, 0.99), ("z", 41_000_000, 0.98)], 0.99, "y"),
    ]
    for results, target, want in cases:
        got = cheapest([tuple(r) for r in results], target)
        assert got == want, (results, target, got, want)


@hidden("ex-08-choose-lr")
def test_choose_lr_other_sweeps(choose_lr):
    cases = [
        # the chapter's own sweep (4 epochs, alpha 0.25, 16 px), as in the book
        (
            {
                0.005: {"train": 0.208, "val": 0.156},
                0.05: {"train": 0.439, "val": 0.522},
                0.5: {"train": 0.246, "val": 0.281},
                5.0: {"train": 0.086, "val": 0.067},
            },
            0.05,
        ),
        ({0.1: {"train": 0.9, "val": 0.8}}, 0.1),
        ({1e-4: {"train": 0.2, "val": 0.9}, 1e-2: {"train": 0.99, "val": 0.7}}, 1e-4),
        (
            {
                3e-4: {"train": 0.70, "val": 0.69},
                1e-3: {"train": 0.95, "val": 0.91},
                3e-3: {"train": 0.99, "val": 0.88},
                1e-2: {"train": 1.00, "val": 0.85},
                3e-2: {"train": 0.50, "val": 0.52},
            },
            1e-3,
        ),
    ]
    for sweep, want in cases:
        got = choose_lr({lr: dict(v) for lr, v in sweep.items()})
        assert got == want, (sweep, got, want)


WRONG = (
    "ex-08-pool-size",
    "def pool_size(input_size):\n    for _ in range(5):\n        input_size //= 2\n"
    "    return input_size",
)
