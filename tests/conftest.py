"""Fixtures shared by several test modules."""

pytest_plugins = ["tests.servers", "tests.browser", "tests.reportkit"]
