"""The generalisation explorer's callbacks, every control driven from Python.

The test sets each control's ``.value`` and reads back what changed: the run's settings, the
line data, images and scatter offsets of the figure, and the readout.  Values the sliders
would never send (a widened range, a NaN) must be clamped or refused in the kernel.
"""
import html
import io

import numpy as np
import pytest
from PIL import Image

from backproplab import Network, budget
from backproplab import generalisation as g
from backproplab.widgets import GeneralisationExplorer
from backproplab.widgets import common
from backproplab.widgets import generalisation as gw
from test_generalisation import _diverging_train  # stands in for Network.train: two recordings, then diverges

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def explorer():
    return GeneralisationExplorer()


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_app_shape_a_widget_attribute_and_no_arguments(explorer):
    assert explorer.widget is not None and explorer.widget.children
    assert repr(explorer.widget).startswith("GeneralisationExplorer:")
    assert explorer.values() == g.DEFAULTS


def test_defaults_are_drawn(explorer):
    r = explorer.result
    np.testing.assert_array_equal(explorer.training_line.get_ydata(), r.curves.training_cost)
    np.testing.assert_array_equal(explorer.validation_line.get_xdata(), r.curves.iterations)
    np.testing.assert_array_equal(explorer.validation_line.get_ydata(), r.curves.validation_cost)
    k = r.curves.best
    np.testing.assert_array_equal(explorer.best_point.get_ydata(), [r.curves.validation_cost[k]])
    assert not explorer.stop_line.get_visible()
    np.testing.assert_array_equal(explorer.regions.get_array(), r.regions)
    assert explorer.regions.get_visible() and not explorer.confusion.get_visible()
    labels = np.argmax(r.Y, axis=1)
    np.testing.assert_array_equal(explorer.train_points[1].get_offsets(), r.X[labels == 1])
    X_test, Y_test = r.split.test
    np.testing.assert_array_equal(explorer.test_points[0].get_offsets(), X_test[np.argmax(Y_test, axis=1) == 0])
    text = explorer.readout.value
    assert f"test accuracy {r.test_accuracy:.1%}" in text and f"({r.n_test_correct}/500)" in text
    assert "Overfitting" in text and "nan" not in text.lower()
    assert explorer.view.image.value[:4] == b"\x89PNG"


def test_keywords_set_the_controls_and_unknown_ones_fail():
    e = GeneralisationExplorer(dataset="xor", n_train=50, hidden=7, weight_decay=1e-3, iterations=200, seed=3)
    assert e.result.settings == dict(g.DEFAULTS, dataset="xor", n_train=50, hidden=7, weight_decay=1e-3,
                                     iterations=200, seed=3)
    assert e.result.net.sizes == (2, 7, 2)
    e = GeneralisationExplorer(weight_decay=0.002, n_train=25, iterations=300)  # off the sliders' steps: added
    assert e.result.settings["weight_decay"] == 0.002 and e.result.settings["n_train"] == 25
    with pytest.raises(TypeError, match="unknown control"):
        GeneralisationExplorer(learning_rate=1)


def test_sliders_do_not_retrain_while_dragged(explorer):
    for control in (explorer.n_train, explorer.hidden, explorer.weight_decay, explorer.dropout, explorer.iterations):
        assert control.continuous_update is False


def test_weight_decay_slider_is_logarithmic_and_includes_zero(explorer):
    values = [value for _, value in explorer.weight_decay.options]
    assert values[0] == 0.0 and values == sorted(values)
    ratios = np.array(values[2:]) / np.array(values[1:-1])
    assert np.all((ratios > 2.9) & (ratios < 3.5))  # 1e-5, 3e-5, 1e-4, ...: even steps on a log scale


@pytest.mark.parametrize("name, value, check", [
    ("n_train", 200, lambda r: len(r.X) == 200),
    ("hidden", 5, lambda r: r.net.sizes == (2, 5, 2)),
    ("weight_decay", 1e-2, lambda r: r.settings["weight_decay"] == 1e-2),
    ("dropout", 0.3, lambda r: r.settings["dropout"] == 0.3),
    ("iterations", 500, lambda r: r.curves.iterations[-1] == 500),
    ("seed", 4, lambda r: r.settings["seed"] == 4),
    ("dataset", "circles", lambda r: r.split.name == "circles"),
])
def test_each_control_retrains_and_redraws(name, value, check):
    e = GeneralisationExplorer()
    before = e.validation_line.get_ydata().copy(), e.readout.value, e.regions.get_array().copy()
    getattr(e, name).value = value
    assert check(e.result) and e.error == ""
    assert not np.array_equal(e.validation_line.get_ydata(), before[0])
    np.testing.assert_array_equal(e.validation_line.get_ydata(), e.result.curves.validation_cost)
    assert e.readout.value != before[1]
    assert not np.array_equal(e.regions.get_array(), before[2])


