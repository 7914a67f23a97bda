"""Benchmarks for shegong: ``make bench`` (``python -m bench.run``); see docs/benchmarks.md."""
