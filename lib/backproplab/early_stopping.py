"""Early stopping: watch the cost on a validation set and keep the best parameters.

A network that trains long enough on little data learns its training set's accidents:
the training cost keeps falling while the cost on data it does not train on (a validation
set) turns and rises.  Early stopping records the validation cost every ``record_every``
iterations, remembers the parameters at its lowest value, stops once ``patience``
recordings in a row have not beaten it, and hands back the remembered parameters.  The
validation set has then chosen the network, so the honest estimate of how well it does is
its cost on a third set, the test set (:func:`~backproplab.split.train_validation_test_split`).
"""
from __future__ import annotations

import math

import numpy as np

from .errors import overflow_message


def validation_set(net, validation):
    """``(X_val, Y_val)`` checked against ``net`` like the training data, as 2-D arrays.

    Raises
    ------
    ValueError
        When ``validation`` is not a pair, an array has the wrong shape or values, or the
        network's cost on it overflows.
    """
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        length = f" of length {len(validation)}" if isinstance(validation, (tuple, list)) else ""
        raise ValueError(f"validation must be a pair (X_val, Y_val) of arrays, got "
                         f"{type(validation).__name__}{length}")
    X_val, Y_val = net._check(*validation, names=("X_val", "Y_val"))
    X_val, Y_val = (X_val[None, :], Y_val[None, :]) if X_val.ndim == 1 else (X_val, Y_val)
    with np.errstate(all="ignore"):  # an overflow is reported below, in words
        cost = net._cost(X_val, Y_val)
    if not math.isfinite(cost):
        raise ValueError(f"the cost on the validation set is {cost}, not a finite number: "
                         f"{overflow_message(X_val, Y_val, net._parameters(), names=('X_val', 'Y_val'))}")
    return X_val, Y_val


class BestParameters:
    """The lowest validation cost so far, its iteration, and recordings since then.

    Parameters
    ----------
    keep : bool
        Also copy the parameters at each new lowest cost, so that :meth:`restore` can put
        them back (what early stopping needs; a run that only records does not).
    """

    def __init__(self, keep: bool):
        self.keep = keep
        self.cost, self.iteration, self.since, self.parameters = math.inf, None, 0, None

    def update(self, net, iteration: int, cost: float) -> None:
        """Note the validation ``cost`` of ``net`` after ``iteration``."""
        if cost < self.cost:  # a new lowest validation cost (a tie is no improvement)
            self.cost, self.iteration, self.since = cost, iteration, 0
            if self.keep:
                self.parameters = [p.copy() for p in [*net.weights, *net.biases]]
        else:
            self.since += 1

    def restore(self, net) -> None:
        """Put the kept parameters back into ``net``'s own arrays."""
        for p, kept in zip([*net.weights, *net.biases], self.parameters):
            p[...] = kept
