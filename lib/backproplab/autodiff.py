"""Reverse-mode automatic differentiation on scalars (after Karpathy's micrograd).

Each operation on a :class:`Value` records one node of the computational graph: its value
``data``, the Values it was computed from (``inputs``) and the local derivatives
d(node)/d(input) (``local``), each next to the forward formula it differentiates.
``C.backward()`` visits the nodes from ``C`` back to the leaves and applies the chain rule
once per edge, ``input.grad += local * node.grad``; the ``+=`` sums over every path (the
generalised chain rule), so a Value used twice gets both contributions.  A plain number
is a constant folded into its node: ``x * 0.5`` is one node with one input.
"""
from __future__ import annotations

import math
from numbers import Real


def _number(x, what):
    """``x`` as a finite float, or a TypeError / ValueError saying what was expected."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what} must be a real number (int or float), got {type(x).__name__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number, got {x}")
    return x


class Value:
    """A scalar that remembers how it was computed.

    ``Value(data)`` is a leaf: ``data`` a finite real number (not a string, complex, bool or
    NaN).  An operation makes ``Value(data, inputs, local, op)``, where ``local[i]`` is the
    local derivative d(this)/d(inputs[i]).  After ``C.backward()``, ``v.grad`` is dC/dv.
    """

    __array_ufunc__ = None  # numpy defers to us: np.float64(2) * Value(3) is a Value

    def __init__(self, data, inputs=(), local=(), op=""):
        self.data = _number(data, f"the result of '{op}'" if op else "Value(data)")
        self.grad = 0.0
        self.inputs = tuple(inputs)
        self.local = tuple(_number(d, f"the derivative of '{op}'") for d in local)
        self.op = op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def _with(self, other, data, d_self, d_other, op):
        # a node for `self op other`; a number `other` is a constant folded into the node
        if isinstance(other, Value):
            return Value(data, (self, other), (d_self, d_other), op)
        return Value(data, (self,), (d_self,), f"{op}{_data(other):g}")

    def __add__(self, other):
        o = _data(other)
        return self._with(other, self.data + o, 1.0, 1.0, "+")  # sum rule: d(x+y)/dx = d(x+y)/dy = 1

    def __sub__(self, other):
        o = _data(other)
        return self._with(other, self.data - o, 1.0, -1.0, "-")  # d(x-y)/dx = 1, d(x-y)/dy = -1

    def __mul__(self, other):
        o = _data(other)
        return self._with(other, self.data * o, o, self.data, "*")  # product rule: d(xy)/dx = y, d(xy)/dy = x

    def __truediv__(self, other):
        o = _data(other)
        if o == 0.0:
            raise ZeroDivisionError(f"{self.data:g} / 0: division by a Value or number equal to 0")
        # quotient rule: d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2
        return self._with(other, self.data / o, 1.0 / o, -self.data / o ** 2, "/")

    __radd__, __rmul__ = __add__, __mul__  # 2 + x is x + 2, 2 * x is x * 2

    def __rsub__(self, other):  # other - self, other a number
        c = _number(other, "a number in c - x")
        return Value(c - self.data, (self,), (-1.0,), f"{c:g}-")  # d(c-x)/dx = -1

    def __rtruediv__(self, other):  # other / self, other a number
        c = _number(other, "a number in c / x")
        if self.data == 0.0:
            raise ZeroDivisionError(f"{c:g} / 0: division by a Value equal to 0")
        return Value(c / self.data, (self,), (-c / self.data ** 2,), f"{c:g}/")  # reciprocal rule: -c/x^2

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")  # d(-x)/dx = -1

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError("x ** y needs a number y (int or float), not a Value; write (y * x.log()).exp() for x > 0")
        n, x = _number(n, "the exponent in x ** n"), self.data
        if x < 0 and not n.is_integer():
            raise ValueError(f"x ** {n:g} with x = {x:g} < 0 is not a real number: a negative x needs an integer n")
        if x == 0 and n < 1 and n != 0:
            raise ValueError(f"x ** {n:g} at x = 0 is infinite or has an infinite derivative")
        try:
            return Value(x ** n, (self,), (n * x ** (n - 1) if n else 0.0,), f"**{n:g}")  # power rule: n x^(n-1)
        except OverflowError:
            raise ValueError(f"{x:g} ** {n:g} is too large for a float") from None

    def exp(self):
        if self.data > 709.78:
            raise ValueError(f"exp({self.data:g}) is too large for a float: the argument must be at most 709.78")
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")  # exponent rule: (e^x)' = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log(x) needs x > 0, got x = {self.data:g}")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")  # (log x)' = 1/x

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")  # tanh' = 1 - tanh^2

    def sigmoid(self):
        # sigma(x) = 1 / (1 + e^-x), written with exponentials <= 1 so it never overflows
        s = math.exp(min(self.data, 0.0)) / (1.0 + math.exp(-abs(self.data)))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")  # sigma' = sigma (1 - sigma)

    def relu(self):
        return Value(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu")  # 0 or 1

    # ----- reverse mode ------------------------------------------------------------
    def topological_order(self):
        """Every node of the graph ending here, each after its inputs: a depth-first search
        with a stack, not recursion, so any depth works (Python's recursion limit is ~1000)."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)  # all of its inputs are already in `order`
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((v, False) for v in node.inputs if id(v) not in seen)
        return order

    def backward_steps(self):
        """Reverse mode, yielding each node after it has passed its gradient back to its inputs.
        Every ``grad`` is reset to 0 first, so running it twice gives the same result."""
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # dC/dC = 1
        for node in reversed(order):  # each node after every node that uses it: its grad is complete
            for v, local in zip(node.inputs, node.local):
                v.grad += local * node.grad  # chain rule; += sums over the paths (generalised chain rule)
            yield node

    def backward(self):
        """Fill in ``v.grad = d(self)/dv`` for every Value ``v`` that this one was computed from."""
        for _ in self.backward_steps():
            pass


def _data(x):
    """The number inside a Value, or ``x`` itself checked as a number."""
    return x.data if isinstance(x, Value) else _number(x, "the other operand")
