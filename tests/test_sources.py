"""The published numbers the checks compare with are the ones in the source texts.

The texts' own lines are kept verbatim in tests/data/seed_excerpts.txt (the repository stands alone:
nothing reads the catalogue's seeds at test time). A cell typed wrongly into theory/ fails here.
"""

from pathlib import Path

from initcheck.theory.perceptron import PUBLISHED_TABLE

EXCERPTS = (Path(__file__).parent / "data" / "seed_excerpts.txt").read_text(encoding="utf-8")


def _excerpt(seed: str) -> str:
    blocks = dict(block.split("\n", 1) for block in EXCERPTS.split("=== ")[1:])
    (text,) = [body for name, body in blocks.items() if name.startswith(seed + "_")]
    return text


def test_every_printed_table_cell_appears_in_source_002():
    text = _excerpt("002")
    for row in PUBLISHED_TABLE:
        for column, cells in row.items():
            if column in ("w", "dw") and cells:
                assert "(" + "; ".join(cells) + ")" in text
            else:
                assert all(f"\n{cell}\n" in text for cell in cells)


def test_nielsen_interval_problem_is_in_source_001():
    text = _excerpt("001")
    assert "|w|≈6.9" in text and "≈0,45" in text
