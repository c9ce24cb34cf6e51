"""Notebook 07's model (backproplab.generalisation), its plots and its self-checks."""
import json
import math
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from backproplab import Network, budget, checks, load_dataset, make_dataset, train_validation_test_split
from backproplab import generalisation as g
from backproplab.errors import TrainingDiverged
from backproplab.plots import new_figure
from backproplab.plots_generalisation import plot_confusion, plot_costs, plot_digits

pytestmark = pytest.mark.filterwarnings("error")
ROOT = Path(__file__).resolve().parents[1]


# ----- data ------------------------------------------------------------------------------------
def test_digits_split_is_the_libraries_seeded_split():
    split = g.get_split("digits")
    expected = train_validation_test_split(*load_dataset("digits"), fractions=(0.6, 0.2, 0.2), seed=0)
    for got, want in zip((split.training, split.validation, split.test), expected):
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])
    assert split.kind == "digits" and split.pool_size == 1078


@pytest.mark.parametrize("name", ["moons", "circles", "spirals", "xor"])
def test_2d_sets_are_drawn_with_three_seeds_centred_and_stretched(name):
    split = g.get_split(name)
    for part, (X, Y) in zip(("training", "validation", "test"), (split.training, split.validation, split.test)):
        X0, Y0 = make_dataset(name, g.POINTS[part], g.NOISE[name], seed=g.SEEDS[part])
        np.testing.assert_allclose(X, g.STRETCH * (X0 - 0.5))
        np.testing.assert_array_equal(Y, Y0)
    assert split.kind == "2-D" and split.pool_size == g.POINTS["training"]


def test_splits_are_cached_and_read_only():
    split = g.get_split("moons")
    assert g.get_split("moons") is split
    with pytest.raises(ValueError):
        split.training[0][0, 0] = 5.0  # a run cannot change the data of the next one


@pytest.mark.parametrize("name", ["iris", 3, None])
def test_unknown_data_set_is_refused(name):
    with pytest.raises(ValueError, match="unknown data set"):
        g.get_split(name)


def test_balanced_order_takes_the_classes_in_turn():
    Y = np.eye(3)[[0, 0, 0, 1, 2, 2, 1, 0]]
    order = g.balanced_order(Y)
    assert sorted(order) == list(range(8))
    np.testing.assert_array_equal(np.argmax(Y[order], axis=1)[:6], [0, 1, 2, 0, 1, 2])
    _, Y_pool = g.get_split("digits").training
    first = np.argmax(Y_pool[g.get_split("digits").order[:50]], axis=1)
    np.testing.assert_array_equal(np.bincount(first), [5] * 10)


def test_training_set_is_the_start_of_the_balanced_pool():
    split = g.get_split("xor")
    X, Y = g.training_set(split, 30)
    np.testing.assert_array_equal(X, split.training[0][split.order[:30]])
    assert abs(int(Y[:, 0].sum()) - 15) <= 1


# ----- exact costs at every recording ------------------------------------------------------------
def test_cost_recorder_computes_both_costs_of_the_network_as_it_is():
    rng = np.random.default_rng(0)
    net = Network([2, 4, 2], seed=0)
    train = rng.uniform(size=(6, 2)), np.eye(2)[rng.integers(0, 2, 6)]
    val = rng.uniform(size=(5, 2)), np.eye(2)[rng.integers(0, 2, 5)]
    seen = []
    recorder = g.CostRecorder(net, train, val, then=lambda *args: seen.append(args))
    recorder(0, "ignored")
    net.step(*train, 0.5)
    recorder(1, float("nan"))  # whatever train reports, the recorder computes its own costs
    c = recorder.curves()
    np.testing.assert_array_equal(c.iterations, [0, 1])
    assert c.training_cost[1] == net.cost(*train) and c.validation_cost[1] == net.cost(*val)
    assert c.training_cost[0] != c.training_cost[1]
    assert seen[1] == (1, net.cost(*train), net.cost(*val))


def test_train_with_curves_records_at_train_s_recordings_and_ends_at_the_network():
    split = g.get_split("moons")
    X, Y = g.training_set(split, 20)
    net = Network([2, 8, 2], seed=1, **g.NETWORK)
    history, curves = g.train_with_curves(net, (X, Y), split.validation, learning_rate=1.0, iterations=300,
                                          batch_size=5, seed=2, record_every=30, weight_decay=1e-3, dropout=0.2)
    np.testing.assert_array_equal(curves.iterations, history.iterations)
    np.testing.assert_array_equal(curves.iterations, np.arange(0, 301, 30))
    assert curves.training_cost[-1] == net.cost(X, Y)  # no unit dropped, no penalty
    assert curves.validation_cost[-1] == net.cost(*split.validation)
    assert curves.training_cost[0] == Network([2, 8, 2], seed=1, **g.NETWORK).cost(X, Y)
    assert (history.weight_decay, history.dropout) == (1e-3, 0.2)


