"""A torch model's parameters as the audit reads them, and its signal at init through hooks.

Layer kinds (how torch.nn.init and the layer's own reset_parameters read a weight):
- nn.Linear and nn.Conv{1,2,3}d: weight (out, in/groups, *kernel), layout "torch"; default kaiming_uniform_(a=√5),
  i.e. U(±1/√fan_in), and a bias U(±1/√fan_in) with the weight's fan_in (torch/nn/modules/linear.py, conv.py).
- nn.ConvTranspose{1,2,3}d: weight (in, out/groups, *kernel); torch's init reads it as (out, in, …), and so do we
  (layout "torch"), so a rule's fans here are the ones torch.nn.init would use.
- nn.Embedding: (num, dim), default N(0, 1).
- nn.MultiheadAttention: in_proj_weight xavier_uniform_, in_proj_bias 0 (torch/nn/modules/activation.py).
- transformers' Conv1D (GPT-2): weight (in, out), used as x @ W: layout "keras"; its own default N(0, 0.02²), bias 0.
- a class whose name contains "Norm" (LayerNorm, BatchNorm, GroupNorm, RMSNorm): weight 1, bias 0.
Anything else is judged without fans (constants and a fitted normal only).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from initcheck.audit.judge import Parameter
from initcheck.conformance.layouts import Fans, fans

DENSE = ("Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")


def dense_default(weight_shape: tuple[int, ...], attribute: str) -> tuple[str | None, Fans | None, str | None]:
    """torch's rule for a dense or convolutional layer (out, in/groups, *kernel), also Equinox's: the weight
    kaiming_uniform_(a=√5) = U(±1/√fan_in) with its fans, the bias U(±1/√fan_in) with the weight's fan_in."""
    weight_fans = fans(weight_shape, "torch")
    if attribute == "weight":
        return "torch", weight_fans, "torch_linear_default"
    return None, None, f"uniform:a={1 / math.sqrt(weight_fans.fan_in)!r}"


def _kind(module: Any, attribute: str, shape: tuple[int, ...]) -> tuple[str | None, Fans | None, str | None]:
    """(layout, fans, default spec) of one parameter of one module."""
    import torch.nn as nn

    kind = type(module).__name__
    if isinstance(module, (nn.Linear, nn.modules.conv._ConvNd)) and len(module.weight.shape) >= 2 and module.weight.numel() > 0:
        return dense_default(tuple(module.weight.shape), attribute)
    if isinstance(module, nn.Embedding) and attribute == "weight":
        return "torch", fans(shape, "torch"), "normal:std=1"
    if isinstance(module, nn.MultiheadAttention):
        if attribute.endswith("_weight") and len(shape) == 2:
            return "torch", fans(shape, "torch"), "glorot_uniform"
        return None, None, "zeros"
    if kind == "Conv1D" and hasattr(module, "nf"):  # transformers.pytorch_utils.Conv1D: x @ W with W (in, out)
        if attribute == "weight":
            return "keras", fans(shape, "keras"), "normal:std=0.02"
        return None, None, "zeros"
    if "Norm" in kind:
        return None, None, "ones" if attribute == "weight" else "zeros"
    if len(shape) >= 2:
        return "torch", fans(shape, "torch"), None
    return None, None, None


def parameters(build: Callable[[int], Any], seeds: tuple[int, ...]) -> tuple[list[Parameter], Any]:
    """Every non-empty parameter of the model `build(seed)` returns, its values stacked over the seeds; and the first
    model. A parameter tied to two modules (a shared embedding and head) is listed under each."""
    models = [build(seed) for seed in seeds]
    first = models[0]
    by_name = [dict(m.named_parameters(remove_duplicate=False)) for m in models]
    out = []
    for module_name, module in first.named_modules(remove_duplicate=False):
        for attribute, tensor in module.named_parameters(recurse=False):
            if tensor.numel() == 0:
                continue
            name = f"{module_name}.{attribute}" if module_name else attribute
            stacked = np.stack([_values(named[name]) for named in by_name])
            layout, parameter_fans, default = _kind(module, attribute, tuple(tensor.shape))
            out.append(Parameter(name=name, module_type=type(module).__name__, attribute=attribute, values=stacked, layout=layout,
                                 fans=parameter_fans, default=default, dtype=str(tensor.dtype).removeprefix("torch.")))  # fmt: skip
    return out, first


def _values(tensor: Any) -> np.ndarray:
    return tensor.detach().to("cpu").float().numpy().astype(np.float64)


def propagating_layers(model: Any) -> list[tuple[str, Any]]:
    """The dense and convolutional layers (groups = 1, not transposed) whose signal the audit follows, in call order."""
    import torch.nn as nn

    chosen = []
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear) or (isinstance(module, nn.modules.conv._ConvNd) and not module.transposed and module.groups == 1):
            chosen.append((name, module))
        elif type(module).__name__ == "Conv1D" and hasattr(module, "nf"):
            chosen.append((name, module))
    return chosen


