import numpy as np

from flatliner.probes.predicted_classes import predicted_classes


def test_constant_output_predicts_one_class():
    p = np.full((20, 10), 0.1)
    p[:, 3] = 0.1 + 1e-3
    result = predicted_classes(p / p.sum(axis=1, keepdims=True))
    assert result.distinct == 1 and result.counts == {3: 20}
    assert abs(result.entropy - np.log(10)) < 1e-3


def test_counts_match_argmax_reference():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(200, 7))
    result = predicted_classes(logits)
    reference = np.bincount(logits.argmax(axis=1), minlength=7)
    assert result.distinct == int(np.sum(reference > 0))
    assert all(reference[k] == v for k, v in result.counts.items())
