"""How much work a training run may ask for, checked before anything is allocated.

A notebook, a widget or a student typing numbers can ask :func:`~backproplab.training.train`
for far more than any lesson needs: ``batch_size=10**6`` or ``iterations=10**9`` would keep a
shared classroom server busy for hours or exhaust its memory.  :func:`check_budget` refuses
such a run with a ``ValueError`` that names the numbers, their product, the budget and what
to reduce.  Three budgets, each for a different way a run can be too big:

========================  =====================================================  =================
budget                    what it bounds                                         value
========================  =====================================================  =================
:data:`WORK_BUDGET`       arithmetic: iterations x batch size x parameters       2 x 10^11
:data:`SAMPLE_BUDGET`     samples pushed through the network: iterations x       2 x 10^7
                          batch size (small networks, where a sample costs far
                          more than its few parameters say)
:data:`MEMORY_BUDGET`     the arrays of one step: inputs, targets and every      512 MiB
                          layer's ``z``, ``a`` and ``delta`` for the batch; and
                          the weights and biases of one network
                          (:func:`check_network_size`, before ``Network``
                          allocates them)
========================  =====================================================  =================

Why these values (measured on the project's 2-core machine, ``benchmarks/`` and issue 9):

* The largest runs anywhere in the project: Higham & Higham's full run (``make reproduce``),
  10^6 per-sample steps on their 2-2-3-2 network, is 10^6 samples and 1.7 x 10^7 parameter
  updates; the training explorer's largest legal settings (10^5 iterations, batches of 100,
  five hidden layers of 50) are 10^7 samples and 1.05 x 10^11 parameter updates; notebook
  05's runs are smaller still.  The budgets leave room over them: nearly twice the
  explorer's work, twice its samples.
* Wide layers run at about 1.5 x 10^9 parameter updates per second, so the work budget is
  about two minutes of arithmetic.  A network as small as Higham's costs about 1 us per
  sample (elementwise work and Python overhead, not its 17 parameters) and 20-40 us per
  step, so the sample budget is a few minutes at most, whatever the batch size.
* 512 MiB for one step: a batch of 10^6 samples through a 2-2-3-2 network needs 200 MB;
  the 3 x 10^6 x 1000 run of issue 9 would need far more than the machine has.

The sample indices themselves are drawn in chunks of at most :data:`INDEX_CHUNK` numbers
(or one batch, if a batch is bigger), so their memory does not grow with ``iterations``.
"""
from __future__ import annotations

WORK_BUDGET = 2 * 10**11
SAMPLE_BUDGET = 2 * 10**7
MEMORY_BUDGET = 512 * 2**20  # bytes
# Sample indices drawn at a time: 4096 steps for every batch size up to 128 (the same
# draws as one call of 4096 rows, which is what train did before the chunks were bounded).
INDEX_CHUNK = 2**19
MAX_CHUNK_ROWS = 4096


def n_parameters(sizes) -> int:
    """The number of weights and biases: ``sum over l of n_l n_{l-1} + n_l``."""
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def step_bytes(sizes, batch_size: int) -> int:
    """About the memory of one step: ``x`` and ``y``, and ``z``, ``a``, ``delta`` of layers 2..L."""
    return 8 * batch_size * (sizes[0] + sizes[-1] + 3 * sum(sizes[1:]))


def check_budget(sizes, iterations: int, batch_size: int, batch_name: str = "batch_size") -> None:
    """Refuse a run beyond :data:`WORK_BUDGET`, :data:`SAMPLE_BUDGET` or :data:`MEMORY_BUDGET`.

    Parameters
    ----------
    sizes : sequence of int
        The network's layer widths, input first.
    iterations, batch_size : int
        Steps of the run and samples per step.
    batch_name : str
        How the message names the batch size (``gradient_descent`` uses every sample).

    Raises
    ------
    ValueError
        Naming the numbers, their product, the budget exceeded and what to reduce.
    """
    P = n_parameters(sizes)
    samples = iterations * batch_size
    if samples * P > WORK_BUDGET:
        raise ValueError(
            f"too much work: iterations x {batch_name} x parameters = {iterations:,} x {batch_size:,} x {P:,} "
            f"= {samples * P:.3g} parameter updates, beyond the budget of {WORK_BUDGET:.3g} "
            f"(backproplab.budget.WORK_BUDGET); reduce iterations, the batch size or the network's size")
    if samples > SAMPLE_BUDGET:
        raise ValueError(
            f"too much work: iterations x {batch_name} = {iterations:,} x {batch_size:,} = {samples:.3g} samples, "
            f"beyond the budget of {SAMPLE_BUDGET:.3g} (backproplab.budget.SAMPLE_BUDGET); "
            f"reduce iterations or the batch size")
    memory = step_bytes(sizes, batch_size)
    if memory > MEMORY_BUDGET:
        raise ValueError(
            f"a batch of {batch_size:,} samples through layers {list(sizes)} needs about {memory / 2**20:,.0f} MiB "
            f"per step, beyond the budget of {MEMORY_BUDGET / 2**20:.0f} MiB (backproplab.budget.MEMORY_BUDGET); "
            f"reduce the batch size")


def check_network_size(sizes) -> None:
    """Refuse a network whose weights and biases would take more than :data:`MEMORY_BUDGET`.

    ``Network([2, 10**9, 2])`` asks for 5 x 10^9 parameters, 40 GB of float64: refused with a
    ``ValueError`` naming that size, before numpy tries to allocate any of it.
    """
    P = n_parameters(sizes)
    nbytes = 8 * P
    if nbytes > MEMORY_BUDGET:
        raise ValueError(
            f"a network with layers {list(sizes)} has {P:,} weights and biases, {nbytes / 1e9:,.3g} GB as float64, "
            f"beyond the budget of {MEMORY_BUDGET / 1e9:.2g} GB for one network (backproplab.budget.MEMORY_BUDGET); "
            f"use narrower or fewer layers")


def chunk_rows(batch_size: int) -> int:
    """How many steps' sample indices to draw at once: at most :data:`INDEX_CHUNK` numbers."""
    return max(1, min(MAX_CHUNK_ROWS, INDEX_CHUNK // batch_size))