def record_signal(model: Any, run: Callable[[Any], Any], rng: np.random.Generator) -> dict[str, dict[str, Any]]:
    """Run `run(model)` (a probe batch) with hooks, then backpropagate C = Σ r·y for a fixed N(0, 1) r drawn from `rng`
    (so ∂C/∂y at the output is r, independent of the weights); no backward pass when the output needs no gradient (a
    frozen model). Per layer, in call order, the per-unit statistics `initcheck.sims.audit.quadratic_form_test` needs
    (`_unit_statistics`), or the reason they could not be had. Inputs and outputs are copied at the hook: a later
    in-place operation (ReLU(inplace=True)) must not change what was measured."""
    import torch

    layers = propagating_layers(model)
    stored: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    handles = []

    def hook(name: str, module: Any) -> Callable:
        def forward(_module: Any, inputs: tuple, output: Any) -> None:
            if name in stored:
                return  # a layer called twice (shared weights) is measured at its first call
            order.append(name)
            if not inputs or not isinstance(inputs[0], torch.Tensor) or not isinstance(output, torch.Tensor):
                stored[name] = {"module": module, "reason": "called without a tensor input or output"}
                return
            stored[name] = {"module": module, "input": inputs[0].detach().clone(), "output": output.detach().clone()}
            if output.requires_grad:
                output.register_hook(lambda grad: stored[name].__setitem__("grad", grad.detach().clone()))

        return forward

    for name, module in layers:
        handles.append(module.register_forward_hook(hook(name, module)))
    try:
        model.eval()
        output = run(model)
        tensor = output if isinstance(output, torch.Tensor) else _first_tensor(output)
        if tensor.requires_grad:
            direction = torch.from_numpy(rng.standard_normal(tuple(tensor.shape))).to(tensor.dtype)
            torch.sum(tensor * direction).backward()
    finally:
        for handle in handles:
            handle.remove()
    return {name: _measured(stored[name]) for name in order}


def _measured(entry: dict[str, Any]) -> dict[str, Any]:
    """`_unit_statistics`, or the reason a layer could not be measured (recorded, never a crash of the whole audit)."""
    kind = type(entry["module"]).__name__
    if "reason" in entry:
        return {"type": kind, "reason": entry["reason"]}
    try:
        return _unit_statistics(entry)
    except Exception as error:  # an unbatched input, an exotic layer: this layer is not measured, the others are
        return {"type": kind, "reason": f"{type(error).__name__}: {error}"}


def _first_tensor(output: Any) -> Any:
    """The first tensor of a model output (transformers' last_hidden_state, a tuple's first item)."""
    import torch

    if hasattr(output, "last_hidden_state"):
        return output.last_hidden_state
    for item in output.values() if isinstance(output, dict) else output:
        if isinstance(item, torch.Tensor):
            return item
    raise TypeError("the model's output has no tensor")


MAX_DESIGN_VALUES = 60_000_000  # a design matrix (positions × fan) larger than this is not formed: the layer is measured, not judged
MIN_UNITS = 16  # a direction with fewer units is measured, not judged (nor its design matrix formed)


