"""Benchmarks for the budgets of SPEC.md §6. Run: ``python -m bench.run_all`` (see README)."""
