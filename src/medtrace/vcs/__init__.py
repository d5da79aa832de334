"""Git: the one place medtrace runs the ``git`` command, and what it reads from the history."""

from medtrace.vcs.git import RepoState, git, git_bytes, repo_state
from medtrace.vcs.snapshot import Snapshot, snapshot_at, snapshot_from_release, snapshot_of

__all__ = ["RepoState", "git", "git_bytes", "repo_state"]
__all__ += ["Snapshot", "snapshot_at", "snapshot_from_release", "snapshot_of"]
