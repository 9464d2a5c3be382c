"""The report documents both surfaces hand out: ``liangxin report`` writes them to a file, the
web app's 报告 page answers them as downloads. Building is pure (graph in, document out); the
writers of :mod:`viz.reports` turn a document into bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viz.reports.content import monthly_report

if TYPE_CHECKING:
    from graph.analysis.common import Params
    from graph.analysis.diff import VersionDiff
    from graph.store.workspace import VersionInfo
    from viz.reports.document import Report

__all__ = ["monthly_document"]


def monthly_document(
    then: VersionInfo, now: VersionInfo, changes: VersionDiff, params: Params
) -> Report:
    """The monthly report (月调度) on what changed from ``then`` to ``now``, as ``liangxin report
    monthly`` writes it and the web app's report download answers it."""
    return monthly_report(
        changes, (then.id, then.loaded_at[:10]), (now.id, now.loaded_at[:10]), params
    )
