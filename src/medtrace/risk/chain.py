"""The chain of one risk: hazardous situation → software item → cause → control →
verification → result, link by link (ISO 14971 with IEC 62304 7.1 to 7.3)."""

from __future__ import annotations

from dataclasses import dataclass

from medtrace.risk.analysis import RiskInfo

__all__ = ["ChainLink", "chain_of"]


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One link of the chain: its name, whether it holds, and (broken) what is missing."""

    name: str
    ok: bool
    missing: str = ""
    field: str | None = None  # the risk's field to locate a finding at


# @implements SRS-163
def chain_of(risk: RiskInfo) -> list[ChainLink]:
    """Each link of the chain of ``risk``; the links after a missing control are not judged."""
    links = [
        ChainLink(
            "hazardous situation",
            bool(risk.text("situation")),
            "no hazardous situation",
            "situation",
        ),
        ChainLink("software item", bool(risk.text("item")), "no software item", "item"),
        ChainLink("cause", bool(risk.text("cause")), "no cause", "cause"),
    ]
    needs_control = risk.initial.acceptability not in (None, "acceptable")
    if not risk.controls:
        links.append(ChainLink("control", not needs_control, "no control measure", "severity"))
        return links
    links.append(ChainLink("control", True))
    untested = [c.id for c in risk.controls if c.status == "untested"]
    links.append(ChainLink("verification", not untested, f"no test of {', '.join(untested)}"))
    unproven = [
        c.id for c in risk.controls if c.status not in ("verified", "not-required", "untested")
    ]
    links.append(ChainLink("result", not unproven, f"no passing result for {', '.join(unproven)}"))
    return links
