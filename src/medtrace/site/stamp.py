"""What every page is stamped with: project, class, version, commit, build and results times,
and the medtrace version that made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from medtrace import __version__
from medtrace.config import Config
from medtrace.results import ResultSet
from medtrace.vcs.git import RepoState

__all__ = ["Stamp", "stamp_of"]


@dataclass(frozen=True)
class Stamp:
    project: str
    safety_class: str
    version: str
    commit: str
    modified: bool
    built: str
    results: str
    tool: str

    @property
    def identity(self) -> tuple[str, ...]:
        """What the content depends on (everything but the build time)."""
        return (
            self.project,
            self.safety_class,
            self.version,
            self.commit,
            str(self.modified),
            self.results,
            self.tool,
        )


def _iso(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0).isoformat()


# @implements SRS-201
def stamp_of(config: Config, results: ResultSet, state: RepoState, now: datetime) -> Stamp:
    """The stamp of a build: the version from the configuration, else the tag at ``HEAD``; the
    results time from the provenance records, else the newest results file."""
    recorded = sorted(p.time for p in results.provenance.values() if p.time)
    return Stamp(
        project=config.project.name or config.root.name,
        safety_class=config.safety_class,
        version=config.project.version or state.tag or "",
        commit=state.short or "",
        modified=bool(state.dirty),
        built=now.astimezone(UTC).replace(microsecond=0).isoformat(),
        results=recorded[-1] if recorded else _iso(results.newest),
        tool=__version__,
    )
