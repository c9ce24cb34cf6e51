"""Per-layer values indexed by the lecture notes' layer numbers.

Higham & Higham (2019) number the layers ``1, ..., L``: ``a[1] = x`` is the input, and
``W[l]``, ``b[l]``, ``z[l]`` and ``delta[l]`` exist for the layers ``l = 2, ..., L``.
A :class:`ByLayer` holds one value per layer and is indexed by those same numbers, so the
code reads like the notes::

    net.weights[l]      # W^[l],      l = 2, ..., L
    trace.a[1]          # a^[1] = x
    deltas[L]           # delta^[L], the output sensitivity (22)

Iterating over a ``ByLayer`` gives its values in layer order; ``[-1]`` is the output
layer ``L``, as for a list; a slice such as ``net.weights[3:]`` keeps the notes' numbers.
"""
from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np

from .validation import as_real_array


class ByLayer(Sequence):
    """One value per layer, for the layers ``first, first + 1, ..., last``.

    Parameters
    ----------
    values : sequence
        The values in layer order, the first one belonging to layer ``first``.
    first : int
        The notes' number of the first layer held: 1 for activations ``a``, 2 for ``W``,
        ``b``, ``z`` and ``delta``.
    name : str
        The symbol, used in messages and in the printed form (``"W"``, ``"delta"``...).
    """

    __slots__ = ("first", "name", "_values")

    def __init__(self, values, first: int, name: str = "value"):
        self._values = list(values)
        self.first = int(first)
        self.name = name

    @property
    def last(self) -> int:
        """The notes' number of the last layer held (``L`` for a whole network)."""
        return self.first + len(self._values) - 1

    @property
    def layers(self) -> range:
        """The layer numbers held: ``range(first, last + 1)``."""
        return range(self.first, self.last + 1)

    def items(self):
        """``(l, value)`` pairs in layer order."""
        return zip(self.layers, self._values)

    def _position(self, l) -> int:
        if isinstance(l, bool) or not isinstance(l, Integral):
            raise TypeError(f"{self.name} is indexed by a layer number (an int), got {l!r}")
        if l < 0 and -len(self._values) <= l:  # [-1] is the last layer, as for a list
            return len(self._values) + int(l)
        if self.first <= l <= self.last:
            return int(l) - self.first
        raise IndexError(f"{self.name}[{l}] does not exist: the notes number the layers 1, ..., L and "
                         f"{self.name}[l] exists for l = {self.first}, ..., {self.last}")

    def __getitem__(self, l):
        if isinstance(l, slice):
            if l.step not in (None, 1):
                raise ValueError(f"a slice of {self.name} takes every layer: step must be 1, got {l.step!r}")
            start = self.first if l.start is None else max(l.start, self.first)
            stop = self.last + 1 if l.stop is None else min(l.stop, self.last + 1)
            return ByLayer(self._values[start - self.first:max(stop, start) - self.first], start, self.name)
        return self._values[self._position(l)]

    def __setitem__(self, l, value) -> None:
        i = self._position(l)
        old = self._values[i]
        if isinstance(old, np.ndarray):  # an array is replaced only by real numbers of its shape
            value = as_real_array(value, f"the new {self.name}[{l}]")
            if value.shape != old.shape:
                raise ValueError(f"{self.name}[{l}] has shape {old.shape}; the new value has shape {value.shape}")
        self._values[i] = value

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __repr__(self) -> str:
        body = ",\n ".join(f"{l}: {value!r}".replace("\n", "\n    ") for l, value in self.items())
        return f"{self.name} by layer {{{body}}}"
