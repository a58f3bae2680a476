"""SYM-PERCEPTRON-LEARNS, the convexity sentence of source 003: "the loss is convex, so gradient descent converges from any point".

Written as facts about theory.logistic_gd's two one-dimensional logistic losses:
- both are convex (f'' > 0);
- with a minimizer and η < 2/L GD converges from every start: on the two-point loss (L = 1/2) the step map
  g(w) = w − η·tanh(w/2) has g(w)/w ∈ [1 − η/2, 1), inside (−1, 1) exactly when η < 4 = 2/L, so |w_k| → 0;
- each hypothesis is necessary: at η = 8 the GD map has the 2-cycle ±w* (no convergence from w*); on separable data
  (one point) f' < 0 has no zero, inf f = 0 is not attained and the iterates run off to infinity.
The seed's unconditional "from any point" therefore holds only with both hypotheses.
"""

from __future__ import annotations

import sympy as sp

from initcheck.outcome import Outcome, SymbolicCheck, fact_mismatches, verdict_from_mismatches
from initcheck.theory import logistic_gd as lg

LARGE_STEP = 8


def check_convex_convergence(stated: dict[str, bool]) -> Outcome:
    """Convexity, the contraction for η < 2/L, the 2-cycle at η = 8, and divergence without a minimizer."""
    two_point, separable = lg.two_point_loss(), lg.separable_loss()
    smooth = lg.smoothness_constant(two_point)
    eta = sp.Symbol("eta", positive=True)
    lowest_ratio = 1 - eta * smooth  # g(w)/w = 1 − η·tanh(w/2)/w ≥ 1 − η·f''(0) = 1 − η/2 (tanh(w/2)/w ≤ 1/2)
    contraction_range = sp.solveset(lowest_ratio > -1, eta, domain=sp.Interval.open(0, sp.oo))
    w_star = sp.Float(lg.two_cycle(LARGE_STEP), 30)
    cycle_image = sp.N(lg.gd_step(two_point, LARGE_STEP).subs(lg.w, w_star), 25)
    separable_stationary = lg.stationary_points(separable)
    derived = {
        "loss_is_convex": lg.is_convex(two_point) and lg.is_convex(separable),
        "converges_with_step_below_2_over_L_and_a_minimizer": contraction_range == sp.Interval.open(0, 2 / smooth),
        "converges_for_every_step": False if abs(cycle_image + w_star) < 1e-20 else None,
        "converges_without_a_minimizer": False if separable_stationary == sp.S.EmptySet and sp.limit(separable, lg.w, sp.oo) == 0 else None,
    }
    mismatches = fact_mismatches(stated, derived)
    conditions = (
        f"step η < 2/L (L = sup f''): on the two-point loss L = {smooth}, and at η = {LARGE_STEP} GD cycles between ±{float(w_star):.4f}",
        "a minimizer exists (data not separable): for the single point (1, 1) f' < 0 everywhere, inf f = 0 is not attained and w_k → ∞",
    )
    return Outcome(
        verdict=verdict_from_mismatches(mismatches, conditions),
        summary=f"Both example losses are convex. With a minimizer, GD contracts to it from every start exactly for η in {contraction_range} "
        f"(= (0, 2/L), L = {smooth}); at η = {LARGE_STEP} it maps w* = {float(w_star):.6f} to {float(cycle_image):.6f} and back: a 2-cycle, "
        "no convergence. On separable data there is no stationary point and the iterates diverge while the loss tends to 0. "
        "'Convex, so GD converges from any point' needs both the step bound and a minimizer.",
        mismatches=tuple(mismatches),
        conditions=conditions,
        derivation=(
            ("two-point loss and f'", sp.latex(two_point) + r",\ f'=\tanh(w/2)"),
            ("step map ratio", r"\frac{g(w)}{w}=1-\eta\frac{\tanh(w/2)}{w}\in[1-\eta/2,\,1)"),
            ("2-cycle", rf"{LARGE_STEP}\tanh(w^*/2)=2w^*,\ w^*={float(w_star):.6f}"),
            ("separable loss", sp.latex(separable) + r",\ f'<0,\ \inf f=0"),
        ),
        details={"smoothness_constant": str(smooth), "contraction_steps": str(contraction_range), "two_cycle_w": str(w_star), "two_cycle_image": str(cycle_image)},
    )


SYM_PERCEPTRON_LEARNS_CONVEX = SymbolicCheck(
    check_convex_convergence,
    {"loss_is_convex": True, "converges_with_step_below_2_over_L_and_a_minimizer": True},
    {"loss_is_convex": True, "converges_with_step_below_2_over_L_and_a_minimizer": True, "converges_for_every_step": True},
    "convexity alone: GD converges for every step size",
)
