"""The published numbers the checks compare with are the ones in the source texts."""

from initcheck.theory.perceptron import PUBLISHED_TABLE


def test_every_printed_table_cell_appears_in_source_002(shared_dir):
    (seed,) = shared_dir.glob("seeds/002_*.txt")
    text = seed.read_text(encoding="utf-8")
    for row in PUBLISHED_TABLE:
        for column, cells in row.items():
            if column in ("w", "dw") and cells:
                assert "(" + "; ".join(cells) + ")" in text
            else:
                assert all(f"\n{cell}\n" in text for cell in cells)


def test_nielsen_interval_problem_is_in_source_001(shared_dir):
    (seed,) = shared_dir.glob("seeds/001_*.txt")
    text = seed.read_text(encoding="utf-8")
    assert "|w|≈6.9" in text and "≈0,45" in text
