"""Benchmarks of kcm (`make bench`): they print figures; speed targets live here, not in tests."""
