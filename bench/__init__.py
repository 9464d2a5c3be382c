"""Benchmarks: performance figures for this machine (``make bench``), never timed unit tests."""
