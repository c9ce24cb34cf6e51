"""Bad input gets a ValueError that names the problem, and changes nothing."""
import re

import numpy as np
import pytest

# Every test here runs with warnings as errors: bad input must not leak a numpy warning either.
pytestmark = pytest.mark.filterwarnings("error")

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


# ----- issue 10: every bad input gets a clear error, changes nothing and leaks no warning ----
# One test per category of the issue (the checkers' categories belong with lib/backproplab/checks).


def refuses(call, message, net=None):
    """``call()`` raises a ValueError matching ``message`` and leaves ``net`` unchanged."""
    before = None if net is None else snapshot(net)
    with pytest.raises(ValueError, match=message):
        call()
    if net is not None:
        assert_unchanged(net, before)


@pytest.mark.parametrize("seed", [-1, 2.5, "0", None, True, [1], np.float64(3.0)])
def test_seeds_of_the_wrong_type_or_negative(net, data, seed):
    from backproplab import dropout_mask, train_validation_test_split
    X, Y = data
    message = re.escape(f"seed must be an integer >= 0, such as 0 or 42; got {seed!r}")
    refuses(lambda: Network([2, 3, 2], seed=seed), message)
    refuses(lambda: net.train(X, Y, iterations=5, seed=seed), message, net)
    refuses(lambda: make_dataset("xor", seed=seed), message)
    refuses(lambda: train_validation_test_split(X, Y, seed=seed), message)
    refuses(lambda: dropout_mask([2, 3, 2], 4, 0.5, seed), re.escape(f"rng must be an integer >= 0, such as 0 or "
                                                                     f"42; got {seed!r}"))
    assert Network([2, 3, 2], seed=np.int64(7)).sizes == (2, 3, 2)  # numpy integers are integers


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), -0.5, "0.5", None, True, 1j])
def test_init_scale_not_a_finite_number(scale):
    refuses(lambda: Network([2, 3, 2], init_scale=scale),
            re.escape(f"init_scale must be a finite number >= 0 (0.5 as in Higham & Higham), got {scale!r}"))


@pytest.mark.parametrize("weights,biases,message", [
    ([[["1", "2"]]], [[0.0]], r"weights\[0\] \(W\[2\]\) must be an array of numbers: weights\[0\] \(W\[2\]\)\[0, 0\] "
                              r"is '1' \(a str\); expected a real number"),
    ([[[1.0, 2.0]]], ["0"], r"biases\[0\] \(b\[2\]\) must be an array of numbers, got '0'"),
    ([[[1.0, None]]], [[0.0]], r"weights\[0\] \(W\[2\]\)\[0, 1\] is None \(a NoneType\); expected a real number"),
    ([[[1.0, 2.0], [3.0]]], [[0.0, 0.0]], r"weights\[0\] \(W\[2\]\) must be an array of numbers with rows of equal "
                                          r"length; got a ragged sequence"),
    ([[[1.0, 2.0]], None], [[0.0], [0.0]], r"weights\[1\] \(W\[3\]\) must be an array of numbers, got None"),
    ([[[1.0, 2.0j]]], [[0.0]], r"weights\[0\] \(W\[2\]\) holds complex numbers \(weights\[0\] \(W\[2\]\)\[0, 1\] is "
                               r"2j\); expected real numbers"),
    ([[[1.0, 2.0]]], [[1 + 0j]], r"biases\[0\] \(b\[2\]\) holds complex numbers"),
    (None, [[0.0]], r"weights must be a sequence of arrays, one per layer 2, \.\.\., L; got None"),
    ("W", [[0.0]], r"weights must be a sequence of arrays"),
])
def test_from_parameters_with_strings_complex_ragged_or_none_entries(weights, biases, message):
    refuses(lambda: Network.from_parameters(weights, biases), message)


