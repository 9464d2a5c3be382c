"""What a guarded child may run into, as importable functions for loaders.guard.run_isolated."""

from __future__ import annotations

import os
import time
from collections.abc import Callable


def calamine_unguarded(path: str, progress: Callable[[str], None]) -> object:
    """The xlsx reader without the scan in front: a far cell makes it abort."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(path).get_sheet_by_name("组织").to_python()


def sleep(seconds: float, progress: Callable[[str], None]) -> None:
    progress("开始")
    time.sleep(seconds)


def allocate(gigabytes: int, progress: Callable[[str], None]) -> int:
    return len(bytearray(gigabytes << 30))


def fail(progress: Callable[[str], None]) -> None:
    raise ValueError("a defect in a reader")


def abort(progress: Callable[[str], None]) -> None:
    os.abort()
