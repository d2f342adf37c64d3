"""Command-line interface on top of the core (SPEC.md §5)."""
