"""The errors Backprop Lab raises on purpose."""
from __future__ import annotations


class TrainingDiverged(RuntimeError):
    """Training stopped because the cost became non-finite or exploded.

    Attributes
    ----------
    iteration : int
        The iteration (counting from 1) at which divergence was detected.
    learning_rate : float
        The learning rate that was in use.
    cost : float
        The cost seen at that moment (``nan`` or ``inf`` when it was not finite).
    """

    def __init__(self, iteration: int, learning_rate: float, cost: float):
        self.iteration = int(iteration)
        self.learning_rate = float(learning_rate)
        self.cost = float(cost)
        super().__init__(
            f"diverged at iteration {self.iteration} with learning rate "
            f"{self.learning_rate:g}: try a smaller one"
        )
