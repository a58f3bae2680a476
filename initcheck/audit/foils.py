"""Models with a deliberate init defect, which `initcheck audit` must flag for the right parameter and reason, and the
correct model they are made from, which it must pass (tests/test_audit.py; the 200-seed calibration in the slow tier).

The model: a residual ReLU MLP, x → inp → [x + proj(relu(fc(norm(x))))]×depth → head, whose documented init is
He for every Linear (kaiming_normal, fan_in, ReLU gain; HE-VAR), zero biases, LayerNorm 1/0, and the residual
projections scaled like GPT-2's, N(0, (RESIDUAL_STD/√(2·depth))²). The defects are the ones the issue trackers report:
- "overwritten": a later init pass (every Linear's reset_parameters, as post_init/_fast_init do) replaces the custom init;
- "left_default": one layer (the head) is never given the documented init and keeps torch's default;
- "residual_unscaled": the residual projections drawn at RESIDUAL_STD, without the 1/√(2·depth);
- "wrong_fan_axis": He computed from fan_out instead of fan_in (the weight's axes read the wrong way round).
"""

from __future__ import annotations

import math
from typing import Any, Literal

RESIDUAL_STD = 0.02
WIDTH, HIDDEN, INPUTS, OUTPUTS, DEPTH = 64, 256, 32, 10, 4
PROBE_SHAPE = (64, INPUTS)
DEFECTS = ("overwritten", "left_default", "residual_unscaled", "wrong_fan_axis")
# which parameters each defect must be flagged on (fnmatch patterns over parameter names)
FLAGGED = {
    "overwritten": ("inp.*", "head.*", "blocks.*.fc.*", "blocks.*.proj.*"),
    "left_default": ("head.weight", "head.bias"),
    "residual_unscaled": ("blocks.*.proj.weight",),
    "wrong_fan_axis": ("inp.weight", "head.weight", "blocks.*.fc.weight"),
}


def expectation(depth: int = DEPTH) -> str:
    """The documented init as an --expect spec, from the same constants the model is built with."""
    return (f"Linear.weight=kaiming_normal; Linear.bias=zeros; LayerNorm.weight=ones; LayerNorm.bias=zeros; "
            f"blocks.*.proj.weight=normal:std={RESIDUAL_STD / math.sqrt(2 * depth)!r}")  # fmt: skip


def make_model(defect: str | None = None, depth: int = DEPTH) -> Any:
    """The residual MLP with its documented init, or with `defect` (one of DEFECTS)."""
    import torch
    from torch import nn

    if defect is not None and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}; known: {', '.join(DEFECTS)}")

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(WIDTH)
            self.fc = nn.Linear(WIDTH, HIDDEN)
            self.proj = nn.Linear(HIDDEN, WIDTH)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x + self.proj(torch.relu(self.fc(self.norm(x))))

    class ResidualMLP(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inp = nn.Linear(INPUTS, WIDTH)
            self.blocks = nn.ModuleList(Block() for _ in range(depth))
            self.head = nn.Linear(WIDTH, OUTPUTS)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = torch.relu(self.inp(x))
            for block in self.blocks:
                x = block(x)
            return self.head(x)

    model = ResidualMLP()
    mode: Literal["fan_in", "fan_out"] = "fan_out" if defect == "wrong_fan_axis" else "fan_in"
    residual = RESIDUAL_STD if defect == "residual_unscaled" else RESIDUAL_STD / math.sqrt(2 * depth)
    with torch.no_grad():
        for name, module in model.named_modules():
            if not isinstance(module, nn.Linear) or (defect == "left_default" and name == "head"):
                continue
            if name.endswith("proj"):
                nn.init.normal_(module.weight, std=residual)
            else:
                nn.init.kaiming_normal_(module.weight, mode=mode, nonlinearity="relu")
            nn.init.zeros_(module.bias)
        if defect == "overwritten":
            for module in model.modules():
                if isinstance(module, nn.Linear):
                    module.reset_parameters()
    return model
