"""backproplab.autodiff.Value and backproplab.graphs: every rule against central differences,
shared subexpressions, deep graphs, Higham's network against Network.gradients, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backproplab import Network, load_dataset, relative_error
from backproplab.autodiff import Value
from backproplab.graphs import count_modes, draw_graph, flatten, graph_size, layout, network_graph, tangents
from backproplab.plots import new_figure

EPS = 1e-6


def central(f, *xs):
    """Central differences of the float function ``f`` in each argument."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += EPS
        down[i] -= EPS
        out.append((f(*up) - f(*down)) / (2 * EPS))
    return out


def value_and_grads(f, *xs):
    """``f`` applied to Values: its value and the gradient with respect to every argument."""
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


def assert_rule(f, *xs, rtol=1e-6):
    """The value of ``f`` on Values is ``f`` on floats, and backward() matches central differences."""
    data, grads = value_and_grads(f, *xs)
    assert data == pytest.approx(f(*xs), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(grads, central(f, *xs), rtol=rtol, atol=1e-8)


# ----- every operation ----------------------------------------------------------------
BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("a,b", [(1.3, -0.7), (-2.5, 0.4), (0.2, 3.0)])
def test_binary_operations_between_two_values(op, a, b):
    assert_rule(BINARY[op], a, b)


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("a,c", [(1.3, -0.7), (-2.5, 4)])
def test_binary_operations_with_a_number_on_either_side(op, a, c):
    f = BINARY[op]
    assert_rule(lambda x: f(x, c), a)  # Value op number
    assert_rule(lambda x: f(c, x), a)  # number op Value
    assert_rule(lambda x: f(x, np.float64(c)), a)  # numpy numbers too
    assert_rule(lambda x: f(np.float64(c), x), a)


def test_a_number_is_a_constant_folded_into_its_node():
    x = Value(2.0)
    for node in (x * 0.5, 0.5 * x, x + 1, 1 + x, x - 1, 1 - x, x / 4, 4 / x, -x, x ** 2):
        assert node.inputs == (x,) and len(node.local) == 1
    y = Value(3.0)
    assert (x * y).inputs == (x, y) and (x * y).local == (3.0, 2.0)  # product rule


@pytest.mark.parametrize("n", [2, 3, 0.5, -1, -2.5, 1, 0])
@pytest.mark.parametrize("x", [0.7, 2.3])
def test_power_with_a_number_exponent(n, x):
    assert_rule(lambda v: v ** n, x)


def test_integer_powers_of_negative_numbers():
    for n in (2, 3, -1, 4.0):
        assert_rule(lambda v: v ** n, -1.7)


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("x", [-3.1, -0.4, 0.6, 2.2])
def test_unary_operations(name, x):
    floats = {"exp": math.exp, "tanh": math.tanh, "sigmoid": lambda t: 1 / (1 + math.exp(-t)),
              "relu": lambda t: max(t, 0.0)}
    data, (grad,) = value_and_grads(lambda v: getattr(v, name)(), x)
    assert data == pytest.approx(floats[name](x), rel=1e-14)
    assert grad == pytest.approx(central(floats[name], x)[0], rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("x", [0.05, 1.0, 7.3])
def test_log(x):
    assert_rule(lambda v: v.log() if isinstance(v, Value) else math.log(v), x)


def test_negation_and_relu_at_and_below_zero():
    assert_rule(lambda v: -v, 1.5)
    for x, slope in ((0.0, 0.0), (-2.0, 0.0), (2.0, 1.0)):  # the kink at 0 gets slope 0, as in activations.py
        assert value_and_grads(lambda v: v.relu(), x)[1] == [slope]


def test_sigmoid_and_exp_far_out():
    s, (g,) = value_and_grads(lambda v: v.sigmoid(), -800.0)
    assert s == 0.0 and g == 0.0  # no overflow
    s, (g,) = value_and_grads(lambda v: v.sigmoid(), 40.0)
    assert s == pytest.approx(1.0) and 0 <= g < 1e-17
    assert value_and_grads(lambda v: v.exp(), 700.0)[1][0] == pytest.approx(math.exp(700.0))


def test_a_composite_expression_every_operation_at_once():
    def f(x, y, z):
        if isinstance(x, Value):
            return ((x * y + 2) / (1 + z ** 2)).tanh() - (y - x).sigmoid() * 3 + (z * z + 1).log() \
                + (x / 4).exp() + (y * 2).relu()
        return (math.tanh((x * y + 2) / (1 + z ** 2)) - 3 / (1 + math.exp(-(y - x))) + math.log(z * z + 1)
                + math.exp(x / 4) + max(y * 2, 0.0))
    assert_rule(f, 0.3, 1.2, -0.8)


# ----- shared subexpressions: every path adds up ----------------------------------------
def test_a_value_used_twice_gets_both_contributions():
    assert value_and_grads(lambda x: x * x, 3.0)[1] == [6.0]
    assert value_and_grads(lambda x: x + x, 3.0)[1] == [2.0]
    assert value_and_grads(lambda x: x - x, 3.0)[1] == [0.0]
    assert value_and_grads(lambda x: x / x, 3.0)[1] == [pytest.approx(0.0, abs=1e-16)]


def test_shared_subexpressions_in_a_diamond():
    def f(x, y):
        if isinstance(x, Value):
            u = x * y  # used by three nodes below
            return u.tanh() * u + u.exp() - u / y
        u = x * y
        return math.tanh(u) * u + math.exp(u) - u / y
    assert_rule(f, 0.4, -1.1)


def test_backward_twice_gives_the_same_gradients_not_double():
    x, y = Value(1.5), Value(-0.5)
    C = (x * y).tanh() + x * x
    C.backward()
    first = (x.grad, y.grad)
    C.backward()
    assert (x.grad, y.grad) == first


def test_backward_from_an_intermediate_node_sees_only_its_own_graph():
    x = Value(2.0)
    u = x * 3
    C = u * u
    u.backward()
    assert x.grad == 3.0 and u.grad == 1.0 and C.grad == 0.0


# ----- deep graphs: no recursion -------------------------------------------------------
@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_a_deep_chain_has_no_recursion_limit(depth):
    x = Value(0.5)
    v = x
    for _ in range(depth):
        v = v * 1.0001 + 0.0  # two nodes per step
    assert len(v.topological_order()) == 2 * depth + 1
    v.backward()
    assert x.grad == pytest.approx(1.0001 ** depth, rel=1e-9)


def test_a_deep_chain_of_activations():
    x = Value(0.3)
    v = x
    for _ in range(10_000):
        v = v.tanh()
    v.backward()
    t, g = 0.3, 1.0
    for _ in range(10_000):  # the chain rule by hand: product of tanh' along the chain
        t = math.tanh(t)
        g *= 1 - t * t
    assert v.data == pytest.approx(t, rel=1e-12)
    assert x.grad == pytest.approx(g, rel=1e-9)


def test_a_graph_with_exponentially_many_paths_is_swept_once_per_edge():
    x = Value(0.1)
    v = x
    for _ in range(300):
        v = (v * v + v).tanh()  # v is used twice per level: 2^300 paths from x to the end
    assert len(v.topological_order()) == 3 * 300 + 1
    v.backward()
    t, g = 0.1, 1.0
    for _ in range(300):  # by hand: d t_next / d t = (1 - t_next^2)(2 t + 1)
        t_next = math.tanh(t * t + t)
        g *= (1 - t_next ** 2) * (2 * t + 1)
        t = t_next
    assert x.grad == pytest.approx(g, rel=1e-9) and g > 1e-200


# ----- Higham's network built from Values ----------------------------------------------
NETWORKS = [("sigmoid", "quadratic", None), ("tanh", "quadratic", None), ("sigmoid", "cross_entropy", None),
            ("tanh", "cross_entropy", "sigmoid"), ("relu", "quadratic", None), ("relu", "quadratic", "linear")]


@pytest.mark.parametrize("activation,cost,out", NETWORKS)
@pytest.mark.parametrize("points", ["all", 0, 7])
def test_higham_network_from_values_equals_network_gradients(activation, cost, out, points):
    X, Y = load_dataset("higham")
    if points != "all":
        X, Y = X[points], Y[points]
    net = Network([2, 2, 3, 2], activation=activation, cost=cost, output_activation=out, seed=0)
    graph = network_graph(net, X, Y)
    graph.cost.backward()
    grad_W, grad_b = graph.gradients()
    want_W, want_b = net.gradients(X, Y)
    assert graph.cost.data == pytest.approx(net.cost(X, Y), rel=1e-13)
    for got, want in zip(grad_W + grad_b, list(want_W) + list(want_b)):
        assert got.shape == want.shape
    assert relative_error(grad_W + grad_b, list(want_W) + list(want_b)) < 1e-12


@pytest.mark.parametrize("sizes,seed", [([3, 4, 1], 1), ([2, 5, 4, 3, 2], 2), ([1, 1], 3)])
def test_other_shapes_from_values_equal_network_gradients(sizes, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.uniform(-1, 1, (4, sizes[0])), rng.uniform(0, 1, (4, sizes[-1]))
    for activation in ("sigmoid", "tanh"):
        net = Network(sizes, activation=activation, seed=seed)
        graph = network_graph(net, X, Y)
        graph.cost.backward()
        want_W, want_b = net.gradients(X, Y)
        assert relative_error(sum(graph.gradients(), []), list(want_W) + list(want_b)) < 1e-12


def test_network_graph_parameters_follow_the_networks_order():
    net = Network([2, 3, 2], seed=0)
    graph = network_graph(net, [0.1, 0.2], [1.0, 0.0])
    flat = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in zip(net.weights, net.biases)])
    np.testing.assert_array_equal([p.data for p in graph.parameters], flat)
    assert graph.labels[id(graph.weights[-1][1][2])] == "$w^{[3]}_{23}$"
    assert graph.labels[id(graph.cost)] == "$C$"


def test_network_graph_rejects_bad_input():
    net = Network([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match="X has shape"):
        network_graph(net, [1.0, 2.0, 3.0], [1.0])
    with pytest.raises(ValueError, match="NaN"):
        network_graph(net, [np.nan, 2.0], [1.0])
    with pytest.raises(ValueError, match="cross_entropy needs targets"):
        network_graph(Network([2, 1], cost="cross_entropy"), [1.0, 2.0], [2.0])


# ----- forward mode and the counts ------------------------------------------------------
def test_forward_mode_tangents_equal_reverse_mode_gradients():
    X, Y = load_dataset("higham")
    net = Network([2, 2, 3, 2], activation="tanh", seed=4)
    graph = network_graph(net, X[3], Y[3])
    graph.cost.backward()
    for p in graph.parameters:
        assert tangents(graph.cost, p)[id(graph.cost)] == pytest.approx(p.grad, rel=1e-12, abs=1e-16)
    x1 = graph.inputs[0][0]  # an input is a leaf too
    assert tangents(graph.cost, x1)[id(graph.cost)] == pytest.approx(x1.grad, rel=1e-12)


def test_a_tangent_is_the_derivative_of_every_node_on_the_way():
    x, y = Value(0.7), Value(-1.2)
    u = x * y
    C = u.sigmoid() + x
    dot = tangents(C, x)
    assert dot[id(u)] == pytest.approx(-1.2) and dot[id(y)] == 0.0
    assert dot[id(C)] == pytest.approx(central(lambda t: 1 / (1 + math.exp(-t * -1.2)) + t, 0.7)[0], rel=1e-7)


@pytest.mark.parametrize("sizes", [[1, 1, 2], [2, 2, 3, 2], [3, 4, 1]])
def test_graph_size_per_neuron_and_the_counts_of_each_mode(sizes):
    net = Network(sizes, seed=0)
    m = count_modes(net, np.full(sizes[0], 0.3), np.eye(sizes[-1])[0])
    n_L = sizes[-1]
    # a neuron with n inputs: n products, n - 1 + 1 additions and sigma = 2n + 1 operations, 4n + 1 edges;
    # the quadratic cost: n_L differences, n_L squares, n_L - 1 additions and the factor 1/2
    N = sum(n_out * (2 * n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])) + 3 * n_L
    E = sum(n_out * (4 * n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])) + 4 * n_L - 1
    P = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    assert (m.operations, m.edges, m.parameters) == (N, E, P)
    assert m.forward_mode == N + P * E  # one evaluation, one sweep per parameter
    assert m.reverse_mode == N + E  # one evaluation, one sweep for all
    assert m.central_differences == 2 * P * N  # two evaluations per parameter
    assert relative_error(m.forward_gradient, m.reverse_gradient) < 1e-12
    assert relative_error(m.central_gradient, m.reverse_gradient) < 1e-7
    grad_W, grad_b = net.gradients(np.full(sizes[0], 0.3), np.eye(sizes[-1])[0])
    flat = flatten(grad_W, grad_b)
    assert relative_error(m.reverse_gradient, flat) < 1e-12


