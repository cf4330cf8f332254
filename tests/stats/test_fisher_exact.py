import pytest
from scipy import stats

from flatliner.errors import ConfigError
from flatliner.stats.fisher_exact import fisher_exact


@pytest.mark.parametrize(
    "table", [(5, 5, 0, 5), (3, 5, 0, 5), (2, 6, 4, 6), (0, 3, 7, 10), (4, 4, 4, 4)]
)
def test_p_value_and_odds_ratio_match_scipy(table):
    ca, na, cb, nb = table
    ours = fisher_exact(ca, na, cb, nb)
    ref = stats.fisher_exact([[ca, cb], [na - ca, nb - cb]])
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    if ref.statistic == ref.statistic:  # scipy gives nan for an empty row
        assert ours.statistic == pytest.approx(ref.statistic)


def test_all_against_none_of_five_is_significant():
    assert fisher_exact(5, 5, 0, 5).p_value == pytest.approx(2 / 252)


def test_more_collapses_than_runs_is_refused():
    with pytest.raises(ConfigError, match="6 of 5"):
        fisher_exact(6, 5, 0, 5)
