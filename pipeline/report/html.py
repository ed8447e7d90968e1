"""The desk officer's report: one self-contained HTML file.

No server, no network: the page carries its CSS, its script and its data (JSON in a
``<script type="application/json">`` block, see :func:`pipeline.report.data.to_json`), and a
Content-Security-Policy that forbids fetching anything. The script builds every element from the
data with ``textContent``, so document text is never parsed as HTML.
"""

from __future__ import annotations

import html
import re
from importlib import resources

from pipeline.report.data import to_json


def _asset(name: str) -> str:
    return resources.files("pipeline.report").joinpath("assets", name).read_text(encoding="utf-8")


def render_html(payload: dict) -> str:
    """The report page for a :func:`~pipeline.report.data.build_payload` payload."""
    meta = payload["meta"]
    values = {
        "TITLE": html.escape(meta["title"]),
        "SUBTITLE": html.escape(f"Generated {meta['generated_at']} · model {meta['model_id'] or 'none'} · "
                                f"scope: {meta['scope']}"),
        "CSS": _asset("report.css"),
        "JS": _asset("report.js"),
        "DATA": to_json(payload),
    }
    # One pass, so text inserted for one marker is never searched for another.
    return re.sub(r"@@([A-Z]+)@@", lambda m: values[m.group(1)], _asset("report.html"))