def test_count_modes_leaves_the_network_unchanged():
    net = Network([2, 3, 2], seed=1)
    before = [W.copy() for W in net.weights] + [b.copy() for b in net.biases]
    count_modes(net, [0.1, 0.9], [0.0, 1.0])
    for a, b in zip(before, list(net.weights) + list(net.biases)):
        np.testing.assert_array_equal(a, b)


def test_layout_puts_every_node_somewhere_different_and_inputs_to_the_left():
    net = Network([1, 1, 2], seed=3)
    graph = network_graph(net, [0.5], [1.0, 0.0])
    pos = layout(graph.cost)
    order = graph.cost.topological_order()
    assert len(pos) == len(order) == 22 and len(set(pos.values())) == len(order)
    for v in order:
        for u in v.inputs:
            assert pos[id(u)][0] < pos[id(v)][0]
    fig, ax = new_figure()
    draw_graph(ax, graph.cost, graph.labels, pos, text={id(graph.cost): "C"})
    assert len(ax.texts) >= len(order)
    assert graph_size(graph.cost) == (15, 22)


# ----- properties: random expressions ---------------------------------------------------
OPS = [("+", lambda a, b: a + b), ("*", lambda a, b: a * b), ("-", lambda a, b: a - b),
       ("tanh", lambda a, b: (a * b).tanh() if isinstance(a, Value) else math.tanh(a * b)),
       ("sigmoid", lambda a, b: (a - b).sigmoid() if isinstance(a, Value) else 1 / (1 + math.exp(b - a)))]


