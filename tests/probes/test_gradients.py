import numpy as np
import pytest

from flatliner.probes.gradients import gradient_rms


def test_gradient_rms_of_a_softmax_layer_matches_the_closed_form():
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5)).astype("float32")
    y = rng.integers(0, 3, 16)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((5,)), keras.layers.Dense(3, activation="softmax", name="out")]
    )
    model.compile("sgd", "sparse_categorical_crossentropy")
    rms = gradient_rms(model, x, y)

    # d(mean CE)/dW = x^T (p - onehot) / n, d/db = mean(p - onehot).
    w, b = (np.asarray(v) for v in model.get_weights())
    logits = x @ w + b
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = p - np.eye(3)[y]
    gw, gb = x.T @ delta / 16, delta.mean(axis=0)
    expected = np.sqrt((np.sum(gw**2) + np.sum(gb**2)) / (gw.size + gb.size))
    assert rms == {"out": pytest.approx(expected, rel=1e-4)}


def test_a_model_without_a_compiled_loss_gets_no_gradients():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    assert gradient_rms(model, np.zeros((1, 2)), np.zeros(1)) == {}
