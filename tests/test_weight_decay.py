"""SAT-L2 (derived part): pure decay from the old init against both readings of 1/√n, in the 30 graphed epochs."""

from __future__ import annotations

import math

from initcheck.registry import BY_ID
from initcheck.symbolic.weight_decay import SAT_L2
from initcheck.theory import weight_decay
from initcheck.verify import run_symbolic


def test_epochs_to_reach_each_target_by_float_arithmetic():
    factor = (1 - 0.1 * 5 / 50_000) ** (50_000 / 10)
    derived = float(weight_decay.epochs_to_reach(weight_decay.targets()["n_in"]).evalf(20))
    assert abs(math.log(28) / -math.log(factor) - derived) < 1e-9  # float64 logs and powers: ~1e-12 relative
    assert weight_decay.weight_count() == 784 * 30 + 30 * 10


def test_symbolic_check_refutes_the_graphed_claim_under_both_readings_and_rejects_the_foil():
    record = run_symbolic(BY_ID["SAT-L2"], SAT_L2).as_json()
    assert record["passed"] and record["verdict"] == "refuted"
    assert {m.split(":")[0] for m in record["mismatches"]} == {"graphed_epochs_reach_1_over_sqrt_n_in", "graphed_epochs_reach_1_over_sqrt_total_weights"}
    assert record["foil"]["rejected"]
