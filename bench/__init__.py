"""Benchmarks of the performance budgets (one line each). Run: ``python -m bench.run_all``."""
