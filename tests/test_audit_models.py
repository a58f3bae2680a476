"""`initcheck audit` on real models (torch, transformers, Keras): the foil models flagged for the right parameter and
reason, the correct ones passed, the documented inits of BERT, GPT-2, ResNet and ViT confirmed, and the command line.

Skips, saying why, where a framework is not installed (`tox -e audit` installs them).
"""

import fnmatch
import importlib.util
import json
import subprocess
import sys

import pytest

from initcheck.audit import audit, foils

FOIL = "initcheck.audit.foils:make_model"


def installed(name):
    return pytest.mark.skipif(importlib.util.find_spec(name) is None, reason=f"{name} is not installed: pip install 'initcheck[audit]' or tox -e audit")


def audit_foil(defect, seed=0):
    return audit(FOIL, config={"defect": defect}, expect=foils.expectation(), input_shape=foils.PROBE_SHAPE, seed=seed)


@installed("torch")
@pytest.mark.parametrize("defect", foils.DEFECTS)
def test_each_foil_model_is_flagged_for_the_right_parameters(defect):
    record = audit_foil(defect)
    assert record["status"] == "fail"
    flagged = {f["parameter"] for f in record["findings"] if f["kind"] == "law"}
    names = [p["name"] for p in record["parameters"]]
    expected = {n for n in names if any(fnmatch.fnmatchcase(n, pattern) for pattern in foils.FLAGGED[defect])}
    assert flagged == expected
    by_name = {p["name"]: p for p in record["parameters"]}
    if defect in ("overwritten", "left_default"):  # what the tensor really follows is named: torch's nn.Linear default
        assert all("torch_linear_default" in by_name[n]["consistent_with"] for n in expected if n.endswith("weight"))
    if defect == "wrong_fan_axis":
        assert all("kaiming_normal:mode=fan_out" in by_name[n]["consistent_with"] for n in expected)
    if defect == "residual_unscaled":  # and the signal: each residual projection sends 2·depth = 8× the predicted second moment
        off = {f["parameter"] for f in record["findings"] if f["kind"].startswith("propagation")}
        assert {f"blocks.{i}.proj" for i in range(foils.DEPTH)} <= off


@installed("torch")
@pytest.mark.parametrize("seed", range(5))
def test_the_correct_model_passes_with_its_propagation(seed):
    record = audit_foil(None, seed=seed)
    assert record["status"] == "pass", record["findings"]
    layers = record["propagation"]["layers"]
    assert [layer["name"] for layer in layers][:2] == ["inp", "blocks.0.fc"]
    assert all(layer["forward"]["judged"] for layer in layers[:-1]) and not layers[-1]["forward"]["judged"]  # the head: 10 units < 16


@pytest.mark.slow
@installed("torch")
def test_the_correct_model_passes_on_200_seeds_calibration():
    flagged = [seed for seed in range(200) if audit_foil(None, seed=seed)["status"] != "pass"]
    assert flagged == []


@installed("torch")
def test_seeds_are_pooled_and_a_fixed_seed_model_is_found():
    record = audit_foil(None, seed=0)
    pooled = audit(FOIL, config={"defect": None}, expect=foils.expectation(), seeds=3)
    assert pooled["parameters"][0]["n"] == 3 * record["parameters"][0]["n"] and pooled["status"] == "pass"
    assert pooled["propagation"]["status"] == "not measured"  # no --input-shape: said, not guessed


@installed("transformers")
def test_bert_and_gpt2_follow_their_documented_init_and_the_unscaled_residual_is_a_foil():
    from initcheck.audit import audit_model
    from initcheck.audit.models import load
    from initcheck.audit.suite import SUITE

    for entry in SUITE[:2]:
        model = load(entry.target, config={**entry.config, "num_hidden_layers" if "Bert" in entry.target else "n_layer": 2})
        record = audit_model(model, expect=entry.expect(model.config))
        assert record["status"] == "pass", record["findings"][:3]
        assert record["propagation"]["status"] == "measured"
    gpt2 = load("transformers:GPT2Model", config={"n_embd": 128, "n_layer": 2, "n_head": 2})
    std = gpt2.config["initializer_range"]
    unscaled = audit_model(gpt2, expect=f"Conv1D.weight=normal:std={std!r}")  # the foil: c_proj without 1/√(2·n_layer)
    assert {f["parameter"] for f in unscaled["findings"] if f["kind"] == "law"} == {"h.0.attn.c_proj.weight", "h.0.mlp.c_proj.weight", "h.1.attn.c_proj.weight", "h.1.mlp.c_proj.weight"}