@given(st.lists(st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 50), st.integers(0, 50)),
                min_size=1, max_size=25),
       st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_expressions_match_central_differences(program, xs):
    def f(*args):
        nodes = list(args)
        for op, i, j in program:  # each step combines two earlier nodes: plenty of sharing
            nodes.append(OPS[op][1](nodes[i % len(nodes)], nodes[j % len(nodes)]))
        return nodes[-1] + 0.0 * args[0]
    data, grads = value_and_grads(f, *xs)
    assert data == pytest.approx(f(*xs), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grads, central(f, *xs), rtol=1e-5, atol=1e-6)


# ----- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize("bad,error,match", [
    ("1.5", TypeError, "real number"), (1 + 2j, TypeError, "complex"), (None, TypeError, "NoneType"),
    (True, TypeError, "bool"), (np.array([1.0, 2.0]), TypeError, "ndarray"),
    (float("nan"), ValueError, "finite"), (float("inf"), ValueError, "finite")])
def test_a_value_of_something_that_is_not_a_finite_real_number(bad, error, match):
    with pytest.raises(error, match=match):
        Value(bad)


def test_bad_operations_name_the_problem():
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"log\(x\) needs x > 0, got x = 0"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="needs x > 0, got x = -3"):
        Value(-3.0).log()
    with pytest.raises(TypeError, match="real number"):
        x + "a"
    with pytest.raises(TypeError, match="real number"):
        "a" * x
    with pytest.raises(TypeError, match="real number"):
        x * (1 + 1j)
    with pytest.raises(TypeError, match="not a Value"):
        x ** Value(2.0)
    with pytest.raises(ValueError, match="integer n"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(ValueError, match="at x = 0"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="at x = 0"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match="too large"):
        Value(1e200) ** 2
    with pytest.raises(ValueError, match="at most 709"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match="finite"):
        Value(1e200) * Value(1e200)  # the product overflows
    with pytest.raises(ZeroDivisionError, match="equal to 0"):
        x / 0
    with pytest.raises(ZeroDivisionError, match="equal to 0"):
        x / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="equal to 0"):
        1 / Value(0.0)
    with pytest.raises(ValueError, match="finite"):
        x * float("nan")


