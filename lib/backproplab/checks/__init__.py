"""Self-checks for the exercises: a student's function against the library's.

Each ``check_*`` function calls the student's function on seeded random inputs of
several shapes and compares the result with the library's own.  It never raises; it
returns a :class:`CheckResult` that the notebook displays as one line:

* ``PASSED``: every input agreed;
* ``FAILED``: what went wrong, on which input, with the expected and the actual value;
* ``NOT IMPLEMENTED YET``: the stub still raises ``NotImplementedError``.

One module per group of notebooks: :mod:`.calculus` (00), :mod:`.lemma` (01 to 04),
:mod:`.training` (04 and 05); the shared machinery is in :mod:`._core`.
"""
from ._core import CheckResult, run_check
from .autodiff import check_mode_counts, check_softplus
from .calculus import check_central_difference, check_sigmoid_prime, check_tanh_prime
from .generalisation import check_decayed_gradients, check_dropout_delta, check_numbers
from .lemma import (check_bias_gradient, check_bias_update, check_hidden_delta, check_output_delta,
                    check_weight_gradient)
from .training import check_backprop, check_sgd_step

__all__ = [
    "CheckResult", "run_check",
    "check_central_difference", "check_sigmoid_prime", "check_tanh_prime",
    "check_bias_gradient", "check_bias_update", "check_hidden_delta", "check_output_delta",
    "check_weight_gradient", "check_backprop", "check_sgd_step",
]
