"""The backward-pass widget of notebook 06: its pure functions and its callbacks."""
import numpy as np
import pytest

from backproplab import numerical_gradients, relative_error
from backproplab.autodiff import Value
from backproplab.graphs import flatten, network_graph
from backproplab.widgets import BackwardPassExplorer
from backproplab.widgets.backward_pass import (MAX_NODES, ascii_name, describe, forward_states, picture, plain,
                                               reverse_states, small_network)

EPS = 1e-6


def graph_of(activation="sigmoid"):
    return network_graph(*small_network(activation))


def cost_by_differences(activation, p_index):
    """dC/dp for the p_index-th parameter of the small network, by central differences on net.cost
    (the library's numpy forward pass: independent of the Value graph the widget steps through)."""
    net, x, y = small_network(activation)
    return flatten(*numerical_gradients(net, x, y, EPS))[p_index]


# ----- reverse mode, step by step ---------------------------------------------------------
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_last_reverse_state_holds_every_gradient(activation):
    graph = graph_of(activation)
    states = reverse_states(graph.cost)
    last = states[-1]
    for i, p in enumerate(graph.parameters):
        assert last.values[id(p)] == pytest.approx(cost_by_differences(activation, i), rel=1e-6, abs=1e-10)
    net, x, y = small_network(activation)
    grad_W, grad_b = net.gradients(x, y)
    got = [last.values[id(p)] for p in graph.parameters]
    want = flatten(grad_W, grad_b)
    assert relative_error(got, want) < 1e-12
    order = graph.cost.topological_order()
    assert last.done == {id(v) for v in order}  # every gradient complete


def test_one_reverse_step_per_operation_each_passing_gradient_times_local_derivative():
    graph = graph_of()
    states = reverse_states(graph.cost)
    n_ops = sum(1 for v in graph.cost.topological_order() if v.inputs)
    assert len(states) == n_ops + 1 == 16
    assert states[0].node is None and states[0].values == {id(graph.cost): 1.0}  # dC/dC = 1
    assert states[1].node is graph.cost
    for before, state in zip(states, states[1:]):
        node = state.node
        assert id(node) in before.done  # a node is visited only when its gradient is complete
        for u, local, amount in state.passed:
            assert amount == pytest.approx(before.values[id(node)] * local, rel=1e-15)
            assert local in node.local


def test_the_hidden_activation_sums_two_contributions():
    graph = graph_of()
    a2 = next(v for v in graph.cost.topological_order() if graph.labels.get(id(v)) == "$a^{[2]}_{1}$")
    states = reverse_states(graph.cost)
    arrivals = [s for s in states if any(u is a2 for u, _, _ in s.passed)]
    assert len(arrivals) == 2  # a^[2]_1 feeds both output neurons
    first, second = arrivals
    assert id(a2) not in first.done and id(a2) in second.done
    assert second.summed == [a2]
    amounts = [amount for s in arrivals for u, _, amount in s.passed if u is a2]
    assert second.values[id(a2)] == pytest.approx(sum(amounts), rel=1e-14)
    assert "add up" in describe(second, graph.labels, len(states) - 1)
    assert "(23)" in describe(second, graph.labels, len(states) - 1)


def test_describe_reverse_mode_names_the_node_and_the_numbers():
    graph = graph_of()
    states = reverse_states(graph.cost)
    total = len(states) - 1
    assert "dC/dC = 1" in describe(states[0], graph.labels, total)
    text = describe(states[1], graph.labels, total)
    assert text.startswith("Step 1 of 15: C has its complete gradient") and "0.500" in text
    assert "Done" in describe(states[-1], graph.labels, total)
    assert "Done" not in describe(states[-2], graph.labels, total)


# ----- forward mode -------------------------------------------------------------------------
@pytest.mark.parametrize("p_index", range(6))
def test_forward_mode_ends_with_one_derivative(p_index):
    graph = graph_of("tanh")
    p = graph.parameters[p_index]
    states = forward_states(graph.cost, p)
    assert len(states) == 16
    assert states[0].values[id(p)] == 1.0
    assert states[-1].values[id(graph.cost)] == pytest.approx(cost_by_differences("tanh", p_index), rel=1e-6,
                                                              abs=1e-10)
    for state in states[1:]:  # each tangent is the sum of local derivative times input tangent
        assert state.values[id(state.node)] == pytest.approx(sum(a for _, _, a in state.passed), rel=1e-15)
    text = describe(states[-1], graph.labels, 15)
    assert "tangent of C" in text and "one</i> parameter" in text