def test_train_with_curves_stops_early_on_its_validation_set():
    split = g.get_split("moons")
    X, Y = g.training_set(split, 20)
    net = Network([2, 50, 2], seed=0, **g.NETWORK)
    history, curves = g.train_with_curves(net, (X, Y), split.validation, patience=3, learning_rate=2.0,
                                          iterations=2000, batch_size=20, seed=0, record_every=20)
    assert history.stopped_at is not None and history.stopped_at < 2000
    assert history.best_iteration == curves.iterations[curves.best]
    assert history.stopped_at - history.best_iteration == 3 * 20
    assert net.cost(*split.validation) == pytest.approx(curves.validation_cost[curves.best], rel=1e-12)


# ----- the controls, checked in the kernel ---------------------------------------------------------
@pytest.mark.parametrize("key, value, used, words", [
    ("n_train", 5000, 1000, "more than the 1,000 training samples"), ("n_train", 3, g.MIN_TRAIN, "outside"),
    ("hidden", 0, 1, "outside"), ("hidden", 10**6, g.MAX_WIDTH, "outside"),
    ("weight_decay", -1.0, 0.0, "outside"), ("weight_decay", 7.0, g.MAX_WEIGHT_DECAY, "outside"),
    ("dropout", 0.99, g.MAX_DROPOUT, "outside"), ("dropout", -0.5, 0.0, "outside"),
    ("iterations", 10**9, g.MAX_ITERATIONS, "outside"), ("iterations", 0, g.MIN_ITERATIONS, "outside"),
    ("seed", -4, 0, "outside"), ("seed", 10**12, g.MAX_SEED, "outside"),
])
def test_out_of_range_values_are_clamped_with_a_note(key, value, used, words):
    settings, notes = g.check_settings(**{key: value})
    assert settings[key] == used
    assert len(notes) == 1 and words in notes[0] and "using" in notes[0]


@pytest.mark.parametrize("key, value, words", [
    ("dataset", "iris", "unknown data set"), ("n_train", 20.5, "whole number"), ("n_train", True, "whole number"),
    ("hidden", "50", "whole number"), ("weight_decay", float("nan"), "finite number"),
    ("weight_decay", "0.01", "finite number"), ("dropout", float("inf"), "finite number"),
    ("early_stopping", "yes", "True or False"), ("iterations", 1e3, "whole number"), ("seed", None, "whole number"),
])
def test_values_of_the_wrong_kind_are_refused(key, value, words):
    with pytest.raises(ValueError, match=words):
        g.check_settings(**{key: value})
    with pytest.raises(ValueError, match=words):
        g.run_generalisation(**{key: value})


def test_defaults_need_no_note():
    settings, notes = g.check_settings()
    assert settings == g.DEFAULTS and notes == []


def test_defaults_of_the_functions_are_the_explorer_defaults():
    import inspect
    for function in (g.check_settings, g.run_generalisation):
        params = inspect.signature(function).parameters
        assert {name: params[name].default for name in g.DEFAULTS} == g.DEFAULTS


def test_the_largest_settings_fit_the_work_budget():
    for kind, learning in g.LEARNING.items():
        n_in, n_out = (64, 10) if kind == "digits" else (2, 2)
        budget.check_budget([n_in, g.MAX_WIDTH, n_out], g.MAX_ITERATIONS, learning["batch_size"])


def test_a_run_beyond_the_work_budget_is_refused_before_training(monkeypatch):
    monkeypatch.setattr(budget, "WORK_BUDGET", 1000)
    calls = []
    monkeypatch.setattr(Network, "train", lambda *a, **k: calls.append(1))
    with pytest.raises(ValueError, match="too much work"):
        g.run_generalisation()
    assert calls == []