def test_early_stopping_draws_the_stop_and_says_what_it_kept():
    e = GeneralisationExplorer()
    e.early_stopping.value = True
    r = e.result
    assert r.stopped_at is not None and e.stop_line.get_visible()
    assert list(e.stop_line.get_xdata()) == [r.stopped_at, r.stopped_at]
    assert e.validation_line.get_xdata()[-1] == r.stopped_at
    assert "Early stopping" in e.readout.value and f"iteration {r.restored:,}" in e.readout.value
    e.early_stopping.value = False
    assert not e.stop_line.get_visible()


def test_digits_show_the_confusion_matrix_then_regions_again():
    e = GeneralisationExplorer(iterations=200)
    e.dataset.value = "digits"
    r = e.result
    assert e.confusion.get_visible() and not e.regions.get_visible()
    assert not any(p.get_visible() for p in (*e.train_points, *e.test_points))
    np.testing.assert_array_equal(e.confusion.get_array(), r.confusion)
    assert e.regions.axes.get_xlabel() == "predicted digit"
    assert f"/{359})" in e.readout.value
    e.dataset.value = "moons"
    assert e.regions.get_visible() and not e.confusion.get_visible()
    assert e.regions.axes.get_xlabel() == "$x_1$"


@pytest.mark.parametrize("name, widen, value, used", [
    ("dropout", dict(max=0.99), 0.95, g.MAX_DROPOUT),
    ("hidden", dict(max=1000), 500, g.MAX_WIDTH),
    ("seed", dict(max=10**12), 10**10, g.MAX_SEED),
])
def test_values_beyond_the_sliders_range_are_clamped_in_the_kernel(name, widen, value, used):
    """A front end can send any value: the kernel clamps it and says so, whatever the slider allows."""
    e = GeneralisationExplorer(iterations=100)
    control = getattr(e, name)
    for key, limit in widen.items():
        setattr(control, key, limit)
    control.value = value
    assert control.value == value  # the widget took it ...
    assert e.result.settings[name] == used  # ... the run did not
    assert "using" in e.readout.value and e.error == ""


def test_options_beyond_the_pool_and_the_iteration_limit_are_clamped():
    e = GeneralisationExplorer(iterations=100)
    e.n_train.options = (*e.n_train.options, 5000)
    e.n_train.value = 5000
    assert e.result.settings["n_train"] == 1000 and "more than the 1,000 training samples" in e.readout.value
    e.iterations.options = (*e.iterations.options, 10**8)
    budget_before = e.result
    e.iterations.value = 10**8
    assert e.result is not budget_before and e.result.settings["iterations"] == g.MAX_ITERATIONS


def test_a_refused_value_keeps_the_picture_and_says_why():
    e = GeneralisationExplorer(iterations=100)
    result, png = e.result, e.view.image.value
    e.weight_decay.options = (*e.weight_decay.options, ("0.01 as text", "0.01"))  # what no slider sends
    e.weight_decay.value = "0.01"
    assert e.result is result and e.view.image.value == png
    assert "finite number" in e.error and html.escape(e.error) in e.readout.value
    assert "last good run" in e.readout.value
    e.weight_decay.value = 0.0
    assert e.error == "" and e.result is not result


def test_a_run_beyond_the_work_budget_is_refused_in_the_readout(monkeypatch):
    e = GeneralisationExplorer(iterations=100)
    result = e.result
    monkeypatch.setattr(budget, "WORK_BUDGET", 1000)
    e.seed.value = 1
    assert e.result is result and "too much work" in e.readout.value


def test_divergence_is_said_in_words(monkeypatch):
    monkeypatch.setattr(Network, "train", _diverging_train)
    e = GeneralisationExplorer()
    assert e.result.status == "diverged"
    assert "diverged at iteration 812" in e.readout.value and "nan" not in e.readout.value.lower()
    assert not e.regions.get_visible()
    np.testing.assert_array_equal(e.training_line.get_xdata(), [0, 10])


def test_long_runs_show_progress_and_growing_curves(monkeypatch):
    monkeypatch.setattr(common, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(common, "DRAW_EVERY", 0.0)
    e = GeneralisationExplorer(iterations=100)
    pictures, progress = [], []
    e.view.image.observe(lambda change: pictures.append(change["new"]), names="value")
    e.progress.observe(lambda change: progress.append(change["new"]), names="value")
    e.iterations.value = 500
    assert len(pictures) > 10
    assert progress and max(progress) <= 500 and progress == sorted(progress)
    assert e.progress.layout.visibility == "hidden"


def test_blitting_draws_the_same_picture_as_a_full_redraw():
    e = GeneralisationExplorer()
    e.seed.value = 1  # same axes: only the moving artists are redrawn
    blitted = _pixels(e.view.image.value)
    e.view.refresh(full=True)
    np.testing.assert_array_equal(blitted, _pixels(e.view.image.value))


def test_readout_never_prints_nan_or_inf():
    r = g.run_generalisation(iterations=100)
    r.curves.validation_cost[-1] = float("inf")
    assert "too large to show" in gw.readout_html(r) and "inf" not in gw.readout_html(r).replace("info", "")
