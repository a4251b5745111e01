"""PyTorch bridge: a model as an ``nn.Sequential`` and back. torch is imported only here, only
when these functions are called (``import nnm`` never needs it).

Layer by layer: Linear ⇄ ``nn.Linear`` (same ``[outputs, inputs]`` weight layout), ReLU ⇄
``nn.ReLU``, LeakyReLU ⇄ ``nn.LeakyReLU(negative_slope)``, Sigmoid ⇄ ``nn.Sigmoid``, Tanh ⇄
``nn.Tanh``, Softmax ⇄ ``nn.Softmax(dim=-1)`` (or ``dim=1``), Identity ⇄ ``nn.Identity``,
Standardize ⇄ :func:`standardize_module` (a small module with ``mean`` and ``scale`` buffers).
``from_torch`` also accepts nested ``nn.Sequential``, ``nn.Flatten`` (a no-op on a batch of
vectors) and ``nn.Dropout`` (a no-op at inference); both add no layer.
"""

import numpy as np

from .errors import fail
from .layers import F32, Layer
from .model import Model

__all__ = ["to_torch", "from_torch", "standardize_module", "rescale_module"]

_STANDARDIZE_CLASS = None


def _torch():
    try:
        import torch
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("the PyTorch bridge needs torch (pip install torch): %s" % error) from error
    return torch


def standardize_module(mean, scale):
    """An ``nn.Module`` computing ``(x − mean)·scale`` (NNM's Standardize layer), with ``mean``
    and ``scale`` as buffers (they are in its ``state_dict``, not trained)."""
    global _STANDARDIZE_CLASS
    torch = _torch()
    if _STANDARDIZE_CLASS is None:
        class Standardize(torch.nn.Module):
            """``y = (x − mean)·scale`` per input (NNM's Standardize layer)."""

            def __init__(self, mean, scale):
                super().__init__()
                self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).clone())
                self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32).clone())

            def forward(self, x):
                return (x - self.mean) * self.scale

            def extra_repr(self):
                return "features=%d" % self.mean.shape[0]

        _STANDARDIZE_CLASS = Standardize
    return _STANDARDIZE_CLASS(mean, scale)


_RESCALE_CLASS = None


def rescale_module(scale, shift):
    """An ``nn.Module`` computing ``x·scale + shift`` (NNM's Rescale layer, format 1.1), with
    ``scale`` and ``shift`` as buffers."""
    global _RESCALE_CLASS
    torch = _torch()
    if _RESCALE_CLASS is None:
        class Rescale(torch.nn.Module):
            """``y = x·scale + shift`` per output (NNM's Rescale layer)."""

            def __init__(self, scale, shift):
                super().__init__()
                self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32).clone())
                self.register_buffer("shift", torch.as_tensor(shift, dtype=torch.float32).clone())

            def forward(self, x):
                return x * self.scale + self.shift

            def extra_repr(self):
                return "outputs=%d" % self.scale.shape[0]

        _RESCALE_CLASS = Rescale
    return _RESCALE_CLASS(scale, shift)


def _linear_module(torch, layer):
    module = torch.nn.Linear(layer.inputs, layer.outputs)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.array(layer.tensors["weight"], dtype=np.float32)))
        module.bias.copy_(torch.from_numpy(np.array(layer.tensors["bias"], dtype=np.float32)))
    return module


# Kind name -> builder of the torch module. One more kind is one more entry.
_TO_TORCH = {
    "Linear": _linear_module,
    "ReLU": lambda torch, layer: torch.nn.ReLU(),
    "LeakyReLU": lambda torch, layer: torch.nn.LeakyReLU(negative_slope=layer.params["slope"]),
    "Sigmoid": lambda torch, layer: torch.nn.Sigmoid(),
    "Tanh": lambda torch, layer: torch.nn.Tanh(),
    "Softmax": lambda torch, layer: torch.nn.Softmax(dim=-1),
    "Identity": lambda torch, layer: torch.nn.Identity(),
    "Standardize": lambda torch, layer: standardize_module(layer.tensors["mean"], layer.tensors["scale"]),
    "Rescale": lambda torch, layer: rescale_module(layer.tensors["scale"], layer.tensors["shift"]),
}


