"""Benchmarks that print figures; `python -m bench` runs them all, `python -m bench NAME` one."""