def test_numpy_numbers_work_on_either_side():
    x = Value(3.0)
    for out in (np.float64(2.0) * x, x * np.float64(2.0), np.int64(2) * x, np.float32(2.0) + x + 1):
        assert isinstance(out, Value)
    assert repr(Value(0.5)) == "Value(data=0.5, grad=0)"


# ----- the self-checks of notebook 06 ----------------------------------------------------
def softplus_with(rule):
    """A student's softplus node whose local derivative is ``rule(x)``."""
    def softplus(x):
        return Value(math.log1p(math.exp(x.data)), (x,), (rule(x.data),), "softplus")
    return softplus


def test_check_softplus_passes_a_right_rule_and_names_each_mistake():
    from backproplab import checks
    right = checks.check_softplus(softplus_with(lambda x: math.exp(x) / (1 + math.exp(x))))
    assert right.passed and "PASSED" in repr(right)
    mistakes = {
        "the chain rule needs the inner derivative": lambda x: 1 / (1 + math.exp(x)),
        "the inner derivative alone": math.exp,
        "the forward value": lambda x: math.log1p(math.exp(x)),
        "one derivative too many": lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
        "wrong sign": lambda x: -1 / (1 + math.exp(-x)),
        "No gradient reaches x": lambda x: 0.0,
    }
    for words, rule in mistakes.items():
        result = checks.check_softplus(softplus_with(rule))
        assert result.status == "failed" and words in repr(result), repr(result)
    unknown = checks.check_softplus(softplus_with(lambda x: x))
    assert unknown.status == "failed" and repr(unknown).endswith("]."), repr(unknown)
    not_a_value = checks.check_softplus(lambda x: 1.0)
    assert "must return a Value" in repr(not_a_value)