@installed("transformers")
def test_resnet_convolutions_are_he_on_fan_out_and_not_on_fan_in():
    from initcheck.audit import audit_model
    from initcheck.audit.models import load
    from initcheck.audit.suite import SUITE

    entry = SUITE[2]
    model = load(entry.target, config=entry.config)
    assert audit_model(model, expect=entry.expect(model.config))["status"] == "pass"
    wrong = audit_model(model, expect="Conv2d.weight=kaiming_normal")  # the foil: He on fan_in
    flagged = {f["parameter"] for f in wrong["findings"] if f["kind"] == "law"}
    unequal = {p["name"] for p in wrong["parameters"] if p["type"] == "Conv2d" and p["fans"][0] != p["fans"][1]}
    assert flagged == unequal and len(unequal) == 13  # every convolution but the four 3×3 ones, whose fans are equal


@installed("transformers")
def test_vit_follows_its_documented_init():
    from initcheck.audit import audit_model
    from initcheck.audit.models import load
    from initcheck.audit.suite import SUITE

    entry = SUITE[3]
    model = load(entry.target, config=entry.config)
    record = audit_model(model, expect=entry.expect(model.config))
    assert record["status"] == "pass", record["findings"][:3]


@installed("keras")
def test_a_keras_model_is_read_with_its_defaults(tmp_path):
    source = tmp_path / "small.py"
    source.write_text(
        "import keras\n"
        "def make_model():\n"
        "    return keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(32, 3), keras.layers.BatchNormalization(),"
        " keras.layers.Flatten(), keras.layers.Dense(64), keras.layers.Dense(64, kernel_initializer='he_normal', name='he')])\n"
    )
    record = audit(f"{source}:make_model", expect="Conv2D.kernel=glorot_uniform; Dense.kernel=glorot_uniform; BatchNormalization.gamma=ones")
    assert record["framework"] == "keras"
    assert [f["parameter"].rsplit("/", 2)[-2:] for f in record["findings"]] == [["he", "kernel"]]  # the he_normal layer, the foil


def run_cli(*args):
    # -P: the installed initcheck, not the checkout's initcheck/ folder (which has no theory/ inside it)
    return subprocess.run([sys.executable, "-P", "-m", "initcheck", "audit", *args], capture_output=True, text=True, timeout=600)