def _unit_statistics(entry: dict[str, Any]) -> dict[str, Any]:
    """Per direction, the per-unit mean squares and the design matrix D (positions × fan) whose rows each unit's weight
    vector w meets: forward, unit j's output at position t is D[t]·w_j + b_j (D = the input, or its patches); backward,
    the gradient input unit i receives at t is D[t]·w_i (D = the gradient at the output, or its transposed patches). The
    units are i.i.d. given D, each a quadratic form wᵀMw with M = DᵀD/T (`_design` summarises M)."""
    import torch
    import torch.nn.functional as functional
    from torch.nn import grad as conv_grad

    module, x, y = entry["module"], entry["input"].double(), entry["output"].double()
    grad = entry.get("grad")
    weight = module.weight.detach().double()
    bias = None if module.bias is None else module.bias.detach().double()
    out: dict[str, Any] = {"type": type(module).__name__, "weight_shape": tuple(weight.shape)}
    with torch.no_grad():
        out["output_second_moment"] = float(y.pow(2).mean())
        out["input_second_moment"] = float(x.pow(2).mean())
        if type(module).__name__ == "Conv1D" or isinstance(module, torch.nn.Linear):
            flat_y = y.reshape(-1, y.shape[-1])
            out["forward_units"] = _minus_bias(flat_y.pow(2).mean(0), bias)
            out["forward"] = _design(x.reshape(-1, x.shape[-1]), bias)
            if grad is not None:
                g = grad.double().reshape(-1, grad.shape[-1])
                sent = g @ weight.T if type(module).__name__ == "Conv1D" else g @ weight  # Conv1D: y = x W, W (in, out)
                out["backward_units"] = sent.pow(2).mean(0).numpy()
                out["backward"] = _design(g, None)
            return out
        dims = x.dim() - 2
        conv = {1: functional.conv1d, 2: functional.conv2d, 3: functional.conv3d}[dims]
        conv_input = {1: conv_grad.conv1d_input, 2: conv_grad.conv2d_input, 3: conv_grad.conv3d_input}[dims]
        options = {"stride": module.stride, "padding": module.padding, "dilation": module.dilation}
        no_backward = ""
        if module.padding_mode != "zeros":  # circular, reflect, replicate: pad as the layer does, then convolve unpadded
            x = functional.pad(x, module._reversed_padding_repeated_twice, mode=module.padding_mode)
            options["padding"] = 0
            no_backward = f"padding_mode={module.padding_mode!r}: the gradient through the padding is not a transposed convolution"
        elif isinstance(module.padding, str):
            no_backward = f"padding={module.padding!r} given as a word: backward not measured"
        kernel = tuple(weight.shape[2:])
        receptive = math.prod(kernel)
        axes = tuple(range(2, y.dim()))
        out["forward_units"] = _minus_bias(y.pow(2).mean(dim=(0, *axes)), bias)
        fan_in = weight.shape[1] * receptive
        # S directly (the squared patch norm: x² convolved with ones); the design matrix only where the layer is judged
        direct = {"S": float(conv(x.pow(2), torch.ones((1, *weight.shape[1:]), dtype=torch.float64), **options).mean())}
        if weight.shape[0] < MIN_UNITS:
            out["forward"] = {**direct, "reason": f"{weight.shape[0]} units (< {MIN_UNITS}): measured, not judged"}
        elif x.shape[0] * fan_in * math.prod(y.shape[2:]) <= MAX_DESIGN_VALUES:
            basis = torch.eye(fan_in, dtype=torch.float64).reshape(fan_in, weight.shape[1], *kernel)  # basis[c·K + o] = e at (c, o)
            patches = conv(x, basis, **options)  # (B, fan_in, *out): each output position's receptive field
            out["forward"] = _design(patches.movedim(1, -1).reshape(-1, fan_in), bias)
        else:
            out["forward"] = {**direct, "reason": f"design matrix of {x.shape[0] * fan_in * math.prod(y.shape[2:]):,} values not formed: measured, not judged"}
        if no_backward:
            out["backward_reason"] = no_backward
        elif grad is not None:
            g = grad.double()
            sent = conv_input(tuple(x.shape), weight, g, **options)
            out["backward_units"] = sent.pow(2).mean(dim=(0, *axes)).numpy()
            fan = weight.shape[0] * receptive
            reach = conv_input((x.shape[0], 1, *x.shape[2:]), torch.ones((weight.shape[0], 1, *kernel), dtype=torch.float64), g.pow(2), **options)
            direct = {"S": float(reach.mean())}  # Σ (∂C/∂y)² over what each input position feeds
            if weight.shape[1] < MIN_UNITS:
                out["backward"] = {**direct, "reason": f"{weight.shape[1]} units (< {MIN_UNITS}): measured, not judged"}
            elif x.shape[0] * fan * math.prod(x.shape[2:]) <= MAX_DESIGN_VALUES:
                # basis[j, j·K + o, o] = 1: the transposed convolution of g with each basis kernel is one column of D
                basis = torch.eye(fan, dtype=torch.float64).reshape(fan, weight.shape[0], *kernel).transpose(0, 1)
                columns = conv_input((x.shape[0], fan, *x.shape[2:]), basis.contiguous(), g, **options)
                out["backward"] = _design(columns.movedim(1, -1).reshape(-1, fan), None)
            else:
                out["backward"] = {**direct, "reason": f"design matrix of {x.shape[0] * fan * math.prod(x.shape[2:]):,} values not formed: measured, not judged"}
    return out


def _design(design: Any, bias: Any) -> dict[str, Any]:
    """For M = DᵀD/T: S = tr M (the mean squared norm of a row), tr M², Σ Mᵢᵢ², and the bias term Σⱼ 4bⱼ²·|mean row|²."""
    rows = design.shape[0]
    gram = design @ design.T if rows < design.shape[1] else design.T @ design
    mean_row = design.mean(0)
    return {
        "S": float(design.pow(2).sum(1).mean()), "trace_square": float(gram.pow(2).sum()) / rows**2,
        "diagonal_square": float(design.pow(2).mean(0).pow(2).sum()),
        "bias_cross": 0.0 if bias is None else float(4 * bias.pow(2).sum() * mean_row.pow(2).sum()),
    }  # fmt: skip


def _minus_bias(unit_means: Any, bias: Any) -> np.ndarray:
    """Per unit, mean y² − b²: E over the weights of that is Var(w)·S whatever the bias (the cross term has mean 0)."""
    values = unit_means if bias is None else unit_means - bias.pow(2)
    return values.numpy().astype(np.float64)
