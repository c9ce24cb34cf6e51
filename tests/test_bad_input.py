"""Bad input gets a ValueError that names the problem, and changes nothing."""
import re

import numpy as np
import pytest

from backproplab import Network, TrainingDiverged, load_dataset, make_dataset
from backproplab.activations import get_activation
from backproplab.costs import get_cost
from backproplab.data import read_csv


@pytest.fixture
def net():
    return Network([2, 3, 2], seed=0)


@pytest.fixture
def data():
    return load_dataset("higham")


def snapshot(net):
    return [p.copy() for p in [*net.weights, *net.biases]]


def assert_unchanged(net, before):
    for p, q in zip([*net.weights, *net.biases], before):
        np.testing.assert_array_equal(p, q)


X_OK = np.zeros((4, 2))
Y_OK = np.zeros((4, 2))

BAD_XY = [
    (np.zeros((4, 3)), Y_OK, r"X has shape \(4, 3\); expected shape \(2,\) for one sample or \(n_samples, 2\)"),
    (np.zeros(3), np.zeros(2), r"X has shape \(3,\); expected shape \(2,\)"),
    (np.zeros((4, 2, 1)), Y_OK, r"X has shape \(4, 2, 1\)"),
    (np.zeros((0, 2)), np.zeros((0, 2)), r"X is empty"),
    (X_OK, np.zeros((4, 3)), r"Y has shape \(4, 3\); expected shape \(2,\) for one sample or \(n_samples, 2\)"),
    (X_OK, np.zeros((5, 2)), r"Y has shape \(5, 2\) but X has shape \(4, 2\); expected Y of shape \(4, 2\)"),
    (np.zeros(2), Y_OK, r"Y has shape \(4, 2\) but X has shape \(2,\); expected Y of shape \(2,\)"),
    (np.array([[0.0, np.nan]] * 4), Y_OK, r"X contains NaN or infinite values"),
    (X_OK, np.full((4, 2), np.inf), r"Y contains NaN or infinite values"),
    ([["a", "b"]], [[0, 1]], r"X must be an array of numbers"),
]


@pytest.mark.parametrize("X,Y,message", BAD_XY)
@pytest.mark.parametrize("call", ["cost", "gradients", "step", "train"])
def test_bad_data_is_rejected_and_changes_nothing(net, X, Y, message, call):
    before = snapshot(net)
    with pytest.raises(ValueError, match=message):
        if call == "step":
            net.step(X, Y, 0.1)
        elif call == "train":
            net.train(X, Y, iterations=5)
        else:
            getattr(net, call)(X, Y)
    assert_unchanged(net, before)


@pytest.mark.parametrize("X,message", [(np.zeros(5), r"X has shape \(5,\)"), (np.full(2, np.nan), "NaN")])
def test_forward_and_predict_reject_bad_X(net, X, message):
    with pytest.raises(ValueError, match=message):
        net.forward(X)
    with pytest.raises(ValueError, match=message):
        net.predict(X)


@pytest.mark.parametrize("sizes,message", [
    ([3], r"sizes \[3\] has 1 layer\(s\); a network needs at least 2"),
    ([], r"has 0 layer\(s\)"),
    ([2, 0, 1], r"sizes \[2, 0, 1\] contains 0; every layer width must be an integer >= 1"),
    ([2, -3, 1], r"contains -3"),
    ([2, 2.5, 1], r"contains 2.5"),
    (5, r"sizes must be a list of layer widths"),
])
def test_bad_sizes(sizes, message):
    with pytest.raises(ValueError, match=message):
        Network(sizes)


@pytest.mark.parametrize("kwargs,message", [
    ({"activation": "softmax"}, r"unknown activation 'softmax': choose one of 'sigmoid', 'tanh', 'relu', 'linear'"),
    ({"output_activation": "step"}, r"unknown activation 'step'"),
    ({"cost": "hinge"}, r"unknown cost 'hinge': choose one of 'quadratic', 'cross_entropy'"),
    ({"activation": "tanh", "cost": "cross_entropy"}, r"cross_entropy needs outputs in \(0, 1\), so output_activation must be 'sigmoid'"),
])
def test_unknown_names_list_the_choices(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network([2, 2], **kwargs)


def test_lookups_by_name_list_the_choices():
    with pytest.raises(ValueError, match="choose one of 'sigmoid', 'tanh', 'relu', 'linear'"):
        get_activation("Sigmoid")
    with pytest.raises(ValueError, match="choose one of 'quadratic', 'cross_entropy'"):
        get_cost(None)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), "0.1", None, True])
def test_bad_learning_rate(net, data, lr):
    X, Y = data
    before = snapshot(net)
    for call in (lambda: net.step(X, Y, lr), lambda: net.train(X, Y, learning_rate=lr, iterations=3)):
        with pytest.raises(ValueError, match=re.escape(f"learning_rate must be a positive finite number, got {lr!r}")):
            call()
    assert_unchanged(net, before)


