import pytest

from flatliner.errors import ConfigError
from flatliner.stats.power import seeds_for_power


@pytest.mark.parametrize(
    ("effect", "seeds"), [(0.2, 199), (0.5, 34), (0.8, 15), (1.0, 10), (-0.5, 34)]
)
def test_matches_published_paired_t_test_sample_sizes(effect, seeds):
    # Two-sided paired t-test, alpha 0.05, power 0.8 (Cohen's tables, G*Power).
    assert seeds_for_power(effect) == seeds


def test_no_effect_needs_no_finite_study():
    assert seeds_for_power(0.0) is None
    assert seeds_for_power(float("nan")) is None


def test_bad_power_is_refused():
    with pytest.raises(ConfigError, match="power must be strictly between"):
        seeds_for_power(0.5, power=1.2)
