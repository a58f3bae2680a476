"""The seeds' own code on the frameworks they name (issue 12, item 6), beside the NumPy re-implementations.

VAR-KROHN-SATURATION: Krohn's listings 9.1-9.2 (source 000, ch. 9) as written, `Sequential()` with
`Dense(256, input_dim=784, kernel_initializer=w_init, bias_initializer=Zeros())` and `Activation('sigmoid')`, w_init
RandomNormal(stddev=1.0), glorot_normal, glorot_uniform, one input x ~ U[0,1)^784 per model (`np.random.random((1, 784))`
in the listing; here drawn from the check's generator, the same inputs and Keras seeds on every backend). Each model is
built anew (its own weight draw) and called on its input; the listing's `predict` runs the same layers (a direct call
avoids a JAX compilation per model). Keras fixes its backend at import, so every installed backend (jax, numpy, torch,
tensorflow) runs in a spawned process of its own (initcheck.hosts), and Keras 2 (tf-keras over TensorFlow) in the
tensorflow one, the Keras the book ran the listing on, where `input_dim` is the layer's own argument. Judged against initcheck.theory.saturation:
E[z²] = Var(w)·784·E[x²] of the Dense outputs and the certified saturated fraction P(|z| > ln 99) of the sigmoid
outputs, by the project's rule |estimate − theory| ≤ 5·SE over independent models (false failure 5.7e-7 per test);
where the expected count of saturated outputs is below 100 (Glorot: ~1e-10 per output), a CLT does not hold and the
count is judged by its exact Poisson tails at the same rate. Foil: the listing without stddev=1.0, Keras's default
RandomNormal() (stddev 0.05), judged by the same code against the N(0,1) values, must be rejected on every backend.

SYM-RELU-STALL: source 002's single-layer ReLU perceptron trained by torch autograd and torch.optim.SGD: from zero on the
article's sample x = (0.5, 2, 1), y* = 42, and from w = (0.6, −0.3, 0.2) there; and from zero on a data set drawn from
the check's generator. Stated: every gradient exactly 0 at every step, the weights unchanged. Foils, trained by the same
code, must learn (weights move, loss falls): ReLU written torch.clamp(z, min=0) (derivative 1 at 0, FW-RELU-GRAD0), and a
small random init (torch.Generator seeded from the check's generator).

No framework installed: the record is not-checked (the claim's other checks decide its verdict), never a failure.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import stats as scipy_stats

from initcheck.conformance import jsonable
from initcheck.reproductions import ReproductionCheck
from initcheck.reproductions.frameworks import NOT_INSTALLED, _not_checked
from initcheck.sims import stats
from initcheck.theory import saturation as theory

TF_KERAS = "tf-keras"  # Keras 2 (tf.keras before TensorFlow 2.16), the Keras Krohn's listings ran on
KERAS_BACKENDS = ("jax", "numpy", "torch", "tensorflow", TF_KERAS)  # Keras 3's four backends (initcheck.conformance.KERAS_BACKENDS) and Keras 2
MODELS = {"default": 64, "full": 256}  # Keras models per initializer and backend (JAX: ~0.1 s each to build and call)
SETTINGS = {  # label → (Keras initializer as the listing names it, the theory init whose values it must give)
    "normal": ("RandomNormal(stddev=1.0)", "normal"),
    "glorot_normal": ("glorot_normal", "glorot_normal"),
    "glorot_uniform": ("glorot_uniform", "glorot_uniform"),
    "foil": ("RandomNormal() (Keras's default stddev 0.05)", "normal"),
}
CLT_COUNT = 100  # below this expected count of saturated outputs the count is judged by its exact Poisson tails
DATA = "no data set: inputs U[0,1) as in the listing, drawn from the check's generator"


# ---------------------------------------------------------------- VAR-KROHN-SATURATION: Keras's own layer


def keras_krohn_layers(seeds: Mapping[str, list[int]], inputs: Mapping[str, np.ndarray], package: str = "keras") -> dict[str, Any]:
    """In a process whose KERAS_BACKEND is set: per setting, the Dense outputs z and sigmoid outputs a of one listing-9.2
    model per (seed, input row), as float64 arrays (models × 256). `package` "tf_keras": the listing as the book ran it,
    on Keras 2 (tf-keras over TensorFlow), where `input_dim` is still the Dense layer's own argument."""
    import importlib
    import warnings

    if package == "tf_keras":
        from initcheck.conformance.adapters import tensorflow

        tensorflow()  # quiet start-up
    keras = importlib.import_module(package)
    initializers, layers = keras.initializers, keras.layers

    def w_init(label: str, seed: int) -> Any:
        if label == "normal":
            return initializers.RandomNormal(stddev=1.0, seed=seed)
        if label == "foil":
            return initializers.RandomNormal(seed=seed)
        return {"glorot_normal": initializers.glorot_normal, "glorot_uniform": initializers.glorot_uniform}[label](seed=seed)

    def numpy(tensor: Any) -> np.ndarray:
        return np.asarray(tensor.numpy() if package == "tf_keras" else keras.ops.convert_to_numpy(tensor), np.float64)

    found = {}
    for label, row_seeds in seeds.items():
        z_rows, a_rows = [], []
        for seed, x in zip(row_seeds, inputs[label], strict=True):
            with warnings.catch_warnings():  # Keras 3 asks for Input(shape) in place of the listing's input_dim (Keras 2 style)
                warnings.simplefilter("ignore", UserWarning)
                model = keras.Sequential()
                model.add(layers.Dense(256, input_dim=784, kernel_initializer=w_init(label, seed), bias_initializer=initializers.Zeros()))
                model.add(layers.Activation("sigmoid"))
            batch = x[None, :].astype(np.float32)
            a_rows.append(numpy(model(batch))[0])
            z_rows.append(numpy(model.layers[0](batch))[0])
        found[label] = {"z": np.array(z_rows), "a": np.array(a_rows)}
    if package == "tf_keras":
        label = f"tf-keras {keras.__version__} (Keras 2 over TensorFlow)"
    else:
        label = f"keras {keras.__version__} ({keras.backend.backend()} backend)"
    return {"keras": keras.__version__, "label": label, "by_setting": found}


