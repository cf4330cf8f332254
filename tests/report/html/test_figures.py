import math

from flatliner.report.html.figures import _loss_range, dead_units, predicted_classes
from flatliner.report.view import build_view
from tests.report.reports import judged


def _view(a="collapsed", b="healthy"):
    return build_view(judged(a, b), num_classes=100, data="tiny")


def test_loss_stuck_at_ln_k_is_drawn_on_a_readable_scale():
    lo, hi = _loss_range(_view("collapsed", "collapsed"))
    assert lo < math.log(100) < hi
    assert hi - lo >= 0.2 * math.log(100)


def test_loss_range_holds_every_loss():
    view = _view()
    lo, hi = _loss_range(view)
    losses = [r.val_loss for run in view.runs.values() for r in run.epochs]
    assert lo <= min(losses) and max(losses) <= hi


def test_dead_unit_caption_counts_runs_dead_at_the_end():
    captions = [caption for caption, _ in dead_units(_view())]
    d1 = next(c for c in captions if c.startswith("d1 "))
    assert "All units dead at the end in 2 of 4 runs" in d1
    act = next(c for c in captions if c.startswith("act "))
    assert "in 0 of 4 runs" in act


def test_class_histogram_caption_reports_the_top_share():
    captions = [caption for caption, _ in predicted_classes(_view())]
    assert "classes predicted per seed: 1, 1 of 100" in captions[0]
    assert "takes 100% of the 2000 predictions" in captions[0]
    assert "takes 100%" not in captions[1]
