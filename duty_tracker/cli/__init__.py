"""Command-line interface on the use cases of the core; every command that is not inherently
interactive, for administrators, scripts, the tests and the benchmarks."""
