"""The pages' Jinja environment: autoescaped templates under ``api/templates``.

Every page extends ``base.html`` (navigation, search box, the data version in the footer).
Templates get ``version`` and ``source`` from :func:`page_context`; maps come in as the
``Markup`` of :func:`viz.render.map_block`, everything else is escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "page_context", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)  # autoescape on for .html (select_autoescape)
templates.env.globals["site_name"] = "两新图谱"


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every page shows besides its own content: the data's version and source."""
    state = request.app.state.liangxin
    return {"version": state.version, "source": state.public_source, **values}