def _on_backend(backend: str, seeds: Mapping[str, list[int]], inputs: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """keras_krohn_layers in this process's Keras host on `backend` (initcheck.hosts; "tf-keras": Keras 2 over TensorFlow,
    in the tensorflow backend's host); {"not installed": why} when it cannot run here."""
    package, engine = ("tf_keras", "tensorflow") if backend == TF_KERAS else ("keras", backend)
    if importlib.util.find_spec(package) is None:
        return {NOT_INSTALLED: f"{package} is not installed (pip install 'initcheck[frameworks]')"}
    if importlib.util.find_spec(engine) is None:
        return {NOT_INSTALLED: f"{engine} is not importable here: {package} cannot run on it"}
    from initcheck import hosts

    return hosts.call(hosts.keras(engine), keras_krohn_layers, seeds, inputs, package)


def count_agrees(count: int, expected: float) -> bool:
    """An observed count against a Poisson(expected) count: both tails at least FALSE_FAILURE_RATE/2."""
    upper = scipy_stats.poisson.sf(count - 1, expected) if count > 0 else 1.0
    return bool(min(upper, scipy_stats.poisson.cdf(count, expected)) >= stats.FALSE_FAILURE_RATE / 2)


def krohn_theory() -> dict[str, dict[str, float]]:
    """Per init, the derived E[z²] = Var(w)·784·E[x²] and the certified saturated fraction (initcheck.theory.saturation)."""
    return {
        init: {"second_moment": float(theory.activation_mode_at_half(variance)["s2"]), "saturated_fraction": float(theory.saturated_fraction(init)[0])}
        for init, variance in theory.WEIGHT_VARIANCES.items()
    }


def judge_setting(z: np.ndarray, a: np.ndarray, expected: Mapping[str, float]) -> dict[str, Any]:
    """One setting's models (rows) against one init's derived values: E[z²] by the z rule, the saturated fraction by the
    z rule (expected count ≥ CLT_COUNT) or by its Poisson tails."""
    second = stats.mean_estimate(np.mean(z**2, axis=1), "mean over independent models of the per-model mean z²")
    saturated = (a < 0.01) | (a > 0.99)
    fraction = stats.mean_estimate(saturated.mean(axis=1), "mean over independent models of the per-model saturated fraction")
    count, outputs = int(saturated.sum()), int(saturated.size)
    expected_count = expected["saturated_fraction"] * outputs
    clt = expected_count >= CLT_COUNT
    fraction_ok = stats.agrees(fraction, expected["saturated_fraction"]) if clt else count_agrees(count, expected_count)
    return {
        "models": int(z.shape[0]), "second_moment": second.value, "second_moment_se": second.standard_error,
        "second_moment_expected": expected["second_moment"], "second_moment_z": stats.z_score(second, expected["second_moment"]),
        "second_moment_mde": stats.minimum_detectable_effect(second), "saturated_fraction": fraction.value,
        "saturated_fraction_se": fraction.standard_error, "saturated_fraction_expected": expected["saturated_fraction"],
        "saturated_count": count, "outputs": outputs, "expected_count": expected_count,
        "rule": "z rule" if clt else "Poisson tails", **({"saturated_fraction_z": stats.z_score(fraction, expected["saturated_fraction"])} if clt else {}),
        "agrees": bool(stats.agrees(second, expected["second_moment"]) and fraction_ok),
        "histogram": np.histogram(a, bins=20, range=(0.0, 1.0))[0].tolist(),
    }  # fmt: skip


def judge_krohn(measured: Mapping[str, Any], settings: Mapping[str, tuple[str, str]] = SETTINGS) -> dict[str, Any]:
    """Per backend and setting, judge_setting against the init the setting must give; mismatches for the listing's
    settings, foil_rejected when every backend's foil disagrees."""
    expected = krohn_theory()
    mismatches: list[str] = []
    foils: list[bool] = []
    rows: dict[str, dict[str, Any]] = {}  # backend → setting → judge_setting's record
    for backend, run in measured.items():
        if NOT_INSTALLED in run:
            continue
        rows[backend] = {}
        for label, arrays in run["by_setting"].items():
            row = judge_setting(arrays["z"], arrays["a"], expected[settings[label][1]])
            rows[backend][label] = row
            if label == "foil":
                foils.append(not row["agrees"])
            elif not row["agrees"]:
                mismatches.append(
                    f"{backend}: {settings[label][0]}: E[z²] {row['second_moment']:.4g} ± {row['second_moment_se']:.2g} (derived {row['second_moment_expected']:.4g}), "
                    f"saturated {row['saturated_fraction']:.4g} ({row['saturated_count']} of {row['outputs']}; derived {row['saturated_fraction_expected']:.3g})"
                )
    return {"mismatches": mismatches, "by_backend": rows, "foil_rejected": bool(foils) and all(foils)}


def krohn_keras(rng: np.random.Generator, size: str, data: Any, *, run: Any = _on_backend) -> dict[str, Any]:
    """Listings 9.1-9.2 on every installed Keras backend: `MODELS[size]` models per initializer (and the foil)."""
    del data
    models = MODELS[size]
    seeds = {label: rng.integers(0, 2**31 - 1, size=models).tolist() for label in SETTINGS}
    inputs = {label: rng.random((models, theory.N_INPUT)) for label in SETTINGS}
    measured = {backend: run(backend, seeds, inputs) for backend in KERAS_BACKENDS}
    if all(NOT_INSTALLED in m for m in measured.values()):
        return _not_checked("no Keras backend runs here", {f"keras on {k}": v for k, v in measured.items()})
    judged = judge_krohn(measured)
    rows = judged["by_backend"]
    said = "; ".join(
        f"{backend}: N(0,1) {100 * r['normal']['saturated_fraction']:.1f}% saturated, glorot_normal {r['glorot_normal']['saturated_count']}, "
        f"glorot_uniform {r['glorot_uniform']['saturated_count']} of {r['glorot_uniform']['outputs']} outputs; "
        f"E[z²] {r['normal']['second_moment']:.1f}, {r['glorot_normal']['second_moment']:.4f}, {r['glorot_uniform']['second_moment']:.4f}; "
        f"foil E[z²] {r['foil']['second_moment']:.3f}"
        for backend, r in rows.items()
    )
    derived = krohn_theory()
    return jsonable({  # strict JSON: a foil's z with SE 0 is recorded as the string "-inf"
        "verdict": "refuted" if judged["mismatches"] else "holds",
        "summary": f"Keras listing 9.2, {models} models per initializer on each backend (derived: N(0,1) {derived['normal']['saturated_fraction']:.4f} saturated, "
        f"E[z²] {derived['normal']['second_moment']:.2f}; Glorot {derived['glorot_uniform']['saturated_fraction']:.2g}, E[z²] {derived['glorot_uniform']['second_moment']:.4f}): "
        + said,
        "mismatches": judged["mismatches"],
        "conditions": [],
        "frameworks": {backend: m[NOT_INSTALLED] if NOT_INSTALLED in m else m["label"] for backend, m in measured.items()},
        "data": DATA,
        "ours": {"models_per_setting": models, "settings": {k: v[0] for k, v in SETTINGS.items()}, "derived": derived, "by_backend": rows,
                 "not_installed": [k for k, m in measured.items() if NOT_INSTALLED in m]},
        "foil": {"label": "RandomNormal() without stddev=1.0 (Keras's default 0.05) gives the N(0,1) values", "rejected": judged["foil_rejected"]},
    })  # fmt: skip


# ---------------------------------------------------------------- SYM-RELU-STALL: torch autograd and SGD

ARTICLE_SAMPLE, ARTICLE_TARGET, ARTICLE_RATE = (0.5, 2.0, 1.0), 42.0, 0.1
STEPS = 100
SAMPLES, INPUTS = 64, 4  # the drawn data set: x ~ N(0, I), y = relu(x·w*), w* ~ N(0, I); no bias input, so any w ≠ 0 has z > 0 on about half
DRAWN_RATE, INIT_SD = 0.05, 0.1  # its SGD rate and the small random init's sd (the foil)


def torch_relu_runs(seed: int, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """In a process that may import torch: each run's largest |gradient| over the steps, largest |w − w₀| after them,
    and the loss before and after (float32, full-batch torch.optim.SGD on Σ(f(x·w) − y)²/n)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    article_x, article_y = torch.tensor([ARTICLE_SAMPLE]), torch.tensor([ARTICLE_TARGET])
    drawn_x, drawn_y = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y.astype(np.float32))
    relu, clamp = torch.relu, (lambda t: torch.clamp(t, min=0))
    small = (INIT_SD * torch.randn(x.shape[1], generator=generator)).tolist()
    runs = {  # label → (inputs, targets, activation, initial weights, rate)
        "002 sample, zero init": (article_x, article_y, relu, [0.0, 0.0, 0.0], ARTICLE_RATE),
        "002 sample, w = (0.6, -0.3, 0.2)": (article_x, article_y, relu, [0.6, -0.3, 0.2], ARTICLE_RATE),
        "drawn data, zero init": (drawn_x, drawn_y, relu, [0.0] * x.shape[1], DRAWN_RATE),
        "foil: 002 sample, zero init, torch.clamp(z, min=0)": (article_x, article_y, clamp, [0.0, 0.0, 0.0], ARTICLE_RATE),
        "foil: drawn data, zero init, torch.clamp(z, min=0)": (drawn_x, drawn_y, clamp, [0.0] * x.shape[1], DRAWN_RATE),
        "foil: drawn data, small random init": (drawn_x, drawn_y, relu, small, DRAWN_RATE),
    }
    found = {}
    for label, (inputs, targets, f, initial, rate) in runs.items():
        w = torch.tensor(initial, requires_grad=True)
        start = w.detach().clone()
        optimizer = torch.optim.SGD([w], lr=rate)
        largest_gradient, losses = 0.0, []
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss = torch.mean((f(inputs @ w) - targets) ** 2)
            loss.backward()
            assert w.grad is not None
            largest_gradient = max(largest_gradient, float(w.grad.abs().max()))
            losses.append(float(loss.detach()))
            optimizer.step()
        final = float(torch.mean((f(inputs @ w.detach()) - targets) ** 2))
        found[label] = {"largest_gradient": largest_gradient, "moved": float((w.detach() - start).abs().max()), "loss_first": losses[0], "loss_last": final}
    return {"torch": str(torch.__version__), "runs": found}


def judge_stall(runs: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
    """Stated runs stall exactly (every gradient 0, no weight moved, loss unchanged); each foil learns (moves, loss falls)."""
    mismatches, foils = [], {}
    for label, run in runs.items():
        stalled = run["largest_gradient"] == 0.0 and run["moved"] == 0.0 and run["loss_last"] == run["loss_first"]
        if label.startswith("foil"):
            foils[label] = run["moved"] > 0.0 and run["loss_last"] < run["loss_first"]
        elif not stalled:
            mismatches.append(f"{label}: largest gradient {run['largest_gradient']:g}, weights moved {run['moved']:g}, loss {run['loss_first']:g} → {run['loss_last']:g}")
    return {"mismatches": mismatches, "foils_learn": foils, "foil_rejected": bool(foils) and all(foils.values())}


def _torch_in_host(seed: int, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from initcheck import hosts

    return hosts.call(hosts.FRAMEWORKS, torch_relu_runs, seed, x, y)


def relu_stall_torch(rng: np.random.Generator, size: str, data: Any, *, run: Any = _torch_in_host) -> dict[str, Any]:
    """002's ReLU perceptron trained by torch (in the frameworks host, initcheck.hosts: importing torch changes the process that imports it)."""
    del size, data
    x = rng.standard_normal((SAMPLES, INPUTS))
    y = np.maximum(x @ rng.standard_normal(INPUTS), 0.0)
    seed = int(rng.integers(0, 2**63))
    if importlib.util.find_spec("torch") is None:
        return _not_checked("torch not installed", {"torch": {NOT_INSTALLED: "torch is not installed (pip install 'initcheck[frameworks]')"}})
    measured = run(seed, x, y)
    judged = judge_stall(measured["runs"])
    runs = measured["runs"]
    return {
        "verdict": "refuted" if judged["mismatches"] else "holds",
        "summary": f"torch {measured['torch']}, {STEPS} SGD steps each: "
        + "; ".join(f"{label}: largest gradient {r['largest_gradient']:g}, moved {r['moved']:.3g}, loss {r['loss_first']:.4g} → {r['loss_last']:.4g}" for label, r in runs.items()),
        "mismatches": judged["mismatches"],
        "conditions": [],
        "frameworks": {"torch": measured["torch"]},
        "data": "002's one-sample data set, and 64 samples x ~ N(0, I₄), y = relu(x·w*), drawn from the check's generator",
        "ours": {"steps": STEPS, "drawn": {"samples": SAMPLES, "inputs": INPUTS, "rate": DRAWN_RATE, "init_sd": INIT_SD}, "runs": runs, "foils_learn": judged["foils_learn"]},
        "foil": {"label": "ReLU as torch.clamp(z, min=0) (derivative 1 at 0), and a small random init: each learns", "rejected": judged["foil_rejected"]},
    }


VAR_KROHN_SATURATION = ReproductionCheck(experiment=krohn_keras, needs_mnist=False, hosts=True)
SYM_RELU_STALL = ReproductionCheck(experiment=relu_stall_torch, needs_mnist=False, hosts=True)
