import keras
import numpy as np
import pytest

from flatliner.diagnoses.finding import Fix
from flatliner.fixes.fixed_model import fixed_spec
from flatliner.fixes.layer_swap import LayerNotFound
from flatliner.fixes.recipes import RECIPES, FixNotApplicable
from flatliner.models.spec import resolve_model_spec
from flatliner.trials.run import build_model
from tests.fixes.models import Nested, functional, sequential, spec
from tests.helpers import tiny_images

DATA = tiny_images(n_train=8, n_test=8)
FORMS = {
    "subclassed": resolve_model_spec("seed-relu"),
    "sequential": spec("sequential", sequential),
    "functional": spec("functional", functional),
}


def _build(model_spec, fix):
    return build_model(fixed_spec(model_spec, fix), DATA, seed=0)


def _layer(model, name):
    return getattr(model, name, None) or model.get_layer(name)


@pytest.mark.parametrize("form", FORMS)
def test_remove_activation_makes_the_dense_layer_linear(form):
    model = _build(FORMS[form], Fix("remove_activation", "", "d1"))
    assert _layer(model, "d1").activation is keras.activations.linear
    assert len([w for w in model.weights if w.shape == (4096, 4)]) == 1


@pytest.mark.parametrize("form", FORMS)
def test_leaky_relu_keeps_a_gradient_below_zero(form):
    model = _build(FORMS[form], Fix("leaky_relu", "", "d1"))
    dense = _layer(model, "d1")
    values = keras.ops.convert_to_numpy(dense.activation(np.array([-1.0, 2.0])))
    np.testing.assert_allclose(values, [-0.2, 2.0], rtol=1e-6)


@pytest.mark.parametrize("form", FORMS)
def test_widen_layer_gives_128_units_and_the_next_layer_follows(form):
    model = _build(FORMS[form], Fix("widen_layer", "", "d1"))
    shapes = sorted(tuple(w.shape) for w in model.weights if len(w.shape) == 2)
    assert (4096, 128) in shapes and (128, 100) in shapes
    assert (4096, 4) not in shapes


@pytest.mark.parametrize("form", ["sequential", "functional"])
def test_remove_activation_on_an_activation_layer_replaces_it(form):
    model = _build(FORMS[form], Fix("remove_activation", "", "act"))
    assert type(model.get_layer("act")).__name__ == "Identity"


@pytest.mark.parametrize("form", ["sequential", "functional"])
def test_global_pooling_replaces_flatten(form):
    model = _build(FORMS[form], Fix("global_pooling", "", "flat"))
    assert type(model.get_layer("flat")).__name__ == "GlobalAveragePooling2D"
    assert model.get_layer("d1").kernel.shape == (4, 4)


def test_nested_subclassed_layer_in_a_list_is_swapped():
    model = _build(spec("nested", Nested), Fix("widen_layer", "", "blocks[0].dense"))
    assert model.blocks[0].dense.kernel.shape == (3072, 128)
    assert len(model.weights) == 4


def test_lower_learning_rate_divides_by_ten():
    model = _build(FORMS["subclassed"], Fix("lower_learning_rate", ""))
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-4)
    assert type(model.optimizer).__name__ == "Adam"


def test_lower_learning_rate_keeps_a_compiled_models_loss():
    def compiled(num_classes=100):
        model = sequential()
        model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="mse")
        return model

    model = _build(spec("compiled", compiled), Fix("lower_learning_rate", ""))
    assert type(model.optimizer).__name__ == "RMSprop"
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert model.loss == "mse"


def test_change_optimizer_uses_sgd():
    model = _build(FORMS["functional"], Fix("change_optimizer", ""))
    assert type(model.optimizer).__name__ == "SGD"


def test_flip_from_logits_flips_the_loss():
    model = _build(FORMS["sequential"], Fix("flip_from_logits", ""))
    assert model.loss.get_config()["from_logits"] is True


@pytest.mark.parametrize("value", [True, False])
def test_from_logits_fixes_set_the_value_the_loss_rules_ask_for(value):
    action = f"from_logits_{str(value).lower()}"
    model = _build(FORMS["sequential"], Fix(action, ""))
    assert model.loss.get_config()["from_logits"] is value


def test_rescale_inputs_divides_pixels_by_255():
    plain = build_model(FORMS["sequential"], DATA, seed=0)
    model = _build(FORMS["sequential"], Fix("rescale_inputs", ""))
    x = DATA.x_train[:2] * 255.0
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model(x)),
        keras.ops.convert_to_numpy(plain(DATA.x_train[:2])),
        rtol=1e-4,
        atol=1e-6,
    )


def test_missing_target_layer_names_the_layers_there():
    with pytest.raises(LayerNotFound, match="'d9' is not in the model"):
        _build(FORMS["subclassed"], Fix("widen_layer", "", "d9"))


def test_widening_a_layer_without_units_is_refused():
    with pytest.raises(FixNotApplicable, match="units or filters"):
        _build(FORMS["sequential"], Fix("widen_layer", "", "flat"))


def test_an_already_built_subclassed_model_is_refused():
    def built(num_classes=100):
        model = Nested()
        model(DATA.x_train[:1])
        return model

    with pytest.raises(LayerNotFound, match="already built"):
        _build(spec("built", built), Fix("widen_layer", "", "out"))


def test_every_fix_of_the_dead_layer_finding_has_a_recipe():
    from flatliner.diagnoses.dead_units import _fixes

    assert {f.action for f in _fixes("d1", "Dense", 4)} <= set(RECIPES)


@pytest.mark.parametrize("form", ["sequential", "functional"])
def test_a_graph_copy_starts_from_the_originals_weights(form):
    plain = build_model(FORMS[form], DATA, seed=0)
    model = _build(FORMS[form], Fix("remove_activation", "", "d1"))
    for before, after in zip(plain.weights, model.weights, strict=True):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(before), keras.ops.convert_to_numpy(after)
        )


def test_linear_output_removes_the_output_softmax():
    model = _build(FORMS["sequential"], Fix("linear_output", "", "d2"))
    assert _layer(model, "d2").activation is keras.activations.linear
