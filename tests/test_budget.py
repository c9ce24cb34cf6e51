"""Issue 9 section 3: train refuses work beyond a budget, and its memory does not grow with iterations."""
import importlib.util
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from backproplab import Network, load_dataset
from backproplab import budget, explorer
from backproplab.training import gradient_descent

ROOT = Path(__file__).resolve().parents[1]


def snapshot(net):
    return [p.copy() for p in [*net.weights, *net.biases]]


def peak_bytes(call):
    """The peak memory Python and numpy allocate during ``call()``."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_issue_9_run_is_refused_at_once_with_the_numbers_and_what_to_reduce():
    # batch_size 3 x 10^6 and 1000 iterations: the old train allocated 24 GB of indices first
    X, Y = load_dataset("higham")
    net = Network([2, 2, 3, 2], seed=0)
    before = snapshot(net)
    message = re.escape("too much work: iterations x batch_size = 1,000 x 3,000,000 = 3e+09 samples, beyond the "
                        "budget of 2e+07 (backproplab.budget.SAMPLE_BUDGET); reduce iterations or the batch size")

    def call():
        with pytest.raises(ValueError, match=message):
            net.train(X, Y, iterations=1000, batch_size=3_000_000)

    assert peak_bytes(call) < 2**20  # refused before allocating anything of that size
    for p, q in zip([*net.weights, *net.biases], before):
        np.testing.assert_array_equal(p, q)


def test_work_budget_counts_iterations_batch_size_and_parameters():
    net = Network([784, 100, 10], seed=0)  # 79,510 parameters
    X, Y = np.zeros((3, 784)), np.zeros((3, 10))
    with pytest.raises(ValueError, match=re.escape(
            "too much work: iterations x batch_size x parameters = 10,000 x 256 x 79,510 = 2.04e+11 parameter "
            "updates, beyond the budget of 2e+11 (backproplab.budget.WORK_BUDGET); reduce iterations, the batch "
            "size or the network's size")):
        net.train(X, Y, iterations=10_000, batch_size=256)
    budget.check_budget(net.sizes, 9_000, 256)  # 1.83e11: within the budget


def test_memory_of_one_step_is_budgeted():
    X, Y = load_dataset("higham")
    with pytest.raises(ValueError, match=r"a batch of 3,000,000 samples through layers \[2, 2, 3, 2\] needs about "
                                         r"572 MiB per step, beyond the budget of 512 MiB .*reduce the batch size"):
        Network([2, 2, 3, 2]).train(X, Y, iterations=1, batch_size=3_000_000)


def test_full_batch_descent_is_budgeted_too():
    X, Y = np.zeros((10_000, 2)), np.zeros((10_000, 2))
    with pytest.raises(ValueError, match=r"iterations x n_samples = 10,000 x 10,000 = 1e\+08 samples"):
        gradient_descent(Network([2, 2, 3, 2]), X, Y, iterations=10_000)


def test_every_run_of_the_project_fits():
    # make reproduce: Higham & Higham's 10^6 per-sample steps
    spec = importlib.util.spec_from_file_location("reproduce_higham", ROOT / "scripts" / "reproduce_higham.py")
    reproduce = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reproduce)
    s = reproduce.SETTINGS
    budget.check_budget(s["sizes"], s["iterations"], s["batch_size"])
    # the training explorer's largest legal settings
    from backproplab.widgets.training import ITERATION_CHOICES
    widest = [2, *[explorer.MAX_WIDTH] * explorer.MAX_HIDDEN_LAYERS, 2]
    budget.check_budget(widest, max(ITERATION_CHOICES), 100)
    # the budgets leave room over the largest of these: nearly twice the work, twice the samples
    P = budget.n_parameters(widest)
    assert 1.9 * max(ITERATION_CHOICES) * 100 * P <= budget.WORK_BUDGET
    assert 2 * max(ITERATION_CHOICES) * 100 <= budget.SAMPLE_BUDGET
    assert 2 * s["iterations"] * s["batch_size"] <= budget.SAMPLE_BUDGET


def test_n_parameters_counts_weights_and_biases():
    assert budget.n_parameters([2, 2, 3, 2]) == 6 + 9 + 8
    assert budget.n_parameters([784, 100, 10]) == 79_510


@pytest.mark.parametrize("batch_size", [1, 3, 128, 129, 1000, 10**6])
def test_sample_indices_are_drawn_in_bounded_chunks(batch_size):
    rows = budget.chunk_rows(batch_size)
    assert 1 <= rows <= budget.MAX_CHUNK_ROWS
    assert rows * batch_size <= max(budget.INDEX_CHUNK, batch_size)
    if batch_size <= 128:
        assert rows == 4096  # the draws of every run the notebooks make are unchanged


def test_train_memory_does_not_grow_with_iterations():
    # 10^4 steps of 1000 samples: drawing min(4096, iterations) x batch_size indices up front
    # would take 33 MB before the first step; bounded chunks take 4 MB.
    X, Y = load_dataset("higham")
    net = Network([2, 2, 3, 2], seed=0)

    class Stop(Exception):
        pass

    def stop_after_first_step(iteration, cost):
        if iteration >= 1:
            raise Stop

    def call():
        with pytest.raises(Stop):
            net.train(X, Y, iterations=10_000, batch_size=1000, record_every=1, callback=stop_after_first_step)

    assert peak_bytes(call) < 8 * 2**20
