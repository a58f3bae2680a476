"""The catalogue of semantic mutants that tests/mutation.py injects one at a time (see its docstring).

Each is a realistic bug of a kind that has shipped in this field or was found in this project's own review:
a dropped factor, a swapped fan, `any` for `all`, a retyped constant, a too-small standard error, a seed
ignored. `tests` names the test files that must catch it (the fast tier; a few seconds to a minute each).
A mutant that cannot change any observable result is marked `equivalent` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Mutant:
    id: str
    file: str
    before: str
    after: str
    description: str
    tests: tuple[str, ...]
    select: str = ""  # a pytest -k expression: the tests of the claims the mutated code serves
    equivalent: str = ""


MUTANTS: tuple[Mutant, ...] = (
    # The joins: how verdicts are made.
    Mutant(
        id="verdict-least-severe-wins",
        select="most_severe",
        file="initcheck/outcome.py",
        before="return min(ran, key=_SEVERITY.__getitem__)",
        after="return max(ran, key=_SEVERITY.__getitem__)",
        description="a claim takes its most favourable check's verdict",
        tests=("tests/test_verdicts.py",),
    ),
    Mutant(
        id="simulation-any-case-agrees",
        select="disagreeing",
        file="initcheck/verify.py",
        before='verdict: Verdict = "holds" if all(c["agrees"] for c in cases) else "refuted"',
        after='verdict: Verdict = "holds" if any(c["agrees"] for c in cases) else "refuted"',
        description="a simulation holds when any case agrees",
        tests=("tests/test_verdicts.py",),
    ),
    Mutant(
        id="foil-rejection-ignored",
        select="foil or VAR-SUM",
        file="initcheck/verify.py",
        before='passed=verdict == expected and all(c["behaves"] for c in cases),',
        after="passed=verdict == expected,",
        description="a simulation passes without rejecting its foils",
        tests=("tests/test_verdicts.py", "tests/test_simulations.py"),
    ),
    Mutant(
        id="claim-consistent-without-checks-passing",
        select="consistent_only",
        file="initcheck/verify.py",
        before='consistent = (verdict == claim.documented_verdict or all(c["passed"] is None for c in checks)) and all(c["passed"] is not False for c in checks)',
        after='consistent = verdict == claim.documented_verdict or all(c["passed"] is None for c in checks)',
        description="a claim is consistent although one of its checks failed",
        tests=("tests/test_verdicts.py",),
    ),
    # sims/stats.py: the one statistical rule.
    Mutant(
        id="standard-error-over-n",
        select="HE-VAR",
        file="sims/stats.py",
        before="float(samples.std(ddof=1) / np.sqrt(samples.size))",
        after="float(samples.std(ddof=1) / samples.size)",
        description="the standard error of a mean divided by n, not √n (too small)",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="z-critical-widened",
        select="rule_constants",
        file="sims/stats.py",
        before="Z_CRITICAL = 5.0",
        after="Z_CRITICAL = 50.0",
        description="a rule so wide that no foil is rejected",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="stream-ignores-its-keys",
        select="streams",
        file="sims/stats.py",
        before="words = [seed] + [zlib.crc32(str(k).encode()) for k in keys]",
        after="words = [seed]",
        description="every case draws the same random numbers (keys ignored)",
        tests=("tests/test_simulations.py",),
    ),
    # Calibration.
    Mutant(
        id="calibration-sd-one-sided",
        select="per_case",
        file="initcheck/calibration.py",
        before="sd_p = 2 * min(scipy_stats.chi2.cdf(chi2, n - 1), scipy_stats.chi2.sf(chi2, n - 1))",
        after="sd_p = scipy_stats.chi2.sf(chi2, n - 1)",
        description="an sd(z) far below 1 (a standard error too large) passes calibration",
        tests=("tests/test_simulations.py",),
    ),
    # Data and results at the boundary.
    Mutant(
        id="mnist-fractional-pixels-accepted",
        select="already",
        file="sims/mnist.py",
        before="    if fractional.any():",
        after="    if False:",
        description="pixels already scaled to [0, 1] are divided by 255 again",
        tests=("tests/test_hostile.py",),
    ),
    Mutant(
        id="mnist-scaled-by-256",
        select="npz_is_known or idx_and_npz",
        file="sims/mnist.py",
        before="return images / 255.0, labels_float.astype(np.int64), description",
        after="return images / 256.0, labels_float.astype(np.int64), description",
        description="pixels scaled by 1/256: the brightest pixel is no longer 1",
        tests=("tests/test_hostile.py", "tests/test_reproductions.py"),
    ),
    Mutant(
        id="results-fingerprint-unchecked",
        select="edited",
        file="initcheck/results.py",
        before='    if document["fingerprint"] != fingerprint(document["inputs"]):',
        after="    if False:",
        description="a results file whose inputs were edited is still reused",
        tests=("tests/test_hostile.py",),
    ),
    Mutant(
        id="output-previous-not-restored",
        select="failed_rename",
        file="initcheck/output.py",
        before="        for name, previous in moved_aside.items():\n            os.replace(previous, targets[name])\n",
        after="",
        description="a failed write loses the previous report",
        tests=("tests/test_report.py",),
    ),
    Mutant(
        id="execution-results-in-finishing-order",
        select="parent",
        file="initcheck/execution.py",
        before="                results[index] = future.result()\n                done_count += 1",
        after="                done_count += 1\n                results[done_count - 1] = future.result()",
        description="local workers' results kept in the order they finish",
        tests=("tests/test_execution.py",),
    ),
    # theory/: derivations with a factor dropped or a fan swapped.
    Mutant(
        id="product-variance-cross-term-dropped",
        select="VAR-SUM",
        file="theory/variance.py",
        before="return sp.expand((vw + mw**2) * (vx + mx**2) - mw**2 * mx**2)",
        after="return sp.expand((vw + mw**2) * (vx + mx**2))",
        description="Var(wx) written as E[w²]E[x²] (the E[w]²E[x]² term dropped)",
        tests=("tests/test_symbolic.py",),
    ),
    Mutant(
        id="backward-gain-fan-in",
        select="GLOROT-VAR or VAR-BACKWARD",
        file="theory/variance.py",
        before="return sp.simplify(forward_variance(n_out, 0, var_w, 0, var_x, 0) / var_x)",
        after="return sp.simplify(forward_variance(n_in, 0, var_w, 0, var_x, 0) / var_x)",
        description="the backward gain summed over fan_in instead of fan_out",
        tests=("tests/test_symbolic.py",),
    ),
    Mutant(
        id="uniform-density-not-normalised",
        select="GLOROT-UNIFORM",
        file="theory/initializers.py",
        before="return sp.simplify(sp.integrate((x - mean) ** 2 / (2 * a), (x, -a, a)))",
        after="return sp.simplify(sp.integrate((x - mean) ** 2 / a, (x, -a, a)))",
        description="U[−a, a] integrated with density 1/a (variance 2a²/3)",
        tests=("tests/test_symbolic.py",),
    ),
    Mutant(
        id="saturation-threshold-one-percent-of-z",
        select="saturated or saturation",
        file="theory/saturation.py",
        before="return -sp.solve(sp.Eq(1 / (1 + sp.exp(-z)), sp.Rational(1, 100)), z)[0]",
        after="return -sp.solve(sp.Eq(1 / (1 + sp.exp(-z)), sp.Rational(1, 10)), z)[0]",
        description="saturation taken as within 0.1 of 0 or 1, not 0.01",
        tests=("tests/test_theory_values.py",),
    ),
    Mutant(
        id="he-scale-one",
        file="theory/meanfield.py",
        before='"He": 2 / n_width,',
        after='"He": 1 / n_width,',
        description="He's n·Var(w) = 2 written as 1 where the depth sweep takes its scale",
        tests=("tests/test_simulations.py",),
        select="VAR-DEPTH",
    ),
    # sims/: estimators with the realistic slips.
    Mutant(
        id="sigmoid-doubled-slope",
        select="GRAD-BOUND or GRAD-W4",
        file="sims/activations.py",
        before="return 1.0 / (1.0 + np.exp(-z))",
        after="return 1.0 / (1.0 + np.exp(-2.0 * z))",
        description="the simulations' sigmoid is σ(2z)",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="backward-pass-through-w-not-w-transpose",
        select="VAR-BACKWARD",
        file="sims/variance.py",
        before='out = np.einsum("boi,bo->bi", weights, rng.normal(size=(block, fan_out)))',
        after='out = np.einsum("boi,bi->bo", weights, rng.normal(size=(block, fan_in)))',
        description="the back-propagated gradient computed with W instead of Wᵀ (fan_in for fan_out)",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="chain-without-burn-in",
        select="burn_in or GRAD-BOUND",
        file="sims/chain.py",
        before="    rng: np.random.Generator, *, threshold: float, activation: str, chains: int, depth: int = 60, burn_in: int = 10",
        after="    rng: np.random.Generator, *, threshold: float, activation: str, chains: int, depth: int = 60, burn_in: int = 0",
        description="the deep chain's fraction averaged from its first layer, before it reaches its stationary law",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="dropout-scaled-by-p",
        select="REG-DROPOUT",
        file="sims/regularization.py",
        before="unit = mask / (1.0 - drop_probability) if scaled else mask.astype(float)",
        after="unit = mask / drop_probability if scaled else mask.astype(float)",
        description="inverted dropout divides by the drop probability, not the keep probability",
        tests=("tests/test_simulations.py",),
    ),
    Mutant(
        id="layer-variance-shared-weights",
        select="honest or VAR-BACKWARD or VAR-CALIBRATED",
        file="sims/variance.py",
        before="        weights = draw(rng, weight_law, (block, fan_out, fan_in), std=weight_std)\n",
        after="        weights = np.broadcast_to(draw(rng, weight_law, (1, fan_out, fan_in), std=weight_std), (block, fan_out, fan_in))\n",
        description="every replicate layer shares one weight draw (replicates not independent: the SE is too small)",
        tests=("tests/test_simulations.py",),
    ),
    # SYM-ZERO-BIAS's equivalence test.
    Mutant(
        id="tost-one-sided",
        select="tost or decision",
        file="initcheck/reproductions/bias.py",
        before="    t = float(stats.t.ppf(1 - alpha, df))",
        after="    t = float(stats.t.ppf(1 - 2 * alpha, df))",
        description="a TOST interval of 80% where 90% is stated (equivalence declared too easily)",
        tests=("tests/test_bias.py",),
    ),
    # The FW claims' judges (tests on fake frameworks: no framework needed).
    Mutant(
        id="fw-bn-keras-convention-for-torch",
        select="batch_norm",
        file="initcheck/conformance/frameworks.py",
        before="parameter=\"momentum\", default=0.1, new_weight=lambda m: m,",
        after="parameter=\"momentum\", default=0.1, new_weight=lambda m: 1 - m,",
        description="torch's momentum read as Keras's (the weight of the old value)",
        tests=("tests/test_frameworks_claims.py",),
    ),
    Mutant(
        id="fw-dropout-scale-ignored",
        select="dropout",
        file="initcheck/reproductions/frameworks.py",
        before="        if not np.all(np.abs(values / scale - 1) <= 2.0**-22):",
        after="        if False:",
        description="the 1/(1 − p) scale of kept units never checked",
        tests=("tests/test_frameworks_claims.py",),
    ),
    Mutant(
        id="fw-relu-spellings-as-operations",
        select="relu",
        file="initcheck/reproductions/frameworks.py",
        before="            elif label in operations.get(framework, ()):",
        after="            elif True:",
        description="every spelling of ReLU judged as the framework's own operation (clamp's 1 refutes the claim)",
        tests=("tests/test_frameworks_claims.py",),
    ),
    # Calibration at reduced size, and the PDF rendered in parts.
    Mutant(
        id="min-replicates-ignored",
        select="minimum",
        file="initcheck/verify.py",
        before="estimate = case.estimate(rng, max(case.min_replicates, int(case.replicates * scale)))",
        after="estimate = case.estimate(rng, max(2, int(case.replicates * scale)))",
        description="the calibration's reduced size cuts skewed cases below the size their z needs",
        tests=("tests/test_verdicts.py",),
    ),
    Mutant(
        id="pdf-links-across-parts-left-external",
        select="parts",
        file="reports/pdf.py",
        before="            if uri.startswith(ELSEWHERE):",
        after="            if False:",
        description="links into another part of the PDF left pointing at a placeholder URI",
        tests=("tests/test_report.py",),
    ),
    Mutant(
        id="pdf-outline-not-rebuilt",
        select="parts",
        file="reports/pdf.py",
        before="    outline(tree, None)",
        after="    pass",
        description="the joined PDF has no outline (each part's was dropped)",
        tests=("tests/test_report.py",),
    ),
    Mutant(
        id="haar-diagonal-variance-one-entry",
        select="haar or correct",
        file="theory/conformance.py",
        before='return {"mean": sp.Integer(0), "variance": sp.simplify(diagonal * second)}',
        after='return {"mean": sp.Integer(0), "variance": sp.simplify(second)}',
        description="Var(Σ Qᵢᵢ) taken as one entry's 1/m instead of k/m: correct Haar samplers fail",
        tests=("tests/test_conformance.py",),
    ),
    Mutant(
        id="haar-diagonal-test-skipped",
        select="orthogonal",
        file="initcheck/conformance/battery.py",
        before='        tests.append(_moment("Haar: diagonal sum / sd", probe_list[0].label, diagonal, 0.0, critical, alpha, "diagonal sign bias in sd"))',
        after="        pass",
        description="the Haar test computed but never judged: QR without the sign fix passes as 'orthogonal'",
        tests=("tests/test_conformance_foils.py",),
    ),
    Mutant(
        id="haar-sign-test-skipped",
        select="orthogonal",
        file="initcheck/conformance/battery.py",
        before='        tests.append(_binomial_two_sided("Haar: sign of Q₀₀ (count > 0)", probe_list[0].label, count=positive, n=matrices_n, probability=p_positive, alpha=alpha, unit="tensors"))',
        after="        pass",
        description="the sign of Q₀₀ counted but never judged: an orthogonal initializer with a canonical overall sign passes as Haar",
        tests=("tests/test_conformance_foils.py",),
    ),
    Mutant(
        id="haar-sign-mass-not-split",
        select="first_entry_sign",
        file="theory/conformance.py",
        before="    density = sp.simplify(square.subs(u, t**2) * sp.diff(t**2, t) / 2)",
        after="    density = sp.simplify(square.subs(u, t**2) * sp.diff(t**2, t))",
        description="the density of Q₀₀ taken as that of |Q₀₀| (the reflection's even split forgotten): P(Q₀₀ > 0) = 1",
        tests=("tests/test_conformance.py",),
    ),
    Mutant(
        id="haar-sign-one-tail",
        select="orthogonal or haar",
        file="initcheck/conformance/battery.py",
        before='"passed": bool(lower < count < upper)',
        after='"passed": bool(count < upper)',
        description="the binomial sign test judged on its upper tail only: a sign forced negative (count 0) passes",
        tests=("tests/test_conformance_foils.py",),
    ),
    Mutant(
        id="report-formulas-typeset-twice",
        select="workers_typeset",
        file="reports/build.py",
        before="    with math.handed(typeset):",
        after="    with math.handed({}):",
        description="the parent ignores the formulas its workers typeset and typesets them all again (11 s with no cache)",
        tests=("tests/test_report_math.py",),
    ),
    # The benchmark's time budget.
    Mutant(
        id="budget-ignores-the-longest-unit",
        select="longest_unit",
        file="initcheck/bench.py",
        before="    least = max(total / workers, units[0][0])",
        after="    least = total / workers",
        description="the least wall time is unit time over workers, as if a 100 s unit could be split across them",
        tests=("tests/test_bench.py",),
    ),
    # Ctrl-C wherever it lands.
    Mutant(
        id="ctrl-c-plain-keyboard-interrupt",
        select="generated_code",
        file="initcheck/signals.py",
        before="    _received.append(signum)\n    raise Interrupted if signum == signal.SIGINT else Terminated",
        after="    _received.append(signum)\n    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated",
        description="Ctrl-C raises KeyboardInterrupt itself: `python -m initcheck` can exit -2 after saying 'interrupted'",
        tests=("tests/test_signals.py",),
    ),
    Mutant(
        id="ctrl-c-not-recorded",
        select="swallowed",
        file="initcheck/signals.py",
        before="    _received.append(signum)",
        after="    pass",
        description="a Ctrl-C whose exception a destructor swallowed is lost: the parent waits out the whole run",
        tests=("tests/test_signals.py",),
    ),
)
