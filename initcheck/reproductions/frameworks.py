"""The FW claims judged on the installed frameworks: layer defaults, relu'(0), dropout's API, batch norm's running statistics.

Each experiment measures every framework of its claim through initcheck.conformance.frameworks (a framework that is not
installed is recorded as "not installed", never skipped) and hands the measurements to a judge. The judges take plain
measurements, so the tests give them fake frameworks (the other momentum convention, keep-probability semantics,
relu'(0) = 1) and see them rejected by the same code. No framework installed: the verdict is not-checked, with the reason.

Kind: `reproduction` (needs_mnist=False). The texts' statements are rerun on the real libraries, as the MNIST
reproductions rerun their experiments; the records are free-form measurements with a verdict and a foil, which is what
that runner records. Theory values come from initcheck.theory (frameworks, conformance); counts from initcheck.sims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from initcheck.conformance import jsonable
from initcheck.conformance.adapters import NotInstalled, Sampler
from initcheck.conformance.battery import run_battery
from initcheck.conformance.frameworks import (
    DOCUMENTED,
    FW_FRAMEWORKS,
    RELU_OPERATIONS,
    BatchNormConvention,
    LayerDefault,
    batch_norm_run,
    dropout_calls,
    keras_initializers_by_activation,
    layer_defaults,
    relu_derivatives,
    version,
)
from initcheck.reproductions import ReproductionCheck
from initcheck.sims import frameworks as counts
from initcheck.sims import stats
from initcheck.theory import frameworks as theory

NOT_INSTALLED = "not installed"
DATA = "no data set: the installed frameworks' own layers and autodiff on inputs made here (ones, small integers, seeded draws)"


def measure_each(frameworks: Sequence[str], measure: Callable[[str], Any]) -> dict[str, Any]:
    """framework → measure(framework), or {"not installed": reason}."""
    found: dict[str, Any] = {}
    for name in frameworks:
        try:
            found[name] = measure(name)
        except NotInstalled as error:
            found[name] = {NOT_INSTALLED: str(error)}
    return found


def _absent(measured: Any) -> bool:
    return isinstance(measured, dict) and NOT_INSTALLED in measured


def _not_checked(summary: str, measured: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "verdict": "not-checked",
        "summary": summary + ": " + "; ".join(f"{k}: {v[NOT_INSTALLED]}" for k, v in measured.items()),
        "mismatches": [],
        "conditions": [],
        "frameworks": {name: version(name) for name in measured},
        "data": DATA,
        "foil": {"label": "none ran", "rejected": False},
    }


def _verdict(mismatches: list[str], conditions: list[str]) -> str:
    return "refuted" if mismatches else "holds-under-conditions" if conditions else "holds"


# ---------------------------------------------------------------- FW-RELU-GRAD0


def judge_relu(measured: Mapping[str, Any], *, stated: float, operations: Mapping[str, Sequence[str]] = RELU_OPERATIONS) -> dict[str, Any]:
    """relu'(0) = `stated` for every framework's own ReLU operations; other spellings recorded as conditions.

    Every variant must be ReLU away from 0 (f(±1), f'(±1) = relu's) and its f'(0) a subgradient, within the one-sided
    derivatives [0, 1] (theory.frameworks.relu_one_sided_derivatives).
    """
    left, right = (float(v) for v in theory.relu_one_sided_derivatives())
    mismatches, conditions, values = [], [], {}
    for framework, variants in measured.items():
        if _absent(variants):
            if framework in ("torch", "tensorflow"):
                conditions.append(f"{framework} (named by the seed) is not installed: not checked")
            continue
        for label, row in variants.items():
            at_zero = row["f'(0)"]
            values[f"{framework}: {label}"] = at_zero
            if (row["f(-1)"], row["f'(-1)"], row["f(0)"], row["f(1)"], row["f'(1)"]) != (0.0, 0.0, 0.0, 1.0, 1.0):
                mismatches.append(f"{framework}: {label} is not ReLU away from 0: {row}")
            elif not left <= at_zero <= right:
                mismatches.append(f"{framework}: {label} gives f'(0) = {at_zero:g}, outside the subgradients [{left:g}, {right:g}]")
            elif label in operations.get(framework, ()):
                if at_zero != stated:
                    mismatches.append(f"{framework}: {label} gives relu'(0) = {at_zero:g}, stated {stated:g}")
            elif at_zero != stated:
                conditions.append(f"ReLU written as {label} ({framework}) gets f'(0) = {at_zero:g}, not {stated:g}")
    own = {k: v for k, v in values.items() if k.split(": ", 1)[1] in operations.get(k.split(": ", 1)[0], ())}
    return {
        "mismatches": mismatches, "conditions": conditions, "operations_at_zero": own,
        "spellings_at_zero": {k: v for k, v in values.items() if k not in own}, "one_sided_derivatives": [left, right],
    }  # fmt: skip


def relu_at_zero(rng: np.random.Generator, size: str, data: Any, *, measure: Callable[[str], Any] = relu_derivatives) -> dict[str, Any]:
    """relu'(0) of each framework's ReLU operations and of the common spellings (clamp, maximum, where, mask) by its autodiff."""
    del rng, size, data  # deterministic: autodiff at three points
    measured = measure_each(("torch", "tensorflow", "jax", "keras"), measure)
    if all(_absent(m) for m in measured.values()):
        return _not_checked("no framework installed", measured)
    judged = judge_relu(measured, stated=0.0)
    foil = judge_relu(measured, stated=1.0)
    checked = [name for name, m in measured.items() if not _absent(m)]
    return {
        "verdict": _verdict(judged["mismatches"], judged["conditions"]),
        "summary": f"relu'(0) by autodiff in {', '.join(checked)}: the ReLU operations give "
        + ", ".join(sorted({f"{v:g}" for v in judged["operations_at_zero"].values()}))
        + "; other spellings: "
        + ", ".join(f"{k} {v:g}" for k, v in judged["spellings_at_zero"].items()),
        "mismatches": judged["mismatches"],
        "conditions": judged["conditions"],
        "frameworks": {name: version(name) for name in measured},
        "data": DATA,
        "ours": {"derivatives": measured, **{k: judged[k] for k in ("operations_at_zero", "spellings_at_zero", "one_sided_derivatives")}},
        "foil": {"label": "relu'(0) = 1 (the right derivative)", "rejected": bool(foil["mismatches"])},
    }


# ---------------------------------------------------------------- FW-DROPOUT-API


def judge_dropout(measured: Mapping[str, Any], *, rate: float, x: np.ndarray, keep_probability_semantics: bool = False) -> dict[str, Any]:
    """Per framework: kept fraction against 1 − rate (foil: rate), scale 1/(1 − rate), fresh masks, identity at prediction.

    `keep_probability_semantics` judges the foil statement (the rate is the probability of keeping) with the same code.
    Kept fraction and agreement: |z| ≤ Z_CRITICAL (false-failure 5.7e-7 per test); power ≥ 0.999 against the foil is
    recorded. Scale: float32 rounds 1/(1 − p) and the product once each, so kept values lie within 2⁻²² relative.
    """
    p = sp.nsimplify(str(rate))
    kept_theory = float(theory.dropout_kept_fraction(1 - p) if keep_probability_semantics else theory.dropout_kept_fraction(p))
    kept_foil = 1.0 - kept_theory
    scale = float(theory.dropout_scale(p))
    agreement = float(theory.mask_agreement(p))
    mismatches, conditions, found = [], [], {}
    drop_semantics = 0
    for framework, calls in measured.items():
        if _absent(calls):
            continue
        first, second = calls["steps"]
        kept = counts.kept_fraction(first)
        z, foil_z = stats.z_score(kept, kept_theory), stats.z_score(kept, kept_foil)
        fresh = counts.mask_agreement(first, second)
        values = counts.kept_values(first)
        row: dict[str, Any] = {
            "kept_fraction": kept.value, "standard_error": kept.standard_error, "n": kept.n, "z": z, "foil_z": foil_z,
            "foil_power_at_least_0.999": abs(kept_theory - kept_foil) >= stats.minimum_detectable_effect(kept),
            "kept_values": values.tolist(), "agreement_of_two_steps": fresh.value, "agreement_if_independent": agreement,
            "agreement_z": stats.z_score(fresh, agreement), "prediction_mode": calls["mode"],
        }  # fmt: skip
        if stats.agrees(kept, kept_theory):
            drop_semantics += 1
        else:
            mismatches.append(f"{framework}: kept fraction {kept.value:.4f} ± {kept.standard_error:.4f}, {'keep' if keep_probability_semantics else 'drop'} probability {rate} predicts {kept_theory:g}")
        if not np.all(np.abs(values / scale - 1) <= 2.0**-22):
            mismatches.append(f"{framework}: kept values {values.tolist()}, inverted dropout scales by 1/(1 − p) = {scale:.7g}")
        if not stats.agrees(fresh, agreement):
            if calls["new_key_steps"] is None:
                mismatches.append(f"{framework}: two training calls agree on {fresh.value:.4f} of the units, independent masks {agreement:.4f}")
            else:
                renewed = counts.mask_agreement(*calls["new_key_steps"])
                row["agreement_with_new_keys"] = renewed.value
                if stats.agrees(renewed, agreement):
                    conditions.append(f"{framework}: the mask is a function of the PRNG key (the same key gave {fresh.value:.4f} agreement): fresh at every step only if the loop passes a new key")
                else:
                    mismatches.append(f"{framework}: masks with new keys agree on {renewed.value:.4f}, independent {agreement:.4f}")
        if calls["predict"] is None:
            conditions.append(f"{framework}: no inference mode ({calls['mode']})")
        else:
            identity = bool(np.array_equal(calls["predict"], x))
            row["prediction_is_identity"] = identity
            if not identity:
                mismatches.append(f"{framework}: prediction-mode output differs from the input")
        found[framework] = row
    if found and drop_semantics < len(found) / 2:
        mismatches.append(f"only {drop_semantics} of {len(found)} frameworks take the probability of zeroing")
    return {"mismatches": mismatches, "conditions": conditions, "by_framework": found, "drop_semantics": drop_semantics}


def dropout_api(rng: np.random.Generator, size: str, data: Any, *, measure: Callable[..., Any] = dropout_calls) -> dict[str, Any]:
    """torch nn.Dropout, keras.layers.Dropout, flax linen Dropout, haiku.dropout at rate 0.3 on a vector of ones."""
    del data
    rate, units = 0.3, {"default": 100_000, "full": 400_000}[size]
    x = np.ones(units, np.float32)
    measured = measure_each(("torch", "tensorflow", "keras", "flax", "haiku"), lambda name: measure(name, rng, x, rate))
    if all(_absent(m) for m in measured.values()):
        return _not_checked("no framework installed", measured)
    judged = judge_dropout(measured, rate=rate, x=x)
    foil = judge_dropout(measured, rate=rate, x=x, keep_probability_semantics=True)
    rows = judged["by_framework"]
    return {
        "verdict": _verdict(judged["mismatches"], judged["conditions"]),
        "summary": f"rate {rate}, {units} units: kept fractions "
        + ", ".join(f"{k} {r['kept_fraction']:.4f}" for k, r in rows.items())
        + f" (drop semantics: 1 − p = {1 - rate:g}); two training calls agree on "
        + ", ".join(f"{k} {r['agreement_of_two_steps']:.3f}" for k, r in rows.items())
        + f" (independent masks: {float(theory.mask_agreement(sp.nsimplify(str(rate)))):.2f})",
        "mismatches": judged["mismatches"],
        "conditions": judged["conditions"],
        "frameworks": {name: version(name) for name in measured},
        "data": DATA,
        "ours": {"rate": rate, "units": units, "by_framework": rows, "not_installed": [k for k, m in measured.items() if _absent(m)]},
        "foil": {"label": "the rate is the probability of keeping (kept fraction = rate)", "rejected": bool(foil["mismatches"])},
    }


# ---------------------------------------------------------------- FW-BN-RUNNING

BATCHES = (  # small integers (exact in float32), batch size 4, 3 features; batch statistics differ from step to step
    ((1, 2, -3), (3, 6, 0), (8, 1, 2), (4, 3, 5)),
    ((0, 5, 1), (2, -1, 1), (7, 2, -4), (3, 2, 6)),
    ((5, 0, 2), (1, 4, 3), (-2, 3, 3), (6, 9, -1)),
)
PREDICT_BATCH = ((10, -4, 7), (12, -6, 9))  # far from the running statistics: its own statistics give other outputs
RTOL = 1e-5  # float32 (2⁻²⁴ ≈ 6e-8 per operation): < 30 roundings in the reductions and recursions; 1e-5 leaves > 5× margin
ATOL = 1e-6  # for outputs near 0


def _rational(rows: Sequence[Sequence[int]]) -> list[list[sp.Rational]]:
    return [[sp.Integer(v) for v in row] for row in rows]


def expected_running(convention: BatchNormConvention, parameter: float, *, swap_momentum: bool = False, swap_divisor: bool = False) -> dict[str, list[float]]:
    """The running mean and variance the documented convention gives on BATCHES (foils: α ↔ 1 − α, the other divisor)."""
    alpha = sp.nsimplify(convention.new_weight(sp.nsimplify(str(parameter))))
    exact = theory.running_statistics(
        [_rational(b) for b in BATCHES], new_weight=1 - alpha if swap_momentum else alpha,
        unbiased=convention.unbiased_running_variance != swap_divisor, initial_mean=sp.nsimplify(convention.initial[0]),
        initial_variance=sp.nsimplify(convention.initial[1]), debiased=convention.debiased,
    )  # fmt: skip
    return {key: [float(v) for v in values] for key, values in exact.items()}


def _close(measured: np.ndarray, expected: Sequence[float] | np.ndarray) -> bool:
    return bool(np.allclose(measured, np.asarray(expected, dtype=np.float64), rtol=RTOL, atol=ATOL))


def judge_batch_norm(measured: Mapping[str, Any], conventions: Mapping[str, BatchNormConvention] = DOCUMENTED) -> dict[str, Any]:
    """Per framework: running mean/var equal the documented convention's exact values; prediction uses them; training uses the batch.

    Foils per framework (each must be off by more than the tolerance): the other momentum convention, the other
    variance divisor in the running variance, prediction with the batch's own statistics, training with the unbiased variance.
    """
    mismatches, found, foils_rejected = [], {}, []
    predict = _rational(PREDICT_BATCH)
    for framework, run in measured.items():
        if _absent(run):
            continue
        convention = conventions[framework]
        expected = expected_running(convention, run["parameter"])
        epsilon = sp.nsimplify(str(run["epsilon"]))
        foils = {
            "other momentum convention": expected_running(convention, run["parameter"], swap_momentum=True),
            "other variance divisor": expected_running(convention, run["parameter"], swap_divisor=True),
        }
        outputs = {
            "prediction with the running statistics": theory.normalized(predict, mean=expected["mean"], variance=expected["variance"], epsilon=epsilon),
            "prediction with its own batch statistics (foil)": theory.batch_normalized(predict, epsilon=epsilon),
            "training with the biased batch variance": theory.batch_normalized(_rational(BATCHES[-1]), epsilon=epsilon),
            "training with the unbiased batch variance (foil)": theory.batch_normalized(_rational(BATCHES[-1]), epsilon=epsilon, unbiased=True),
        }
        numeric = {k: np.array([[float(v) for v in row] for row in rows]) for k, rows in outputs.items()}
        row = {
            "parameter": run["parameter"], "epsilon": run["epsilon"], "documented_epsilon": convention.epsilon,
            "running_mean": run["running_mean"].tolist(), "running_variance": run["running_variance"].tolist(),
            "expected_mean": expected["mean"], "expected_variance": expected["variance"],
            "foil_values": foils, "documented_by": convention.documented_by,
        }  # fmt: skip
        running_ok = _close(run["running_mean"], expected["mean"]) and _close(run["running_variance"], expected["variance"])
        predict_ok = _close(run["predict_output"], numeric["prediction with the running statistics"])
        train_ok = _close(run["train_output"], numeric["training with the biased batch variance"])
        for label, ok in (("running statistics (documented convention)", running_ok), ("prediction uses the running statistics", predict_ok),
                          ("training normalizes with the biased batch variance", train_ok)):  # fmt: skip
            if not ok:
                mismatches.append(f"{framework}: {label} not found (measured mean {row['running_mean']}, variance {row['running_variance']})")
        rejected = {
            label: not (_close(run["running_mean"], values["mean"]) and _close(run["running_variance"], values["variance"])) for label, values in foils.items()
        }
        rejected["prediction with its own batch statistics"] = not _close(run["predict_output"], numeric["prediction with its own batch statistics (foil)"])
        rejected["training with the unbiased batch variance"] = not _close(run["train_output"], numeric["training with the unbiased batch variance (foil)"])
        if run["epsilon"] != convention.epsilon:
            mismatches.append(f"{framework}: ε = {run['epsilon']:g}, documented {convention.epsilon:g}")
        row["foils_rejected"] = rejected
        foils_rejected.append(all(rejected.values()))
        found[framework] = row
    return {"mismatches": mismatches, "by_framework": found, "foils_rejected": bool(foils_rejected) and all(foils_rejected)}


def batch_norm_running(rng: np.random.Generator, size: str, data: Any, *, measure: Callable[..., Any] = batch_norm_run) -> dict[str, Any]:
    """torch BatchNorm1d, keras BatchNormalization, flax BatchNorm, haiku BatchNorm: three batches, then prediction."""
    del rng, size, data  # deterministic inputs
    batches = [np.asarray(b, np.float32) for b in BATCHES]
    measured = measure_each(("torch", "tensorflow", "keras", "flax", "haiku"), lambda name: measure(name, batches, np.asarray(PREDICT_BATCH, np.float32)))
    if all(_absent(m) for m in measured.values()):
        return _not_checked("no framework installed", measured)
    judged = judge_batch_norm(measured)
    rows = judged["by_framework"]
    return {
        "verdict": _verdict(judged["mismatches"], []),
        "summary": "after 3 batches of 4: "
        + "; ".join(f"{k} running mean[0] {r['running_mean'][0]:.6g}, var[0] {r['running_variance'][0]:.6g} (expected {r['expected_mean'][0]:.6g}, {r['expected_variance'][0]:.6g})" for k, r in rows.items())
        + "; prediction uses the running statistics in every framework checked" * (not judged["mismatches"]),
        "mismatches": judged["mismatches"],
        "conditions": [],
        "frameworks": {name: version(name) for name in measured},
        "data": DATA,
        "ours": {"batches": [list(map(list, b)) for b in BATCHES], "predict_batch": [list(r) for r in PREDICT_BATCH], "tolerance": {"rtol": RTOL, "atol": ATOL},
                 "by_framework": rows, "not_installed": [k for k, m in measured.items() if _absent(m)]},
        "foil": {"label": "the other momentum convention, the other variance divisor, prediction with batch statistics", "rejected": judged["foils_rejected"]},
    }


# ---------------------------------------------------------------- FW-DEFAULT-INIT


def _battery_summary(record: dict[str, Any]) -> dict[str, Any]:
    """What the results keep of a battery record: no timings (same inputs, same bytes)."""
    second = [{"probe": t["probe"], "expected": t["expected"], "measured": t["measured"]} for t in record["tests"] if t["statistic"] == "second moment"]
    design = {key: record["design"][key] for key in ("replicates", "battery_false_failure_rate", "power")}
    return {"rule": record["rule"], "status": record["status"], "failures": record["failures"], "second_moment_ratio": second, "design": design}


def measure_layer(layer: LayerDefault, rng: np.random.Generator, tier: str) -> dict[str, Any]:
    """The battery on the weights of the layer as a ReLU layer gets them (built with activation="relu" where the layer is
    told its activation), against its documented rule and against He's rule for ReLU; and the bias it holds."""
    contexts = ("relu",) if layer.takes_activation else (None,)
    by_context = {}
    for activation in contexts:
        sampler, seed = _reused(layer.sampler(activation)), stats_seed(rng)
        by_context[str(activation)] = {  # both batteries from one seed: the He battery judges the very draws the documented one did
            rule: _battery_summary(run_battery(np.random.default_rng(seed), sampler, spec, layout=layer.layout, tier=tier))
            for rule, spec in (("documented", layer.documented_rule), ("relu_rule", layer.relu_rule))
        }
    bias = layer.bias(rng, 64, 256)
    return {
        "label": layer.label, "documented_rule": layer.documented_rule, "documented_by": layer.documented_by, "relu_rule": layer.relu_rule,
        "takes_activation": layer.takes_activation, "by_activation": by_context,
        "bias": {"all_zero": bool(np.all(bias == 0)), "distinct_values": int(np.unique(bias).size), "max_abs": float(np.max(np.abs(bias))), "fan_in": 64},
    }  # fmt: skip