def test_complex_data_or_parameters(net):
    X, Y = np.zeros((4, 2)), np.zeros((4, 2))
    Xc = X + 1j * np.eye(4, 2)
    for call in (net.forward, net.predict):
        refuses(lambda: call(Xc), r"X holds complex numbers \(X\[0, 0\] is 1j\); expected real numbers", net)
    for call in (net.cost, net.gradients, net.deltas, net.accuracy, lambda X, Y: net.step(X, Y, 0.1),
                 lambda X, Y: net.train(X, Y, iterations=3)):
        refuses(lambda: call(Xc, Y), r"X holds complex numbers", net)
        refuses(lambda: call(X, Y.astype(complex)), r"Y holds complex numbers \(Y\[0, 0\] is 0j\)", net)
    refuses(lambda: net.train(X, Y, iterations=3, validation=(Xc, Y)), r"X_val holds complex numbers", net)
    refuses(lambda: net.gradients(X, Y, mask=[np.ones(3) * (1 + 1j)]), r"mask\[2\] holds complex numbers", net)
    with pytest.raises(ValueError, match=r"the new W\[2\] holds complex numbers"):
        net.weights[2] = np.ones((3, 2)) * 1j
    assert net.weights[2].dtype == float


@pytest.mark.parametrize("sizes", [{2, 3}, frozenset({2, 3, 4}), {2: 3, 3: 2}])
def test_sizes_without_an_order(sizes):
    refuses(lambda: Network(sizes), rf"sizes must be a list of layer widths in order, input first, such as "
                                    rf"\[2, 3, 2\]; got the {type(sizes).__name__} .*, which has no order")


@pytest.mark.parametrize("callback", [5, "print", [print]])
def test_callback_not_callable(net, data, callback):
    from backproplab.training import gradient_descent
    X, Y = data
    message = re.escape(f"callback must be a function called as callback(iteration, cost), or None; got "
                        f"{callback!r} ({type(callback).__name__})")
    refuses(lambda: net.train(X, Y, iterations=5, callback=callback), message, net)
    refuses(lambda: gradient_descent(net, X, Y, iterations=5, callback=callback), message, net)


def test_load_dataset_name_not_a_string_and_data_dir_not_a_path(tmp_path):
    for name in (5, b"higham", ["higham"], None):
        refuses(lambda: load_dataset(name), rf"unknown data set {re.escape(repr(name))} \(a {type(name).__name__}; "
                                            r"the name is a str\): load_dataset knows 'higham', 'digits'")
        refuses(lambda: make_dataset(name), rf"unknown data set {re.escape(repr(name))}: make_dataset draws 'xor'")
    for data_dir in (5, ["data"], b"data"):
        refuses(lambda: load_dataset("higham", data_dir=data_dir),
                rf"data_dir must be a folder's path \(a str or a pathlib.Path\), got {re.escape(repr(data_dir))}")
    (tmp_path / "higham.csv").write_text("x1,x2,label\n0.5,0.5,1\n")
    np.testing.assert_array_equal(load_dataset("higham", data_dir=str(tmp_path))[0], [[0.5, 0.5]])  # a str is a path


@pytest.mark.parametrize("noise", [1e308, 10.5, float("inf"), -0.1, float("nan"), "0.1", None, True])
def test_make_dataset_noise_not_a_finite_non_negative_number(noise):
    refuses(lambda: make_dataset("moons", noise=noise),
            re.escape(f"noise must be a number from 0 to 10 (the standard deviation of the jitter, in units of the "
                      f"unit square's side), got {noise!r}"))
    refuses(lambda: make_dataset("moons", n=10**7), r"n must be an integer >= 2 and at most 1,000,000, got 10000000")