@pytest.mark.parametrize("name,value", [("iterations", 0), ("iterations", -5), ("iterations", 2.5),
                                        ("batch_size", 0), ("batch_size", None), ("record_every", 0)])
def test_bad_counts(net, data, name, value):
    X, Y = data
    before = snapshot(net)
    with pytest.raises(ValueError, match=re.escape(f"{name} must be an integer >= 1, got {value!r}")):
        net.train(X, Y, **{name: value})
    assert_unchanged(net, before)


def test_cross_entropy_needs_labels_in_0_1():
    net = Network([2, 2], cost="cross_entropy", seed=0)
    before = snapshot(net)
    X = np.zeros((3, 2))
    for Y in (np.full((3, 2), 1.5), np.full((3, 2), -0.1)):
        for call in (net.cost, net.gradients, lambda X, Y: net.step(X, Y, 0.1), lambda X, Y: net.train(X, Y)):
            with pytest.raises(ValueError, match=r"cross_entropy needs targets Y in \[0, 1\]"):
                call(X, Y)
    assert_unchanged(net, before)


@pytest.mark.parametrize("weights,biases,message", [
    ([np.zeros((2, 2)), np.zeros((1, 3))], [np.zeros(2), np.zeros(1)], r"weights\[1\] \(W\[3\]\) has shape \(1, 3\); expected \(1, 2\)"),
    ([np.zeros((2, 2))], [np.zeros(3)], r"biases\[0\] \(b\[2\]\) has shape \(3,\); expected \(2,\)"),
    ([np.zeros((2, 2))], [], r"got 1 weight matrices and 0 bias vectors"),
    ([np.zeros(2)], [np.zeros(2)], r"weights\[0\] \(W\[2\]\) has shape \(2,\); expected a matrix"),
    ([np.full((2, 2), np.nan)], [np.zeros(2)], r"weights\[0\] or biases\[0\] \(layer 2\) contains NaN"),
])
def test_bad_parameters(weights, biases, message):
    with pytest.raises(ValueError, match=message):
        Network.from_parameters(weights, biases)


def test_load_dataset_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match=r"unknown data set 'iris': load_dataset knows 'higham', 'digits'; "
                                         r"make_dataset draws 'xor', 'circles', 'moons', 'spirals'"):
        load_dataset("iris")
    with pytest.raises(ValueError, match=r"unknown data set 'higham': make_dataset draws 'xor'"):
        make_dataset("higham")


def test_missing_data_file_is_named(tmp_path):
    with pytest.raises(ValueError, match=rf"data file {re.escape(str(tmp_path / 'higham.csv'))} is missing"):
        load_dataset("higham", data_dir=tmp_path)


@pytest.mark.parametrize("text,message", [
    ("a,b,c\n1,2,0\n", r"line 1: expected the header 'x1,x2,label', got 'a,b,c'"),
    ("x1,x2,label\n0.1,0.2,0\n0.3,oops,1\n", r"line 3: expected two finite numbers and a label 0 or 1, got '0.3,oops,1'"),
    ("x1,x2,label\n0.1,0.2,2\n", r"line 2: .* got '0.1,0.2,2'"),
    ("x1,x2,label\n0.1,0.2\n", r"line 2: .* got '0.1,0.2'"),
    ("x1,x2,label\n0.1,nan,1\n", r"line 2"),
    ("x1,x2,label\n", r"holds no data lines"),
    ("", r"line 1: expected the header"),
])
def test_malformed_data_file_names_file_and_line(tmp_path, text, message):
    path = tmp_path / "higham.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" if "line" in message else re.escape(str(path))):
        read_csv(path)
    with pytest.raises(ValueError, match=message):
        load_dataset("higham", data_dir=tmp_path)


@pytest.mark.parametrize("kwargs,message", [({"n": 1}, "n must be an integer >= 2"), ({"noise": -1}, "noise must be"),
                                            ({"noise": float("nan")}, "noise must be")])
def test_make_dataset_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset("xor", **kwargs)


def test_divergence_stops_at_once_with_a_clear_message():
    # A linear output with the quadratic cost is unbounded: a large learning rate blows up.
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (20, 2))
    Y = X.sum(axis=1, keepdims=True) * 10
    net = Network([2, 4, 1], activation="tanh", output_activation="linear", seed=0)
    with pytest.raises(TrainingDiverged) as info:
        net.train(X, Y, learning_rate=5.0, iterations=10_000, record_every=1)
    err = info.value
    assert err.learning_rate == 5.0
    assert 1 <= err.iteration < 10_000
    assert str(err) == f"diverged at iteration {err.iteration} with learning rate 5: try a smaller one"


def test_divergence_is_reported_by_full_batch_descent_too():
    from backproplab.training import gradient_descent
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (20, 2))
    Y = X.sum(axis=1, keepdims=True) * 10
    net = Network([2, 4, 1], activation="tanh", output_activation="linear", seed=0)
    with pytest.raises(TrainingDiverged, match=r"diverged at iteration \d+ with learning rate 5: try a smaller one"):
        gradient_descent(net, X, Y, learning_rate=5.0, iterations=10_000)
