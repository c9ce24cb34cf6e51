"""Self-checks for the exercises: a student's answer against the library's, diagnosed.

Each ``check_*`` function calls the student's function on seeded random inputs of
several shapes and compares the result with the library's own.  It never raises; it
returns a :class:`CheckResult` that the notebook displays as one line:

* ``PASSED``: every input agreed;
* ``FAILED``: what went wrong on which input, and the likely mistake in one sentence
  ("your result equals a - y: did you forget the factor sigma'(z[L])?");
* ``NOT IMPLEMENTED YET``: the stub still raises ``NotImplementedError``;
* ``CANNOT RUN``: the check was called with a bad ``seed``.

Paper exercises return their numbers from a function ``my_answer()``; their checks say
PASSED or how far off each number is, never the expected value.  :func:`reveal` shows
the library's code for an exercise once its check has passed.

One module per group of notebooks: :mod:`.calculus` (00), :mod:`.lemma` (01 to 04),
:mod:`.training` (04 and 05), :mod:`.autodiff` (06), :mod:`.generalisation` (07); the shared machinery is in :mod:`._core` (running and
diagnosing a student's function), :mod:`._numbers` (paper exercises) and :mod:`._reveal`.
"""
from ._core import CheckResult, Mistake, run_check
from ._numbers import check_numbers
from ._reveal import reveal, source_of
from .autodiff import check_mode_counts, check_softplus
from .generalisation import check_decayed_gradients, check_dropout_delta, check_regularisation_numbers
from .calculus import (check_central_difference, check_parameter_count, check_sigmoid_prime,
                       check_softplus_prime, check_tanh_prime, check_tanh_prime_from_sigmoid)
from .lemma import (check_bias_gradient, check_bias_update, check_halving_norm, check_hidden_delta,
                    check_largest_output_delta, check_output_delta, check_tanh_cross_entropy_delta,
                    check_tiny_network, check_weight_gradient)
from .training import check_backprop, check_plateau, check_sgd_step

__all__ = [
    "CheckResult", "Mistake", "check_numbers", "reveal", "run_check", "source_of",
    "check_central_difference", "check_parameter_count", "check_sigmoid_prime", "check_softplus_prime",
    "check_tanh_prime", "check_tanh_prime_from_sigmoid",
    "check_bias_gradient", "check_bias_update", "check_halving_norm", "check_hidden_delta",
    "check_largest_output_delta", "check_output_delta", "check_tanh_cross_entropy_delta", "check_tiny_network",
    "check_weight_gradient",
    "check_backprop", "check_plateau", "check_sgd_step",
    "check_mode_counts", "check_softplus",
    "check_decayed_gradients", "check_dropout_delta", "check_regularisation_numbers",
]
