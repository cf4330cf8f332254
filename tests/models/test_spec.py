import textwrap

import pytest

from flatliner.errors import ModelSpecError
from flatliner.models import BUILTIN_MODELS, resolve_model_spec
from flatliner.trials.run import build_model
from tests.helpers import tiny_images


def _factory_file(tmp_path, body: str):
    path = tmp_path / "user_models.py"
    path.write_text(
        "import keras\nfrom keras import layers\n\n" + textwrap.dedent(body)
    )
    return path


def test_seed_variants_differ_only_in_the_activation_layer():
    data = tiny_images(8, 8)
    a = build_model(resolve_model_spec("seed-relu"), data, seed=0)
    b = build_model(resolve_model_spec("seed-activation"), data, seed=0)
    names_a = [type(layer).__name__ for layer in a._flatten_layers(False, True)]
    names_b = [type(layer).__name__ for layer in b._flatten_layers(False, True)]
    assert names_a == [
        "Conv2D",
        "BatchNormalization",
        "ReLU",
        "Flatten",
        "Dense",
        "Dense",
    ]
    assert names_b == [n if n != "ReLU" else "Activation" for n in names_a]
    assert [w.shape for w in a.weights] == [w.shape for w in b.weights]
    assert a.layers[4].units == 4 and a.layers[5].units == 100


def test_every_builtin_builds():
    data = tiny_images(8, 8)
    for name in BUILTIN_MODELS:
        model = build_model(resolve_model_spec(name), data, seed=0)
        assert model.compiled


def test_uncompiled_factory_gets_adam_and_sparse_crossentropy(tmp_path):
    path = _factory_file(
        tmp_path,
        """
        def make():
            return keras.Sequential([layers.Flatten(), layers.Dense(100)])
        """,
    )
    model = build_model(resolve_model_spec(f"{path}:make"), tiny_images(8, 8), 0)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert "SparseCategoricalCrossentropy" in type(model.loss).__name__


def test_compiled_factory_is_left_as_compiled(tmp_path):
    path = _factory_file(
        tmp_path,
        """
        def make():
            m = keras.Sequential([layers.Flatten(), layers.Dense(100)])
            m.compile(optimizer=keras.optimizers.SGD(0.1),
                      loss="sparse_categorical_crossentropy")
            return m
        """,
    )
    model = build_model(resolve_model_spec(f"{path}:make"), tiny_images(8, 8), 0)
    assert type(model.optimizer).__name__ == "SGD"


def test_factory_that_raises_is_named_with_its_line(tmp_path):
    path = _factory_file(
        tmp_path,
        """
        def make():
            raise RuntimeError("boom")
        """,
    )
    spec = resolve_model_spec(f"{path}:make")
    with pytest.raises(ModelSpecError, match="raised RuntimeError: boom") as info:
        build_model(spec, tiny_images(8, 8), 0)
    assert f"{path}:make" in str(info.value)
    assert f"{path}:6" in str(info.value)


def test_factory_that_returns_something_else(tmp_path):
    path = _factory_file(tmp_path, "def make():\n    return 42\n")
    with pytest.raises(ModelSpecError, match="must return a keras.Model; received"):
        build_model(resolve_model_spec(f"{path}:make"), tiny_images(8, 8), 0)


def test_model_that_does_not_fit_the_input_shape(tmp_path):
    path = _factory_file(
        tmp_path,
        """
        def make():
            return keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                                     layers.Dense(100)])
        """,
    )
    with pytest.raises(
        ModelSpecError, match=r"does not accept inputs of shape \(32, 32, 3\)"
    ):
        build_model(resolve_model_spec(f"{path}:make"), tiny_images(8, 8), 0)


def test_model_with_too_few_outputs(tmp_path):
    path = _factory_file(
        tmp_path,
        """
        def make():
            return keras.Sequential([layers.Flatten(), layers.Dense(10)])
        """,
    )
    with pytest.raises(ModelSpecError, match="outputs 10 values per sample"):
        build_model(resolve_model_spec(f"{path}:make"), tiny_images(8, 8), 0)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("resnet", "neither a built-in name"),
        ("missing.py:make", "no such file"),
    ],
)
def test_bad_specs(spec, message):
    with pytest.raises(ModelSpecError, match=message):
        resolve_model_spec(spec)


def test_missing_or_uncallable_factory(tmp_path):
    path = _factory_file(tmp_path, "make = 3\n")
    with pytest.raises(ModelSpecError, match="defines no 'build'"):
        resolve_model_spec(f"{path}:build")
    with pytest.raises(ModelSpecError, match="not callable"):
        resolve_model_spec(f"{path}:make")


def test_file_that_fails_to_import(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import keras\ndef broken(:\n")
    with pytest.raises(ModelSpecError, match="importing .* raised SyntaxError"):
        resolve_model_spec(f"{path}:make")


def test_a_model_file_that_exits_when_imported_is_an_error_not_an_exit(tmp_path):
    path = _factory_file(tmp_path, "raise SystemExit(3)\n\ndef make():\n    pass\n")
    with pytest.raises(ModelSpecError, match=r"raised SystemExit: 3"):
        resolve_model_spec(f"{path}:make")


def test_a_factory_that_hands_out_one_model_object_is_refused():
    import keras
    import pytest

    from flatliner.errors import ModelSpecError
    from flatliner.models.spec import ModelSpec

    cached = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    same = ModelSpec("cache.py:factory", lambda _k: cached, "cache.py:factory")
    assert same.build(2) is cached
    with pytest.raises(ModelSpecError, match="same model object"):
        same.build(2)
    # A factory that builds a new model per call is fine, call after call.
    fresh = ModelSpec(
        "fresh.py:factory",
        lambda _k: keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]),
        "fresh.py:factory",
    )
    assert fresh.build(2) is not fresh.build(2)
