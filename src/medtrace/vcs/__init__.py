"""Git: the one place medtrace runs the ``git`` command, and what it reads from the history."""

from medtrace.vcs.git import RepoState, git, git_bytes, repo_state

__all__ = ["RepoState", "git", "git_bytes", "repo_state"]
