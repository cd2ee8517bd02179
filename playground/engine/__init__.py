"""The NumPy engine: activations, initializers, losses, network, optimizers, gradient check.

Pure NumPy, float64, no Streamlit. Everything a notebook needs::

    from playground.engine import Network, make_optimizer
    net = Network([2, 4, 1], hidden_activation="tanh", initializer="xavier", seed=0)
    cache = net.forward(X)              # X: (n_x, m)
    grads = net.backward(cache, Y)      # Y: (n_y, m); grads.dW[l], grads.db[l]
    make_optimizer("adam").update(net, grads, learning_rate=0.01)
"""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation, sigmoid, softmax
from .gradcheck import gradient_check, overall_relative_difference, relative_difference
from .initializers import INITIALIZERS, get_initializer
from .losses import LOSS_FOR_OUTPUT, LOSSES, Loss
from .network import Cache, Gradients, Network
from .optimizers import OPTIMIZERS, Optimizer, make_optimizer
from .stats import LayerStats, first_non_finite_layer, gradient_norms, layer_stats

__all__ = [
    "ACTIVATIONS",
    "HIDDEN_ACTIVATIONS",
    "INITIALIZERS",
    "LOSSES",
    "LOSS_FOR_OUTPUT",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "Activation",
    "Cache",
    "Gradients",
    "LayerStats",
    "Loss",
    "Network",
    "Optimizer",
    "first_non_finite_layer",
    "get_initializer",
    "gradient_check",
    "gradient_norms",
    "layer_stats",
    "make_optimizer",
    "overall_relative_difference",
    "relative_difference",
    "sigmoid",
    "softmax",
]