@pytest.mark.parametrize("eps,message", [
    (0.0, "eps must be a positive finite number (about 1e-6 is best), got 0.0"),
    (-1e-6, "eps must be a positive finite number (about 1e-6 is best), got -1e-06"),
    (float("nan"), "eps must be a positive finite number (about 1e-6 is best), got nan"),
    (float("inf"), "eps must be a positive finite number (about 1e-6 is best), got inf"),
    ("1e-6", "eps must be a positive finite number (about 1e-6 is best), got '1e-6'"),
    (1e-300, "eps=1e-300 is so small that every central difference is exactly 0"),
    (1e-20, "eps=1e-20 is so small that every central difference is exactly 0"),
])
def test_gradient_check_eps_out_of_range(net, data, eps, message):
    from backproplab import gradient_check, numerical_gradients
    X, Y = data
    refuses(lambda: numerical_gradients(net, X, Y, eps=eps), re.escape(message), net)
    refuses(lambda: gradient_check(net, X, Y, eps=eps), re.escape(message), net)


@pytest.mark.parametrize("thing", [None, np.zeros((2, 2)), "net", [Network([2, 2])]])
def test_net_not_a_network(data, thing):
    from backproplab import gradient_check, numerical_gradients
    from backproplab.training import gradient_descent, train
    X, Y = data
    message = rf"net must be a backproplab Network, such as Network\(\[2, 3, 2\]\); got {type(thing).__name__}"
    for call in (numerical_gradients, gradient_check, train, gradient_descent):
        refuses(lambda: call(thing, X, Y), message)


def test_sizes_whose_parameters_do_not_fit_are_refused_before_allocating():
    import tracemalloc
    tracemalloc.start()
    try:
        refuses(lambda: Network([2, 10**9, 2]),
                re.escape("a network with layers [2, 1000000000, 2] has 5,000,000,002 weights and biases, 40 GB as "
                          "float64, beyond the budget of 0.54 GB for one network (backproplab.budget.MEMORY_BUDGET); "
                          "use narrower or fewer layers"))
        refuses(lambda: Network([10**5, 10**5]), r"has 10,000,100,000 weights and biases, 80 GB as float64")
        # names (and every other argument) are checked before anything is allocated too
        refuses(lambda: Network([2, 10**9, 2], activation="softmax"), r"unknown activation 'softmax'")
        refuses(lambda: Network([2, 10**9, 2], seed=-1), r"seed must be an integer >= 0")
        assert tracemalloc.get_traced_memory()[1] < 2**20  # the peak: nothing was allocated
    finally:
        tracemalloc.stop()
    Network([784, 1000, 10])  # 0.8 million parameters, 6 MB: fine


def test_step_at_a_learning_rate_that_overflows_raises_training_diverged():
    X, Y = load_dataset("higham")
    Y = 100 * Y  # gradients of about 100: a step of 1e308 times them overflows
    net = Network([2, 3, 2], activation="relu", output_activation="linear", seed=0)
    before = snapshot(net)
    with pytest.raises(TrainingDiverged) as info:
        net.step(X, Y, learning_rate=1e308)
    assert info.value.cause == "learning_rate" and info.value.iteration == 1
    assert str(info.value) == "diverged at iteration 1 with learning rate 1e+308: try a smaller one"
    assert_unchanged(net, before)  # the step was not taken
    assert np.isfinite(net.step(X, Y, learning_rate=0.1))  # a sane step still works


SIZE = r"\d(\.\d+)?e\+\d+"  # a magnitude as printed, such as 9e+199