def test_forward_mode_needs_a_leaf_of_the_graph():
    graph = graph_of()
    with pytest.raises(ValueError, match="needs a leaf of this graph"):
        forward_states(graph.cost, Value(1.0))
    with pytest.raises(ValueError, match="needs a leaf"):
        forward_states(graph.cost, graph.cost)


def test_graphs_too_large_for_the_widget_are_refused():
    v = Value(0.1)
    for _ in range(MAX_NODES):
        v = v * 1.01
    with pytest.raises(ValueError, match=f"at most {MAX_NODES}"):
        reverse_states(v)


def test_picture_colours_the_current_node_and_the_finished_ones():
    graph = graph_of()
    state = reverse_states(graph.cost)[5]
    text, colors, edges, edge_text = picture(state, graph.cost)
    assert len(text) == 22 and all(t.startswith("data ") for t in text.values())
    assert colors[id(state.node)] == "#E69F00"  # orange: this step
    assert edges == [(u, state.node) for u, _, _ in state.passed]
    assert all(t.startswith("×") for t in edge_text.values())


def test_plain_and_ascii_names():
    assert plain("$w^{[3]}_{21}$") == "w<sup>[3]</sup><sub>21</sub>"
    assert ascii_name("$w^{[3]}_{21}$") == "w[3]_21"


# ----- the widget -----------------------------------------------------------------------------
def test_widget_starts_at_step_0_of_reverse_mode():
    w = BackwardPassExplorer()
    assert (w.mode.value, w.activation.value, w.step.value, w.step.max) == ("reverse", "sigmoid", 0, 15)
    assert "dC/dC = 1" in w.readout.value
    assert "reverse mode" in w.ax.get_title()
    assert repr(w.widget).startswith("BackwardPassExplorer:")
    assert w.view.image.value[:4] == b"\x89PNG"


def test_step_buttons_move_one_operation_and_stop_at_the_ends():
    w = BackwardPassExplorer()
    w.back.click()
    assert w.step.value == 0
    w.forward.click()
    w.forward.click()
    assert w.step.value == 2 and w.state is w.states[2]
    assert w.readout.value.startswith("Step 2 of 15")
    w.step.value = 15
    w.forward.click()
    assert w.step.value == 15 and "Done" in w.readout.value
    w.back.click()
    assert w.step.value == 14


def test_widget_gradients_at_the_end_are_the_networks():
    w = BackwardPassExplorer(activation="tanh")
    w.step.value = w.step.max
    net, x, y = small_network("tanh")
    grad_W, grad_b = net.gradients(x, y)
    want = flatten(grad_W, grad_b)
    got = [w.state.values[id(p)] for p in w.graph.parameters]
    assert relative_error(got, want) < 1e-12


def test_changing_the_activation_or_the_mode_starts_again():
    w = BackwardPassExplorer()
    w.step.value = 7
    w.activation.value = "relu"
    assert w.step.value == 0 and "relu" in w.ax.get_title()
    w.mode.value = 2  # forward mode for the third parameter, w[3]_11
    assert w.step.value == 0 and w.state.mode == "forward"
    assert "d/dw[3]_11" in w.ax.get_title()
    w.step.value = w.step.max
    assert w.state.values[id(w.graph.cost)] == pytest.approx(cost_by_differences("relu", 2), rel=1e-6, abs=1e-10)
    w.mode.value = "reverse"
    assert w.state.mode == "reverse" and w.step.max == 15


def test_widget_rejects_a_bad_activation():
    with pytest.raises(ValueError, match="activation must be one of"):
        BackwardPassExplorer(activation="softmax")


def test_a_mode_that_is_not_offered_is_refused_in_the_kernel():
    w = BackwardPassExplorer()
    w.mode.options = list(w.mode.options) + [("forged", 99)]  # as a tampered front end could send
    w.mode.value = 99
    assert w.state is None and "Cannot show this" in w.readout.value and "from 0 to 5" in w.readout.value
    w.forward.click()  # the step buttons do nothing until a valid mode is chosen
    assert w.state is None and "from 0 to 5" in w.readout.value
    w.mode.value = "reverse"
    assert w.state is w.states[0]