def stats_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**63))


def _reused(sampler: Sampler) -> Sampler:
    """The sampler seeded by one integer drawn from the caller's rng, its draws kept: a second battery from the same seed
    asks for the same (seed, shape, dtype) and gets the same tensor without building the layer again."""
    kept: dict[tuple[int, tuple[int, ...], str], np.ndarray] = {}

    def sample(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        key = (stats_seed(rng), shape, dtype)
        if key not in kept:
            kept[key] = sampler(np.random.default_rng(key[0]), shape, dtype)
        return kept[key]

    return sample


def judge_defaults(measured: Mapping[str, Any], keras_configs: Mapping[str, Any] | None) -> dict[str, Any]:
    """The three statements: 003 (defaults follow the activation), 000 (Keras: reasonable w and b), 002 (torch, TF: random weights;
    torch's biases random too, TensorFlow's documented zeros)."""
    mismatches, conditions, follows, documented_ok = [], [], {}, {}
    for framework, layers in measured.items():
        if _absent(layers):
            continue
        for layer in layers:
            name = f"{framework} {layer['label']}"
            relu = layer["by_activation"]["relu" if layer["takes_activation"] else "None"]
            follows[name] = relu["relu_rule"]["status"] == "pass"
            documented_ok[name] = all(c["documented"]["status"] == "pass" for c in layer["by_activation"].values())
            if not documented_ok[name]:
                mismatches.append(f"{name}: weights do not follow the documented {layer['documented_rule']}")
    if follows and sum(follows.values()) <= len(follows) / 2:
        mismatches.append(
            f"003: {sum(follows.values())} of {len(follows)} default layers follow the activation (He for ReLU): "
            + ", ".join(f"{k} stays {measured[k.split()[0]][0]['documented_rule']}" for k, v in follows.items() if not v)
        )
    keras = measured.get("keras")
    if keras is None or _absent(keras):
        conditions.append("keras is not installed: 000's 'reasonable values of w and b' not checked")
    elif not (all(documented_ok[f"keras {layer['label']}"] for layer in keras) and all(layer["bias"]["all_zero"] for layer in keras)):
        mismatches.append("000: Keras's defaults are not Glorot-uniform weights with zero biases")
    torch = measured.get("torch")
    if torch is None or _absent(torch):
        conditions.append("torch is not installed: 002's PyTorch part not checked")
    elif not all(documented_ok[f"torch {layer['label']}"] and layer["bias"]["distinct_values"] > 1 for layer in torch):
        mismatches.append("002: PyTorch's default weights or biases are not random draws of the documented law")
    tf = measured.get("tensorflow")
    if tf is None or _absent(tf):
        conditions.append("tensorflow is not installed: 002's TensorFlow part not checked (Keras 3 stands for its Keras API)")
    elif not all(documented_ok[f"tensorflow {layer['label']}"] and layer["bias"]["all_zero"] for layer in tf):
        mismatches.append("002: TensorFlow's (tf-keras) default weights are not random draws of the documented Glorot-uniform law with zero biases")
    names = None if keras_configs is None else {(c["kernel_initializer"], c["bias_initializer"]) for c in keras_configs.values()}
    return {
        "mismatches": mismatches, "conditions": conditions, "follows_activation": follows, "documented_rule_holds": documented_ok,
        "keras_initializers_change_with_activation": None if names is None else len(names) > 1,  # recorded; the battery decides 'follows'
    }  # fmt: skip


def default_init(
    rng: np.random.Generator,
    size: str,
    data: Any,
    *,
    layers: Callable[[str], list[LayerDefault]] = layer_defaults,
    configs: Callable[[], dict[str, Any]] = keras_initializers_by_activation,
) -> dict[str, Any]:
    """Each framework's default dense/conv layer through the conformance battery (quick tier; full: default tier)."""
    del data
    tier = {"default": "quick", "full": "default"}[size]
    measured = measure_each(("torch", "tensorflow", "keras", "flax", "haiku", "equinox"), lambda name: [measure_layer(layer, rng, tier) for layer in layers(name)])
    if all(_absent(m) for m in measured.values()):
        return _not_checked("no framework installed", measured)
    try:
        keras_configs: dict[str, Any] | None = configs()
    except NotInstalled:
        keras_configs = None
    judged = judge_defaults(measured, keras_configs)
    follows = judged["follows_activation"]
    return {
        "verdict": _verdict(judged["mismatches"], judged["conditions"]),
        "summary": f"battery ({tier} tier) on each default layer: "
        + "; ".join(f"{k}: {'follows' if v else 'does not follow'} He for ReLU, documented rule {'holds' if judged['documented_rule_holds'][k] else 'fails'}" for k, v in follows.items()),
        "mismatches": judged["mismatches"],
        "conditions": judged["conditions"],
        "frameworks": {name: version(name) for name in measured},
        "data": DATA,
        "ours": {"battery_tier": tier, "layers": measured, "keras_initializers_by_activation": keras_configs,
                 "keras_initializers_change_with_activation": judged["keras_initializers_change_with_activation"]},
        "foil": {"label": "the defaults follow the activation: He's rule for a ReLU layer", "rejected": bool(follows) and not any(follows.values())},
    }


def _in_own_process(experiment: Callable[..., dict[str, Any]], rng: np.random.Generator, size: str, data: Any) -> dict[str, Any]:
    return dict(jsonable(experiment(rng, size, data)))


def _in_host(experiment: Callable[..., dict[str, Any]]) -> Callable[[np.random.Generator, str, Any], dict[str, Any]]:
    """The experiment in this process's frameworks host (initcheck.hosts); its record as strict JSON (a z with SE 0, one
    mask used twice agreeing exactly, is recorded as the string "inf").

    Another process, because importing the frameworks changes the process that imports them: torch and JAX load their
    own OpenMP runtimes and thread pools (and JAX warns on any later fork), so the checks that a worker runs after a
    FW check would not run in the process the others run in. The host is started by spawn (nothing inherited but the
    environment), leaves Ctrl-C to its parent and dies with it, and is kept for the next FW check, its imports done; the
    generator travels to it whole, so the numbers are the same as in-process, whatever the host ran before."""

    def run(rng: np.random.Generator, size: str, data: Any) -> dict[str, Any]:
        from initcheck import hosts

        return hosts.call(hosts.FRAMEWORKS, _in_own_process, experiment, rng, size, data)

    return run


FW_DEFAULT_INIT = ReproductionCheck(experiment=_in_host(default_init), needs_mnist=False, hosts=True)
FW_RELU_GRAD0 = ReproductionCheck(experiment=_in_host(relu_at_zero), needs_mnist=False, hosts=True)
FW_DROPOUT_API = ReproductionCheck(experiment=_in_host(dropout_api), needs_mnist=False, hosts=True)
FW_BN_RUNNING = ReproductionCheck(experiment=_in_host(batch_norm_running), needs_mnist=False, hosts=True)
__all__ = ["FW_BN_RUNNING", "FW_DEFAULT_INIT", "FW_DROPOUT_API", "FW_FRAMEWORKS", "FW_RELU_GRAD0"]
