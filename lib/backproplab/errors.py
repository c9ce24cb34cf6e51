"""The errors Backprop Lab raises on purpose, and what they blame.

When training diverges, the learning rate is the usual suspect, but not the only one: inputs
or targets of 10^200 overflow float64 whatever the learning rate, and so do starting weights
of 10^200.  :func:`overflow_culprits` names those; :class:`TrainingDiverged` says which it
was, and the network's ``cost`` and ``gradients`` use the same words in their ``ValueError``.
"""
from __future__ import annotations

import numpy as np

# Inputs or targets beyond this size are taken as unscaled data (pixel counts, prices...):
# scaling them, not a smaller learning rate, is the fix.
DATA_LIMIT = 1e6
# Parameters beyond this size mean a run has left any useful region (training.py stops there).
PARAMETER_LIMIT = 1e8


def largest_magnitude(arrays) -> float:
    """The largest magnitude in a sequence of arrays (``inf`` if any entry is NaN or infinite)."""
    largest = 0.0
    for arr in arrays:
        arr = np.asarray(arr, dtype=float)
        if arr.size:
            if not np.all(np.isfinite(arr)):
                return float("inf")
            largest = max(largest, float(np.max(np.abs(arr))))
    return largest


def overflow_culprits(X, Y, parameters, starting=True, names=("X", "Y")) -> list:
    """What, besides the learning rate, makes a network's arithmetic overflow.

    Parameters
    ----------
    X, Y : ndarray
        The inputs and targets.
    parameters : sequence of ndarray (or of their largest magnitudes)
        The weights and biases the computation started from.
    starting : bool
        Whether ``parameters`` are those a training run started from (the advice is then
        to start from smaller ones) or those of a network as it is.
    names : pair of str
        What the messages call ``X`` and ``Y``.

    Returns
    -------
    list of (str, str)
        ``(cause, explanation)`` for each of the inputs (beyond :data:`DATA_LIMIT` in
        magnitude), the targets (the same) and the weights and biases (beyond
        :data:`PARAMETER_LIMIT`, or not finite); empty when none of them is to blame.
    """
    culprits = []
    size_X, size_Y, size_P = largest_magnitude([X]), largest_magnitude([Y]), largest_magnitude(parameters)
    if size_X > DATA_LIMIT:
        culprits.append(("inputs", f"the inputs {names[0]} reach {size_X:.3g} in magnitude; scale them (for "
                                   f"example to [0, 1], or to mean 0 and standard deviation 1)"))
    if size_Y > DATA_LIMIT:
        culprits.append(("targets", f"the targets {names[1]} reach {size_Y:.3g} in magnitude; scale them (and read "
                                    f"the outputs in the same units)"))
    if size_P > PARAMETER_LIMIT:
        culprits.append(("starting weights", f"the starting weights and biases reach {size_P:.3g} in magnitude; "
                                             f"start from smaller ones (init_scale=0.5, as in Higham & Higham)"
                         if starting else f"the weights and biases reach {size_P:.3g} in magnitude"))
    return culprits


def overflow_message(X, Y, parameters, names=("X", "Y")) -> str:
    """Why a network's cost, gradient or output is not finite, in words: the culprits, or the network itself."""
    culprits = overflow_culprits(X, Y, parameters, starting=False, names=names)
    if culprits:
        return "; ".join(text for _, text in culprits)
    return (f"the network amplifies its inputs (up to {largest_magnitude([X]):.3g}) beyond float64's range "
            f"with weights and biases up to {largest_magnitude(parameters):.3g}; use fewer layers or smaller weights")


class TrainingDiverged(RuntimeError):
    """Training stopped because the cost became non-finite or exploded.

    Attributes
    ----------
    iteration : int
        The iteration (counting from 1) at which divergence was detected; 0 when the
        starting network's cost was already not finite, so that training could not start.
    learning_rate : float
        The learning rate that was in use.
    cost : float
        The cost seen at that moment (``nan`` or ``inf`` when it was not finite).
    cause : str
        ``"learning_rate"`` (the steps overshoot: try a smaller one), or what makes the
        arithmetic overflow whatever the learning rate: ``"inputs"``, ``"targets"`` or
        ``"starting weights"`` (see :func:`overflow_culprits`).
    """

    def __init__(self, iteration: int, learning_rate: float, cost: float, cause: str = "learning_rate",
                 explanation: str = ""):
        self.iteration = int(iteration)
        self.learning_rate = float(learning_rate)
        self.cost = float(cost)
        self.cause = cause
        if cause == "learning_rate":
            message = (f"diverged at iteration {self.iteration} with learning rate {self.learning_rate:g}: "
                       f"try a smaller one")
        elif self.iteration == 0:
            message = (f"training could not start: the starting network's cost is {self.cost:g}, because "
                       f"{explanation}; no learning rate can fix that")
        else:
            message = (f"diverged at iteration {self.iteration} with learning rate {self.learning_rate:g}, "
                       f"because {explanation}; a smaller learning rate is not the fix")
        super().__init__(message)

    @classmethod
    def blaming(cls, iteration, learning_rate, cost, X, Y, parameters) -> "TrainingDiverged":
        """The error for a run on ``(X, Y)`` that started from ``parameters``, naming the real cause.

        The inputs, the targets or the starting parameters when they are out of scale
        (:func:`overflow_culprits`); the network itself when training could not even start;
        otherwise the learning rate.
        """
        culprits = overflow_culprits(X, Y, parameters)
        if culprits:
            return cls(iteration, learning_rate, cost, culprits[0][0], "; and ".join(t for _, t in culprits))
        if iteration == 0:
            return cls(iteration, learning_rate, cost, "starting weights", overflow_message(X, Y, parameters))
        return cls(iteration, learning_rate, cost)
