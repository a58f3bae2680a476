"""Where a statement meets its derivation: one module per `initcheck.theory` family, with the same name.

`initcheck.theory.<family>` computes (SymPy expressions, certified mpmath numbers, tables) and imports no
project code but other theory modules. `initcheck.symbolic.<family>` compares the claim as stated with those
values: its `check_*` functions return an `Outcome` (verdict, mismatches, conditions, summary, the LaTeX
steps a report typesets) through `initcheck.outcome.judged`, and its `SymbolicCheck` constants hold the
statement and the foil the registry links. `published` judges numbers as a source printed them.
"""
