"""Known anomalies and problem reports (IEC 62304 5.8.2, 9): the items of the anomaly kind."""

from __future__ import annotations

from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page

__all__: list[str] = []

_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


# @implements SRS-207
@site_page("anomalies")
def anomalies(data: SiteData) -> Pages:
    found = sorted(
        data.model.of_kind("anomaly"),
        key=lambda i: (i.get("status") != "open", _ORDER.get(str(i.get("severity")), 9), i.id),
    )
    page = render(
        "anomalies.html.j2",
        data,
        "anomalies.html",
        "anomalies",
        "Known anomalies",
        anomalies=found,
        history_note=data.history.note,
    )
    return {"anomalies.html": page}