# ----- one run -------------------------------------------------------------------------------------
def test_default_run_is_network_train_with_the_fixed_settings_and_it_overfits():
    r = g.run_generalisation()
    split = g.get_split("moons")
    X, Y = g.training_set(split, 20)
    net = Network([2, 50, 2], seed=0, **g.NETWORK)
    history, curves = g.train_with_curves(net, (X, Y), split.validation, iterations=1000, seed=0,
                                          record_every=1000 // g.CURVE_POINTS, **g.LEARNING["2-D"])
    np.testing.assert_array_equal(r.curves.iterations, curves.iterations)
    np.testing.assert_array_equal(r.curves.validation_cost, curves.validation_cost)
    assert r.test_accuracy == net.accuracy(*split.test)
    assert r.n_test_correct == round(net.accuracy(*split.test) * 500)
    assert r.train_accuracy == 1.0 and r.status == "overfitting"
    assert "validation cost rose" in r.message and "Try weight decay" in r.message
    assert r.regions.shape == (g.RESOLUTION, g.RESOLUTION) and r.confusion is None
    assert r.stopped_at is None and r.restored is None and r.notes == []


def test_each_remedy_reaches_train():
    for options in (dict(weight_decay=1e-2), dict(dropout=0.3), dict(early_stopping=True)):
        r = g.run_generalisation(**options)
        split = g.get_split("moons")
        X, Y = g.training_set(split, 20)
        net = Network([2, 50, 2], seed=0, **g.NETWORK)
        stop = dict(patience=g.PATIENCE) if options.get("early_stopping") else {}
        plain = {k: v for k, v in options.items() if k != "early_stopping"}
        history, curves = g.train_with_curves(net, (X, Y), split.validation, iterations=1000, seed=0,
                                              record_every=1000 // g.CURVE_POINTS, **g.LEARNING["2-D"], **plain, **stop)
        np.testing.assert_array_equal(r.curves.training_cost, curves.training_cost)
        assert r.test_accuracy == net.accuracy(*split.test)


def test_remedies_make_the_moons_generalise_better_than_none():
    plain = g.run_generalisation()
    assert g.run_generalisation(weight_decay=1e-3).test_accuracy > plain.test_accuracy
    assert g.run_generalisation(early_stopping=True).test_accuracy > plain.test_accuracy
    assert g.run_generalisation(n_train=200).test_accuracy > plain.test_accuracy


def test_early_stopping_restores_and_says_where():
    r = g.run_generalisation(early_stopping=True)
    assert r.status == "ok" and r.stopped_at is not None and r.restored < r.stopped_at
    assert r.stopped_at - r.restored == g.PATIENCE * (1000 // g.CURVE_POINTS)
    assert r.net.cost(*r.split.validation) == pytest.approx(r.curves.validation_cost.min(), rel=1e-12)
    assert f"stopped at iteration {r.stopped_at:,}" in r.message
    assert f"parameters of iteration {r.restored:,}" in r.message


def test_too_much_weight_decay_is_called_underfitting():
    r = g.run_generalisation(weight_decay=0.1, dataset="circles", n_train=50)
    assert r.status == "underfitting"
    assert "weight decay 0.1 too strong" in r.message


def test_digits_give_a_confusion_matrix_of_the_test_set():
    r = g.run_generalisation(dataset="digits", n_train=50, hidden=20, iterations=300)
    X_test, _ = r.split.test
    assert r.regions is None and r.confusion.shape == (10, 10)
    assert r.confusion.sum() == len(X_test) == 359
    assert np.trace(r.confusion) == r.n_test_correct
    assert r.net.sizes == (64, 20, 10) and r.X.shape == (50, 64)


def test_runs_are_deterministic():
    a, b = g.run_generalisation(dropout=0.3, seed=3), g.run_generalisation(dropout=0.3, seed=3)
    np.testing.assert_array_equal(a.curves.training_cost, b.curves.training_cost)
    np.testing.assert_array_equal(a.regions, b.regions)


def _diverging_train(self, X, Y, callback=None, **kwargs):
    """Stands in for Network.train: records twice, then gives up as the library does."""
    callback(0, 0.3)
    callback(10, 0.4)
    raise TrainingDiverged(812, kwargs["learning_rate"], float("nan"))


def test_divergence_is_reported_in_words(monkeypatch):
    monkeypatch.setattr(Network, "train", _diverging_train)
    r = g.run_generalisation()
    assert r.status == "diverged"
    assert "diverged at iteration 812" in r.message and "nan" not in r.message.lower()
    np.testing.assert_array_equal(r.curves.iterations, [0, 10])
    assert math.isnan(r.test_accuracy) and r.regions is None


# ----- diagnose_fit --------------------------------------------------------------------------------
ITS = np.arange(0, 200, 10)


def _curves(train, val):
    return g.Curves(ITS[:len(train)], np.array(train, dtype=float), np.array(val, dtype=float))


def test_diagnose_fit():
    s = g.DEFAULTS
    falling = np.geomspace(1.0, 0.01, 20)
    turning = np.concatenate([np.geomspace(1.0, 0.5, 5), np.geomspace(0.5, 1.0, 15)])
    assert g.diagnose_fit(_curves(falling, turning), 1.0, s)[0] == "overfitting"
    jitter = 0.5 * (1 + 0.15 * np.sin(np.arange(20)))  # SGD noise, no trend: not overfitting
    assert g.diagnose_fit(_curves(falling, jitter), 1.0, s)[0] == "ok"
    both_rise = np.concatenate([np.geomspace(1.0, 0.5, 5), np.geomspace(0.5, 1.0, 15)])
    assert g.diagnose_fit(_curves(both_rise, turning), 1.0, s)[0] == "ok"  # the training cost rose too
    status, message = g.diagnose_fit(_curves(falling, turning), 0.7, dict(s, weight_decay=0.01, dropout=0.5))
    assert status == "underfitting" and "70%" in message
    assert "weight decay 0.01 too strong" in message and "dropout 0.5 too high" in message


# ----- plots -------------------------------------------------------------------------------------
def test_plot_costs_draws_both_curves_the_best_point_and_the_stop():
    c = _curves(np.geomspace(1.0, 0.01, 20), np.concatenate([np.geomspace(1.0, 0.5, 5), np.geomspace(0.5, 1.0, 15)]))
    fig, ax = new_figure()
    plot_costs(ax, c, stopped_at=120)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), c.training_cost)
    np.testing.assert_array_equal(lines[1].get_ydata(), c.validation_cost)
    np.testing.assert_array_equal(lines[2].get_xdata(), [c.iterations[c.best]])
    assert list(lines[3].get_xdata()) == [120, 120]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "iteration"


def test_plot_digits_and_confusion():
    X, Y = load_dataset("digits")
    fig, axes = new_figure(3)
    plot_digits(axes, X[:3], [0, 1, 2], predicted=[0, 7, 2])
    assert [ax.get_title() for ax in axes] == ["0 as 0", "1 as 7", "2 as 2"]
    assert matplotlib.colors.to_hex(axes[1].title.get_color()) != matplotlib.colors.to_hex(axes[0].title.get_color())
    fig, ax = new_figure()
    image = plot_confusion(ax, np.diag(np.arange(1, 11)))
    assert image.get_array().shape == (10, 10) and ax.get_xlabel() == "predicted digit"


# ----- self-checks ---------------------------------------------------------------------------------
def _good_decay(net, X, Y, lam):
    grad_W, grad_b = net.gradients(X, Y)
    return [gW + lam * W for gW, W in zip(grad_W, net.weights)], grad_b


def _decay(dW, db=lambda b, lam: 0 * b):
    def wrong(net, X, Y, lam):
        grad_W, grad_b = net.gradients(X, Y)
        return ([gW + dW(W, lam) for gW, W in zip(grad_W, net.weights)],
                [gb + db(b, lam) for gb, b in zip(grad_b, net.biases)])
    return wrong


def _not_yet(*args):
    raise NotImplementedError("your code here")


def test_check_decayed_gradients_passes_the_right_answer_and_the_library():
    assert checks.check_decayed_gradients(_good_decay).passed
    assert checks.check_decayed_gradients(lambda net, X, Y, lam: net.gradients(X, Y, weight_decay=lam)).passed
    assert "NOT IMPLEMENTED YET" in repr(checks.check_decayed_gradients(_not_yet))


@pytest.mark.parametrize("wrong, words", [
    (_decay(lambda W, lam: 0 * W), "data term alone"),
    (_decay(lambda W, lam: lam / 2 * W), "power rule"),
    (_decay(lambda W, lam: 2 * lam * W), "cancels the 2"),
    (_decay(lambda W, lam: -lam * W), "wrong sign"),
    (_decay(lambda W, lam: lam * W, lambda b, lam: lam * b), "biases are not decayed"),
    (_decay(lambda W, lam: lam + 0 * W), "depends on w"),
    (_decay(lambda W, lam: lam * W * W), "not its derivative"),
    (lambda net, X, Y, lam: ([gW + lam * W / (1 if np.ndim(X) == 1 else len(X)) for gW, W in
                              zip(net.gradients(X, Y)[0], net.weights)], net.gradients(X, Y)[1]), "added once"),
])
def test_check_decayed_gradients_names_the_mistake(wrong, words):
    result = checks.check_decayed_gradients(wrong)
    assert result.status == "failed" and words in repr(result)


def _dropout(mask):
    return lambda z, W, delta, keep, p, act: mask(keep, p) * act.prime(z) * (delta @ W)


def test_check_dropout_delta():
    assert checks.check_dropout_delta(_dropout(lambda keep, p: keep / (1 - p))).passed
    assert "NOT IMPLEMENTED YET" in repr(checks.check_dropout_delta(_not_yet))


@pytest.mark.parametrize("mask, words", [
    (lambda keep, p: 1.0, "without dropout"), (lambda keep, p: keep, "multiplied by keep"),
    (lambda keep, p: keep * (1 - p), "multiplied by (1 - p)"), (lambda keep, p: keep / p, "divided by p"),
    (lambda keep, p: (1 - keep) / (1 - p), "swapped"), (lambda keep, p: (keep / (1 - p)) ** 2, "twice"),
])
def test_check_dropout_delta_names_the_mistake(mask, words):
    result = checks.check_dropout_delta(_dropout(mask))
    assert result.status == "failed" and words in repr(result)


def test_check_dropout_delta_hints_at_rows_for_a_column_formula():
    result = checks.check_dropout_delta(lambda z, W, delta, keep, p, act: keep / (1 - p) * act.prime(z) * (W.T @ delta))
    assert result.status == "failed" and "delta @ W for rows" in repr(result)


def _right_numbers():
    """The answers, worked out here independently of the checker's measurement."""
    return 64 * 30 + 30 * 10, math.ceil(math.log(0.5) / math.log(1 - 0.5 * 0.01)), 1 / (1 - 0.25)


def test_check_regularisation_numbers_passes_right_answers_and_rounded_ones():
    assert checks.check_regularisation_numbers(_right_numbers).passed
    assert checks.check_regularisation_numbers(lambda: (2220, 139, 1.333)).passed  # three digits are enough
    assert "NOT IMPLEMENTED YET" in repr(checks.check_regularisation_numbers(_not_yet))


@pytest.mark.parametrize("answer, key, words", [
    ((2260, 139, 4 / 3), "n_decayed", "biases too"), ((1920, 139, 4 / 3), "n_decayed", "first layer"),
    ((104, 139, 4 / 3), "n_decayed", "neurons"), ((2220, 138, 4 / 3), "steps_to_half", "rounded down"),
    ((2220, 69, 4 / 3), "steps_to_half", "1 - lambda"), ((2220, 200, 4 / 3), "steps_to_half", "time scale"),
    ((2220, 277, 4 / 3), "steps_to_half", "eta lambda / 2"), ((2220, 139, 0.75), "kept_value", "1 - p"),
    ((2220, 139, 4.0), "kept_value", "divided by p"), ((2220, 139, 1.0), "kept_value", "plain dropout"),
    ((2220, 139, 2.0), "kept_value", "too large by 50%"), ((2221, 139, 4 / 3), "n_decayed", "too large by 0.0%"),
])
def test_check_regularisation_numbers_says_how_far_off_and_the_likely_mistake(answer, key, words):
    result = checks.check_regularisation_numbers(lambda: answer)
    assert result.status == "failed" and f"{key} = " in repr(result) and words in repr(result), repr(result)
    right = _right_numbers()[("n_decayed", "steps_to_half", "kept_value").index(key)]
    assert f"{right:g}" not in repr(result).replace(f"{key} = {answer[('n_decayed', 'steps_to_half', 'kept_value').index(key)]:g}", "")


@pytest.mark.parametrize("answer, words", [((1, 2), "should return 3 number(s)"),
                                           ("2220, 139, 1.33", "should return 3 number(s)"),
                                           ((2220, 139, float("nan")), "kept_value = nan is not finite"),
                                           ((2220, True, 1.3), "steps_to_half = True is not a number")])
def test_check_regularisation_numbers_wants_three_numbers(answer, words):
    assert words in repr(checks.check_regularisation_numbers(lambda: answer))


# ----- notebook 07: the answers stay hidden ----------------------------------------------------------
ANSWERS = ["2220", "2,220", "139", "1.333", "4/3", "lam * W", "keep / (1 - p)", "1 / (1 - 0.25)"]


def _visible_text(nb_path):
    """Sources outside the solution blocks, and every stored output, of the notebook."""
    nb = json.loads(Path(nb_path).read_text())
    sources, outputs = [], []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        sources.append(re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", source, flags=re.S))
        for out in cell.get("outputs", []):
            outputs.append("".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(sources), "\n".join(outputs)


def test_notebook_07_shows_no_answer_outside_its_solution_block():
    sources, outputs = _visible_text(ROOT / "notebooks" / "07_generalisation.ipynb")
    for answer in ANSWERS:
        assert answer not in sources, answer
        assert answer not in outputs, answer
