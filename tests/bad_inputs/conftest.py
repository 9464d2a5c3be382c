"""The ``run`` fixture of tests/test_cli.py (``liangxin`` in process, on a temporary workspace)."""

from tests.test_cli import run  # noqa: F401