@pytest.mark.parametrize("where,cause,message", [
    ("X", "inputs", rf"the inputs X reach {SIZE} in magnitude; scale them \(for example to \[0, 1\], or to mean 0 "
                    r"and standard deviation 1\)"),
    ("Y", "targets", rf"the targets Y reach {SIZE} in magnitude; scale them \(and read the outputs in the same "
                     r"units\)"),
    ("W", "starting weights", rf"the starting weights and biases reach {SIZE} in magnitude; start from smaller ones "
                              r"\(init_scale=0.5, as in Higham & Higham\)"),
])
def test_huge_inputs_targets_or_weights_name_the_real_cause(where, cause, message):
    from backproplab.training import gradient_descent
    X, Y = load_dataset("higham")
    X, Y = (X * 1e200, Y) if where == "X" else (X, Y * 1e200) if where == "Y" else (X, Y)
    net = Network([2, 3, 2], activation="relu", output_activation="linear", seed=0)
    if where == "W":
        net = Network.from_parameters([W * 1e200 for W in net.weights], net.biases, "relu", "linear")
    for call in (lambda: net.train(X, Y, iterations=100), lambda: gradient_descent(net, X, Y, iterations=100),
                 lambda: net.step(X, Y, 0.05)):
        before = snapshot(net)
        with pytest.raises(TrainingDiverged, match="training could not start: the starting network's cost is inf, "
                                                   "because " + message + "; no learning rate can fix that") as info:
            call()
        assert info.value.cause == cause and info.value.iteration == 0
        assert_unchanged(net, before)
    if where == "W":  # outside training, the weights are the network's as they are
        message = rf"the weights and biases reach {SIZE} in magnitude"
    refuses(lambda: net.cost(X, Y), r"the cost is inf, not a finite number: " + message, net)
    # the rest either overflows, and says why, or is finite (huge targets, for one, leave every
    # gradient finite: only the cost squares them)
    for call, what in ((lambda: net.gradients(X, Y), "the gradient"), (lambda: net.deltas(X, Y), "a delta"),
                       (lambda: net.forward(X).a, "the forward pass")):
        try:
            values = call()
        except ValueError as exc:
            assert re.fullmatch(what + " overflows float64: " + message, str(exc)), str(exc)
        else:
            assert all(np.all(np.isfinite(v)) for v in (values[0] if what == "the gradient" else values))
    if where != "Y":
        refuses(lambda: net.gradients(X, Y), "the gradient overflows float64: " + message, net)
    assert 0 <= net.accuracy(X, Y) <= 1  # no warning, no error: a non-finite output counts as wrong


def test_large_inputs_that_diverge_later_blame_the_inputs_not_the_learning_rate():
    X, Y = load_dataset("higham")
    net = Network([2, 3, 2], activation="relu", output_activation="linear", seed=0)
    before = snapshot(net)
    with pytest.raises(TrainingDiverged, match=rf"diverged at iteration \d+ with learning rate 0.05, because the "
                                               rf"inputs X reach {SIZE} in magnitude; .* a smaller learning rate is "
                                               r"not the fix") as info:
        net.train(X * 1e8, Y, iterations=100)  # the start is finite: the steps blow up
    assert info.value.cause == "inputs" and info.value.iteration >= 1
    assert not np.array_equal(net.weights[2], before[0])  # training ran, and stopped at the divergence


def test_csv_with_a_byte_order_mark_non_utf8_bytes_or_a_folder(tmp_path):
    path = tmp_path / "higham.csv"
    path.write_bytes(b"\xef\xbb\xbfx1,x2,label\r\n0.1,0.2,0\r\n0.3,0.4,1\r\n")  # as a spreadsheet saves it
    X, Y = load_dataset("higham", data_dir=tmp_path)
    np.testing.assert_array_equal(X, [[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_array_equal(Y, [[1, 0], [0, 1]])
    path.write_bytes("x1,x2,label\n0.1,0.2,0\n0,3,0,4,1 caf\u00e9\n".encode("latin-1"))
    refuses(lambda: load_dataset("higham", data_dir=tmp_path),
            re.escape(f"{path}, line 3: not UTF-8 text (byte 0xe9); save the file as UTF-8 (CSV UTF-8 in a "
                      f"spreadsheet)"))
    path.unlink()
    path.mkdir()
    refuses(lambda: load_dataset("higham", data_dir=tmp_path), re.escape(f"data file {path} is a folder, not a file"))
    digits = tmp_path / "digits.csv.gz"
    digits.write_bytes(b"not gzip at all")
    refuses(lambda: load_dataset("digits", data_dir=tmp_path),
            re.escape(f"data file {digits} cannot be read as gzip-compressed data: "))