def to_torch(model):
    """An ``nn.Sequential`` (float32, in eval mode) computing what ``model`` computes.

    Its ``state_dict`` keys are ``0.weight``, ``0.bias``, … by layer index, as for any
    ``nn.Sequential``; metadata, history and recipe are not carried (keep the ``Model``).
    """
    torch = _torch()
    modules = []
    for index, layer in enumerate(model.layers):
        build = _TO_TORCH.get(layer.kind.name)
        if build is None:
            raise ValueError("layer %d (%s) has no PyTorch equivalent in this version" % (index, layer.kind.name))
        modules.append(build(torch, layer))
    return torch.nn.Sequential(*modules).eval()


def _numpy(tensor):
    return tensor.detach().to("cpu").float().numpy().astype(F32, copy=True)


def _flatten(torch, module):
    """The leaf modules of nested Sequentials, in order."""
    if isinstance(module, torch.nn.Sequential):
        for child in module:
            yield from _flatten(torch, child)
    else:
        yield module


def _from_module(torch, module, width, index):
    """(layers for ``module``, its output width) given its input ``width`` (None: unknown)."""
    nn = torch.nn
    if isinstance(module, nn.Linear):
        if width is not None and module.in_features != width:
            fail("inconsistentModel", "module %d (Linear) takes %d inputs, the previous layer gives %d"
                 % (index, module.in_features, width))
        bias = _numpy(module.bias) if module.bias is not None else None
        return [Layer.linear(_numpy(module.weight), bias)], module.out_features
    if isinstance(module, (nn.Flatten, nn.Dropout)):
        return [], width
    if _STANDARDIZE_CLASS is not None and isinstance(module, _STANDARDIZE_CLASS):
        layer = Layer.standardize(_numpy(module.mean), _numpy(module.scale))
        return [layer], layer.outputs
    if _RESCALE_CLASS is not None and isinstance(module, _RESCALE_CLASS):
        layer = Layer.rescale(_numpy(module.scale), _numpy(module.shift))
        return [layer], layer.outputs
    simple = {nn.ReLU: Layer.relu, nn.Sigmoid: Layer.sigmoid, nn.Tanh: Layer.tanh, nn.Identity: Layer.identity}
    for cls, make in simple.items():
        if type(module) is cls:
            return [make(_need_width(width, module, index))], width
    if type(module) is nn.LeakyReLU:
        return [Layer.leaky_relu(_need_width(width, module, index), module.negative_slope)], width
    if type(module) is nn.Softmax and module.dim in (-1, 1):
        return [Layer.softmax(_need_width(width, module, index))], width
    raise ValueError("module %d (%r) has no .nnm equivalent; supported: Linear, ReLU, LeakyReLU, Sigmoid, Tanh, "
                     "Softmax(dim=-1 or 1), Identity, nnm's Standardize, and Flatten/Dropout (no-ops)" % (index, module))


def _need_width(width, module, index):
    if width is None:
        raise ValueError("module %d (%s) comes before any Linear layer: pass input_width=" % (index, type(module).__name__))
    return width


def from_torch(network, *, input_width=None, metadata=None, history=None, recipe=None):
    """A :class:`nnm.Model` from an ``nn.Sequential`` (or a list of modules) of the supported
    modules. Weights are copied as float32. ``input_width`` is needed only when the network
    starts with an activation (a Linear layer states its width). A Linear layer without bias
    gets a zero bias (it computes the same)."""
    torch = _torch()
    modules = list(_flatten(torch, network)) if isinstance(network, torch.nn.Module) else \
        [m for item in network for m in _flatten(torch, item)]
    layers, width = [], input_width
    for index, module in enumerate(modules):
        new, width = _from_module(torch, module, width, index)
        layers.extend(new)
    if not layers:
        raise ValueError("the network has no layer that .nnm can hold")
    model = Model(layers, metadata, history, recipe)
    model.check()
    return model
