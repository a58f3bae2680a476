"""The registry lists exactly the published claim IDs, in order, and every link it names exists.

The registry is the project's own catalogue (copied from the claims catalogue; nothing reads it at test time)."""


import pytest

from initcheck.outcome import CHECK_KINDS, VERDICTS, SymbolicCheck
from initcheck.registry import BY_ID, CLAIMS, resolve

# The public, citable IDs (frozen: a rename here is a breaking change for users who cite them).
PUBLISHED_IDS = """
VAR-SUM VAR-NIELSEN-LARGE VAR-NIELSEN-SCALED VAR-KROHN-SATURATION VAR-CALIBRATED VAR-BACKWARD GLOROT-VAR GLOROT-UNIFORM HE-VAR VAR-DEPTH
GRAD-SIGMOID-MAX GRAD-CHAIN GRAD-MATRIX GRAD-BOUND GRAD-EXPLODE GRAD-W4 GRAD-INTERVAL GRAD-INTERVAL-MAX GRAD-IDENTITY GRAD-LAYER-SPEED
GRAD-LAYER-TRAIN GRAD-ACTIVATION SYM-PERCEPTRON-TABLE SYM-PERCEPTRON-LEARNS SYM-RELU-STALL SYM-ZERO-2LAYER SYM-CONST SYM-XOR
SYM-CONST-XOR SYM-ZERO-BIAS SAT-KROHN-HIST SAT-NIELSEN-MNIST SAT-L2 REG-DROPOUT REG-BATCHNORM
FW-DEFAULT-INIT FW-RELU-GRAD0 FW-DROPOUT-API FW-BN-RUNNING SAT-XENT SAT-NIELSEN-FRACTION SAT-LATER-LAYERS SAT-NIELSEN-MNIST-100
REG-DROPOUT-DIST REG-DROPOUT-ENSEMBLE REG-BN-GRAD REG-BN-SPEED VAR-GLOROT-STANDARD HE-DEPTH-TRAIN GRAD-LAYER-TRAIN-2 GRAD-DEPTH-ACC
GRAD-MATRIX-SHRINK GRAD-GLOROT-TOP SYM-BACKPROP-2LAYER
""".split()


def test_registry_has_every_published_id_once_in_order():
    assert [c.id for c in CLAIMS] == PUBLISHED_IDS
    assert len(BY_ID) == len(CLAIMS) == 54


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_record_is_complete(claim):
    assert claim.statement.endswith(".") and claim.source
    assert claim.documented_verdict in VERDICTS
    assert claim.id.split("-")[0] in {"VAR", "GLOROT", "HE", "GRAD", "SYM", "SAT", "REG", "FW"}
    if not any(getattr(claim, kind) for kind in CHECK_KINDS):
        assert claim.documented_verdict == "not-checked", "a claim without checks cannot have a verdict"


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.symbolic], ids=lambda c: c.id)
def test_symbolic_link_resolves_to_a_check_with_a_foil(claim):
    check = resolve(claim.symbolic)
    assert isinstance(check, SymbolicCheck)
    assert check.foil_label and check.foil != check.stated


def test_resolve_reports_a_missing_attribute():
    with pytest.raises(AttributeError):
        resolve("initcheck.symbolic.variance:NO_SUCH_CHECK")


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_every_link_names_its_own_claims_check(claim):
    # A claim linked to another claim's check (a copy-paste slip) would run that claim's numbers under this ID.
    for kind in CHECK_KINDS:
        link = getattr(claim, kind)
        if link is not None:
            assert link.split(":")[1] == claim.id.replace("-", "_"), (kind, link)
