"""The example's change story, as a real git repository.

    python tests/story/build_story.py [DEST] [--medtrace CMD]

builds in DEST (default ``build/story``; it must not exist) a git repository holding a copy of
``examples/bolus-advisor`` with its test results (``make -C examples/bolus-advisor results``
writes them; they are ignored by git, as in a real project), then:

1. commits it and tags ``v1.0.0``;
2. ``medtrace release 1.0.0``: the frozen record in ``releases/release-1.0.0/`` and its archive;
3. commits a change to a risk control requirement: SRS-6 (the maximum bolus clamp, the control
   of RISK-1 and RISK-9) now also clamps a correction-only bolus;
4. runs the commands that show the change: ``medtrace diff v1.0.0 HEAD`` (Markdown and HTML
   in ``build/story-out/`` inside the repository), then the others of :data:`AFTER_CHANGE`.

Used by ``make example-story`` and by ``tests/story/test_story.py``. Author, committer and
dates are fixed, so the commits are the same on every machine.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bolus-advisor"
#: What of the example's build/ a check reads (medtrace.toml): results, coverage, analysis.
BUILD_INPUTS = ("results", "coverage", "analysis")
REVIEWER = "Dana Okafor <dana.okafor@bolus-advisor.example>"
SRS6 = "docs/software-requirements/SRS-6-clamp-max-bolus.md"
OLD_TEXT = (
    "The service shall never recommend more than the maximum bolus prescribed by\nthe clinician."
)
NEW_TEXT = (
    "The service shall never recommend more than the maximum bolus prescribed by\n"
    "the clinician, for a meal bolus, a correction bolus or both together."
)
IGNORED = "build/\nnode_modules/\n.medtrace/\n__pycache__/\n"

#: Commands run after the change: the exit code each must give, and the file its output goes
#: to. The change makes the links to SRS-6 suspect and its approval outdated (``check`` fails);
#: ``impact`` names the risks and the tests to re-run; the review of the links and the new
#: approval clear the suspect links (the old results then still stand against an older SRS-6).
AFTER_CHANGE: list[tuple[list[str], int, str]] = [
    (["diff", "v1.0.0", "HEAD", "--format", "markdown"], 0, "diff.md"),
    (["diff", "v1.0.0", "HEAD", "--format", "html"], 0, "diff.html"),
    (["diff", "v1.0.0", "HEAD", "--format", "json"], 0, "diff.json"),
    (["impact", "v1.0.0..HEAD", "--format", "markdown"], 0, "impact.md"),
    (["impact", "v1.0.0..HEAD", "--format", "json"], 0, "impact.json"),
    (["history", "SRS-6"], 0, "history.txt"),
    (["check", "--no-cache"], 1, "check-after-change.txt"),
    (["review", "--all-of", "SRS-6", "--by", REVIEWER], 0, "review.txt"),
    (["approve", "SRS-6", "--by", REVIEWER], 0, "approve.txt"),
    (["check", "--no-cache"], 0, "check-after-review.txt"),
]


def _git(root: Path, *args: str, when: str = "2026-03-02T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Quality Lead",
        "GIT_AUTHOR_EMAIL": "quality@example.org",
        "GIT_COMMITTER_NAME": "Quality Lead",
        "GIT_COMMITTER_EMAIL": "quality@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def medtrace(cmd: list[str], root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cmd, "-C", str(root), *args], capture_output=True, text=True, check=False
    )


def _copy(dest: Path) -> None:
    def ignored(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        out = {n for n in names if n in ("node_modules", "__pycache__", ".medtrace")}
        if here == EXAMPLE:
            out.add("build")
        return out

    shutil.copytree(EXAMPLE, dest, ignore=ignored)
    for name in BUILD_INPUTS:
        source = EXAMPLE / "build" / name
        if not source.is_dir():
            raise SystemExit(
                f"{source} is missing: run 'make -C examples/bolus-advisor results' first"
            )
        shutil.copytree(source, dest / "build" / name)


def build(dest: Path, cmd: list[str]) -> dict[str, str]:
    """Build the story in ``dest``; each step's name → what medtrace printed."""
    if dest.exists():
        raise SystemExit(f"{dest} exists: give a new folder")
    _copy(dest)
    (dest / ".gitignore").write_text(IGNORED, encoding="utf-8")
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", ".")
    _git(dest, "commit", "-q", "-m", "Bolus Advisor 1.0.0")
    _git(dest, "tag", "v1.0.0")
    shown: dict[str, str] = {}
    released = medtrace(cmd, dest, "release", "1.0.0")
    if released.returncode != 0:
        raise SystemExit(f"medtrace release 1.0.0 failed:\n{released.stdout}{released.stderr}")
    shown["release"] = released.stdout
    path = dest / SRS6
    text = path.read_text(encoding="utf-8")
    if OLD_TEXT not in text:
        raise SystemExit(f"{SRS6} no longer holds the sentence the story changes: update it")
    path.write_text(text.replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
    _git(
        dest,
        "commit",
        "-q",
        "-am",
        "SRS-6: the clamp covers correction boluses too",
        when="2026-03-09T10:00:00+00:00",
    )
    out = dest / "build" / "story-out"
    out.mkdir(parents=True)
    for args, code, name in AFTER_CHANGE:
        done = medtrace(cmd, dest, *args)
        if done.returncode != code:
            raise SystemExit(f"medtrace {shlex.join(args)} failed:\n{done.stdout}{done.stderr}")
        (out / name).write_text(done.stdout, encoding="utf-8")
        shown[name] = done.stdout
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", nargs="?", type=Path, default=REPO / "build" / "story")
    parser.add_argument(
        "--medtrace", default=f"{shlex.quote(sys.executable)} -m medtrace", help="the command"
    )
    args = parser.parse_args(argv)
    shown = build(args.dest.resolve(), shlex.split(args.medtrace))
    print(shown["release"], end="")
    print(shown["diff.md"], end="")
    print(f"the story is in {args.dest}; outputs in {args.dest / 'build' / 'story-out'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
