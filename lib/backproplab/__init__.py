"""Backprop Lab's helper library: backpropagation as Higham & Higham's Lemma 1.

The modules, each short enough to read in one sitting:

* :mod:`~backproplab.activations` and :mod:`~backproplab.costs`: sigma, sigma', C, dC/da;
* :mod:`~backproplab.lemma`: the four equations (22) to (25);
* :mod:`~backproplab.network`: the forward pass and the backward pass built from them;
* :mod:`~backproplab.layers`: per-layer values indexed by the notes' layer numbers 1..L;
* :mod:`~backproplab.training`: stochastic gradient descent;
* :mod:`~backproplab.steps`: one step of it, as the lemma reads and in fewer numpy calls;
* :mod:`~backproplab.regularisation` and :mod:`~backproplab.early_stopping`: weight decay,
  dropout and early stopping, the options of ``train``;
* :mod:`~backproplab.budget`: how much work a training run may ask for;
* :mod:`~backproplab.gradcheck`: central finite differences;
* :mod:`~backproplab.data`: the Higham data set, handwritten digits and generated sets;
* :mod:`~backproplab.split`: training, validation and test sets;
* :mod:`~backproplab.autodiff` and :mod:`~backproplab.graphs`: reverse-mode automatic differentiation (notebook 06);
* :mod:`~backproplab.generalisation` and :mod:`~backproplab.plots_generalisation`: the generalisation explorer's model and plots (notebook 07);
* :mod:`~backproplab.plots`, :mod:`~backproplab.checks`, :mod:`~backproplab.widgets`: for
  the notebooks.
"""
from .activations import ACTIVATIONS, Activation, get_activation
from .costs import COSTS, Cost, get_cost
from .data import load_dataset, load_full_run, make_dataset
from .errors import TrainingDiverged
from .gradcheck import gradient_check, numerical_gradients, relative_error
from .layers import ByLayer
from .lemma import bias_gradient, hidden_delta, output_delta, weight_gradient
from .network import Network, Trace
from .regularisation import dropout_mask, l2_penalty
from .split import train_validation_test_split
from .training import History

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation", "COSTS", "Cost", "get_cost",
    "load_dataset", "load_full_run", "make_dataset", "train_validation_test_split", "TrainingDiverged",
    "gradient_check", "numerical_gradients", "relative_error",
    "bias_gradient", "hidden_delta", "output_delta", "weight_gradient",
    "Network", "Trace", "History", "ByLayer", "dropout_mask", "l2_penalty",
]
__version__ = "0.1.0"