def test_check_softplus_says_not_implemented_for_the_stub():
    from backproplab import checks

    def stub(x):
        raise NotImplementedError("your code here")
    assert checks.check_softplus(stub).status == "not implemented"


def test_check_mode_counts_never_prints_the_answer_but_says_how_far_off():
    from backproplab import checks
    N, E, P = 45, 78, 23  # Higham's 2-2-3-2 network, one point: see test_graph_size_per_neuron...
    right = (P, N + P * E, N + E, 2 * P * N)
    assert checks.check_mode_counts(lambda: right).passed
    cases = [
        ((16, *right[1:]), "P", "weights only"),
        ((P, P * E, *right[2:]), "forward_mode", "left out the one evaluation"),
        ((P, P * (N + E), *right[2:]), "forward_mode", "again for every pass"),
        ((P, N + E, *right[2:]), "forward_mode", "one sweep"),
        ((P, right[1], N + P * E, right[3]), "reverse_mode", "forward mode's count"),
        ((P, right[1], E, right[3]), "reverse_mode", "left out the one evaluation"),
        ((*right[:3], P * N), "central_differences", "p + eps and at p - eps"),
        ((*right[:3], 2 * P * N + N), "central_differences", "evaluation at p itself"),
    ]
    for answer, where, words in cases:
        message = repr(checks.check_mode_counts(lambda: answer))
        assert message.startswith("mode_counts: FAILED:") and f"{where} = " in message and words in message, message
        expected = dict(zip(("P", "forward_mode", "reverse_mode", "central_differences"), right))[where]
        assert f"{expected:,}" not in message and str(expected) not in message  # the right count is never shown
    near = repr(checks.check_mode_counts(lambda: (*right[:3], right[3] + 60)))
    assert "central_differences = 2,130 is too large by 2.9%" in near, near
    assert "should return 4 number(s)" in repr(checks.check_mode_counts(lambda: right[:3]))
    assert "forward_mode = 'many' is not a number" in repr(checks.check_mode_counts(lambda: (P, "many", 1, 2)))

    def stub():
        raise NotImplementedError("your code here")
    assert checks.check_mode_counts(stub).status == "not implemented"


def test_flatten_follows_the_order_of_the_graphs_parameters():
    W2, b2, W3, b3 = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([5.0, 6.0]), np.array([[7.0, 8.0]]), np.array([9.0])
    np.testing.assert_array_equal(flatten([W2, W3], [b2, b3]), np.arange(1.0, 10.0))
