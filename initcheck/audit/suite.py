"""The real models the report audits (`initcheck audit --suite`), each with the initialization its code documents.

Each expectation is read from the config the model was built with (initializer_range, n_layer), never retyped:
- transformers BERT, ViT (PreTrainedModel._init_weights, modeling_utils.py): Linear, Conv2d and Embedding weights
  N(0, initializer_range²), biases 0, LayerNorm 1 and 0; ViT's cls token and position embeddings
  trunc_normal_(std=initializer_range) cut at ±2 (absolute: 100 sd at 0.02, so a normal to within 10⁻⁸⁷⁰).
- transformers GPT-2 (modeling_gpt2.py): Conv1D weights N(0, initializer_range²), the residual projections c_proj
  N(0, (initializer_range/√(2·n_layer))²) (the GPT-2 paper's scaling), biases 0, LayerNorm 1 and 0.
- transformers ResNet (modeling_resnet.py): Conv2d kaiming_normal_(mode="fan_out", nonlinearity="relu"), BatchNorm 1, 0.
- Equinox MLP (equinox/nn/_linear.py): every Linear weight and bias U(±1/√in_features), torch's rule.
- Keras ResNet50 (weights=None): Keras's defaults, glorot_uniform kernels, zero biases, BatchNormalization γ = 1, β = 0,
  moving mean 0 and variance 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class SuiteModel:
    target: str
    config: dict[str, Any]
    expect: Callable[[dict[str, Any]], str]  # from the config the model was built with
    package: str
    documented: str


def _bert_like(config: dict[str, Any]) -> str:
    std = config["initializer_range"]
    return f"Linear.weight=normal:std={std!r}; Linear.bias=zeros; Embedding.weight=normal:std={std!r}; LayerNorm.weight=ones; LayerNorm.bias=zeros"


def _vit(config: dict[str, Any]) -> str:
    std = config["initializer_range"]
    return (f"Linear.weight=normal:std={std!r}; Linear.bias=zeros; LayerNorm.weight=ones; LayerNorm.bias=zeros; Conv2d.weight=normal:std={std!r}; Conv2d.bias=zeros; embeddings.cls_token=normal:std={std!r}; embeddings.position_embeddings=normal:std={std!r}")


def _gpt2(config: dict[str, Any]) -> str:
    std = config["initializer_range"]
    residual = std / math.sqrt(2 * config["n_layer"])
    return (f"Conv1D.weight=normal:std={std!r}; Conv1D.bias=zeros; Embedding.weight=normal:std={std!r}; LayerNorm.weight=ones; LayerNorm.bias=zeros; "
            f"*.c_proj.weight=normal:std={residual!r}")  # fmt: skip


def _resnet(config: dict[str, Any]) -> str:
    return "Conv2d.weight=kaiming_normal:mode=fan_out; BatchNorm2d.weight=ones; BatchNorm2d.bias=zeros"


def _equinox_mlp(config: dict[str, Any]) -> str:
    return "Linear.weight=default; Linear.bias=default"


def _keras_resnet(config: dict[str, Any]) -> str:
    return ("Conv2D.kernel=glorot_uniform; Conv2D.bias=zeros; Dense.kernel=glorot_uniform; Dense.bias=zeros; BatchNormalization.gamma=ones; "
            "BatchNormalization.beta=zeros; BatchNormalization.moving_mean=zeros; BatchNormalization.moving_variance=ones")  # fmt: skip


SUITE = (
    SuiteModel(target="transformers:BertModel", package="transformers", expect=_bert_like,
               config={"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 1024},
               documented="normal(initializer_range) for Linear and Embedding, zero biases, LayerNorm 1/0"),
    SuiteModel(target="transformers:GPT2Model", package="transformers", expect=_gpt2, config={"n_embd": 256, "n_layer": 4, "n_head": 4},
               documented="normal(initializer_range), residual projections c_proj scaled by 1/√(2·n_layer)"),
    SuiteModel(target="transformers:ResNetModel", package="transformers", expect=_resnet,
               config={"embedding_size": 32, "hidden_sizes": [64, 128, 256, 512], "depths": [1, 1, 1, 1]},
               documented="kaiming_normal fan_out (ReLU gain) for convolutions, BatchNorm 1/0"),
    SuiteModel(target="transformers:ViTModel", package="transformers", expect=_vit,
               config={"hidden_size": 192, "num_hidden_layers": 4, "num_attention_heads": 3, "intermediate_size": 768, "image_size": 32, "patch_size": 8},
               documented="normal(initializer_range) for Linear and the patch Conv2d, truncated normal for the cls token and positions"),
    SuiteModel(target="equinox.nn:MLP", package="equinox", expect=_equinox_mlp, config={"in_size": 64, "out_size": 10, "width_size": 256, "depth": 3},
               documented="Equinox's defaults: Linear weight and bias U(±1/√fan_in)"),
    SuiteModel(target="keras.applications:ResNet50", package="keras", expect=_keras_resnet, config={},
               documented="Keras defaults: glorot_uniform kernels, zero biases, BatchNormalization 1/0 and moving 0/1"),
)  # fmt: skip