@installed("torch")
def test_the_command_exits_1_on_a_finding_and_writes_the_record(tmp_path):
    done = run_cli(FOIL, "--config", "defect=left_default", "--expect", foils.expectation(), "--input-shape", "64,32", "--out", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "FINDING head.weight (law)" in done.stdout
    document = json.loads((tmp_path / "audit.json").read_text())
    assert document["records"][0]["status"] == "fail"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere:make",), "cannot import 'nowhere'"),
        (("no_such_file.py:make",), "no file no_such_file.py"),
        ((FOIL, "--expect", "Linear.weight"), "SELECTOR=RULE"),
        (("--suite", "--config", "a=1"), "takes no --config"),
        ((FOIL, "--input-shape", "8,x"), "--input-shape takes positive integers"),
        (("transformers",), "MODULE:NAME"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    done = run_cli(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


CONV_NET = """
import torch
from torch import nn


def make_model(stride=2):
    net = nn.Sequential(nn.Conv2d(3, 32, 3, stride=stride, padding=1), nn.ReLU(), nn.Conv2d(32, 48, 3, padding=1, dilation=2), nn.ReLU(),
                        nn.Conv2d(48, 32, 1), nn.ReLU())
    for module in net:
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.uniform_(module.bias, -0.1, 0.1)
    return net
"""


@installed("torch")
def test_a_convolutional_net_passes_its_propagation_on_20_seeds_and_a_wrong_variance_is_flagged_there(tmp_path):
    """Strided, padded and dilated convolutions with biases: the design matrices (patches forward, transposed patches
    backward) give each layer's exact prediction and spread; the foil expectation (He on fan_out, 1/9 of the variance
    for the 3×3 layers) is flagged on those layers' weights and on their propagation."""
    source = tmp_path / "convnet.py"
    source.write_text(CONV_NET)
    target = f"{source}:make_model"
    for seed in range(20):
        record = audit(target, expect="Conv2d.weight=kaiming_normal", input_shape=(4, 3, 16, 16), seed=seed)
        assert record["status"] == "pass", (seed, record["findings"][:2])
        assert sum(layer[d]["judged"] for layer in record["propagation"]["layers"] for d in ("forward", "backward")) == 5  # not the 3-channel input's backward
    wrong = audit(target, expect="Conv2d.weight=kaiming_normal:mode=fan_out", input_shape=(4, 3, 16, 16))
    off = {(f["parameter"], f["kind"]) for f in wrong["findings"]}
    assert ("1.weight", "law") not in off  # the ReLU has no weight; layer names are the Sequential's indices
    assert {("0.weight", "law"), ("2.weight", "law"), ("2", "propagation forward")} <= off


@installed("equinox")
def test_an_equinox_mlp_has_its_documented_defaults_and_lecun_uniform_is_a_foil():
    record = audit("equinox.nn:MLP", config={"in_size": 64, "out_size": 10, "width_size": 128, "depth": 2}, expect="Linear.weight=default; Linear.bias=default")
    assert record["framework"] == "equinox" and record["status"] == "pass", record["findings"][:2]
    assert [p["expected"] for p in record["parameters"]][:2] == ["torch_linear_default", "uniform:a=0.125"]  # bias bound 1/√64
    wrong = audit("equinox.nn:MLP", config={"in_size": 64, "out_size": 10, "width_size": 128, "depth": 2}, expect="Linear.weight=lecun_uniform")
    assert {f["parameter"] for f in wrong["findings"]} == {f"layers.{i}.weight" for i in range(3)}  # 3× the variance


@installed("torch")
def test_the_design_matrices_match_an_independent_construction():
    """S, tr M², Σ Mᵢᵢ² and the bias term from the identity-basis convolutions equal those of D built another way:
    torch's unfold forward, and autograd's Jacobian of the gradient sent to one input channel with respect to W[:, c]
    backward (stride 2, padding 1, dilation 2); and S equals the direct sums, conv(x², 1) forward and the transposed
    convolution of (∂C/∂y)² with ones backward."""
    import torch
    from torch.nn import functional, grad

    from initcheck.audit.torch_models import _design, _unit_statistics

    torch.manual_seed(1)
    layer = torch.nn.Conv2d(17, 16, 3, stride=2, padding=1, dilation=2).double()
    x = torch.randn(2, 17, 9, 9, dtype=torch.float64)
    y = layer(x)
    g = torch.randn_like(y)
    stats = _unit_statistics({"module": layer, "input": x, "output": y.detach(), "grad": g})
    patches = functional.unfold(x, 3, dilation=2, padding=1, stride=2).transpose(1, 2).reshape(-1, 17 * 9)
    expected = _design(patches, layer.bias.detach())
    for key in ("S", "trace_square", "diagonal_square", "bias_cross"):
        assert stats["forward"][key] == pytest.approx(expected[key], rel=1e-10), key

    def sent_to_channel_0(column):  # the gradient input channel 0 receives, as a function of W[:, 0]
        weight = layer.weight.detach().clone()
        weight = torch.cat([column.reshape(16, 1, 3, 3), weight[:, 1:]], dim=1)
        return grad.conv2d_input(tuple(x.shape), weight, g, stride=2, padding=1, dilation=2)[:, 0].reshape(-1)

    jacobian = torch.autograd.functional.jacobian(sent_to_channel_0, layer.weight.detach()[:, 0].reshape(-1).clone())
    expected = _design(jacobian, None)
    for key in ("S", "trace_square", "diagonal_square"):
        assert stats["backward"][key] == pytest.approx(expected[key], rel=1e-10), key
    options = {"stride": 2, "padding": 1, "dilation": 2}
    assert stats["forward"]["S"] == pytest.approx(float(functional.conv2d(x**2, torch.ones(1, 17, 3, 3, dtype=torch.float64), **options).mean()), rel=1e-12)
    reach = grad.conv2d_input((2, 1, 9, 9), torch.ones(16, 1, 3, 3, dtype=torch.float64), g**2, **options)
    assert stats["backward"]["S"] == pytest.approx(float(reach.mean()), rel=1e-12)


TRICKY = """
import torch
from torch import nn


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(64, 32)
        self.head = nn.Linear(32, 64, bias=False)
        self.head.weight = self.embed.weight  # tied, as GPT-2's LM head


def inplace():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(inplace=True), nn.Linear(128, 64))


def frozen():
    net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64))
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def circular():
    return nn.Sequential(nn.Conv2d(32, 64, 3, padding=1, padding_mode="circular"), nn.ReLU(), nn.Conv2d(64, 32, 3, padding="same"))


def one_layer():
    return nn.Linear(64, 128)


def tied():
    return Tied()


def empty():
    net = nn.Sequential(nn.Linear(64, 64))
    net.register_parameter("nothing", nn.Parameter(torch.empty(0)))
    return net
"""


@pytest.fixture
def tricky(tmp_path):
    source = tmp_path / "tricky.py"
    source.write_text(TRICKY)
    return str(source)


@installed("torch")
@pytest.mark.parametrize("builder", ["inplace", "frozen", "circular", "one_layer"])
def test_torch_defaults_pass_through_in_place_ops_frozen_weights_circular_padding_and_a_bare_layer(tricky, builder):
    """torch's own defaults, expected as such, on models whose shape once broke the audit: an in-place ReLU after a layer
    (its output was read after the ReLU), a frozen model (no backward: forward still judged), circular padding (patches
    padded as the layer pads), a model that is one Linear (its parameters are named without a module prefix)."""
    shape, layer = ((8, 32, 8, 8), "Conv2d") if builder == "circular" else ((64, 64), "Linear")
    record = audit(f"{tricky}:{builder}", expect=f"{layer}.weight=default; {layer}.bias=default", input_shape=shape)
    assert record["status"] == "pass", record["findings"][:2]
    layers = record["propagation"]["layers"]
    assert layers and all(layer["forward"].get("judged") for layer in layers)
    if builder == "frozen":
        assert all(layer["backward"]["status"] == "not measured" for layer in layers)
    if builder == "circular":
        assert "padding_mode='circular'" in layers[0]["backward"]["reason"] and "padding='same'" in layers[1]["backward"]["reason"]


@installed("torch")
def test_tied_and_empty_parameters_are_read_without_a_crash(tricky):
    tied = audit(f"{tricky}:tied", seeds=2)
    assert [p["name"] for p in tied["parameters"]] == ["embed.weight", "head.weight"]  # listed under each module that holds it
    empty = audit(f"{tricky}:empty")
    assert [p["name"] for p in empty["parameters"]] == ["0.weight", "0.bias"]


@installed("torch")
def test_an_expectation_that_cannot_be_judged_is_said_and_one_that_needs_fans_is_refused(tricky):
    few = audit(f"{tricky}:one_layer", config={}, expect="Linear.bias=zeros; Linear.weight=default")
    assert few["status"] == "fail"  # zeros on a uniform bias: a finding
    with pytest.raises(Exception, match="needs fans and bias"):
        audit(f"{tricky}:one_layer", expect="Linear.bias=he_normal")
    small = audit("initcheck.audit.foils:make_model", expect=foils.expectation() + "; head.bias=normal:std=0.1")
    assert [u["parameter"] for u in small["unjudged"]] == ["head.bias"]  # 10 values: listed, not passed in silence


@installed("torch")
def test_the_same_seed_gives_the_same_model_in_a_fresh_process():
    """The foil model imports torch inside its builder: the first build (which tells the framework) ran before torch was
    imported, so before it could be seeded, and two fresh processes audited different weights. Now they agree."""
    runs = [json.loads(run_cli(FOIL, "--json").stdout)["records"][0]["parameters"][0]["summary"] for _ in range(2)]
    assert runs[0] == runs[1]
