from flatliner.stats.metric_comparison import (
    IDENTICAL,
    NO_DIFFERENCE,
    NOT_SIGNIFICANT,
    SIGNIFICANT,
    TOO_FEW,
    compare_collapses,
    compare_scores,
)

HEALTHY = [0.14, 0.15, 0.16, 0.15, 0.148, 0.152, 0.149]
COLLAPSED = [0.01, 0.0101, 0.0099, 0.01, 0.0102, 0.0098, 0.01]


def test_identical_training_needs_no_test():
    result = compare_scores("acc", COLLAPSED, COLLAPSED, identical=True)
    assert result.verdict == IDENTICAL
    assert result.p_value is None


def test_identical_lists_are_no_difference():
    assert compare_scores("acc", HEALTHY, HEALTHY).verdict == NO_DIFFERENCE


def test_far_apart_lists_are_significant_by_the_paired_test():
    result = compare_scores("acc", COLLAPSED, HEALTHY)
    assert result.verdict == SIGNIFICANT
    assert result.test == "wilcoxon"
    assert result.interval.low > 0.1
    assert result.aso_b_better < 0.2
    assert result.seeds_for_80_power is not None


def test_five_pairs_fall_back_to_mann_whitney():
    result = compare_scores("acc", COLLAPSED[:5], HEALTHY[:5])
    assert result.test == "mann_whitney"
    assert result.verdict == SIGNIFICANT


def test_one_run_against_five_is_too_few_seeds():
    result = compare_scores("acc", HEALTHY[:1], COLLAPSED[:5])
    assert result.verdict == TOO_FEW
    assert not result.paired


def test_overlapping_lists_are_not_significant():
    a = [0.10, 0.12, 0.11, 0.13, 0.09, 0.12]
    b = [0.11, 0.10, 0.12, 0.12, 0.10, 0.13]
    assert compare_scores("acc", a, b).verdict == NOT_SIGNIFICANT


def test_loss_direction_flips_the_aso_scores():
    result = compare_scores(
        "loss", [4.6] * 4 + [4.61], [3.6, 3.7, 3.65, 3.62, 3.7], higher_is_better=False
    )
    assert result.aso_b_better < 0.2


def test_collapse_counts_sanity_pair():
    assert compare_collapses([True] * 5, [False] * 5).verdict == SIGNIFICANT
    assert compare_collapses([True] * 5, [True] * 5).verdict == NO_DIFFERENCE
    assert compare_collapses([True], [False] * 5).verdict == TOO_FEW
