"""The manifest of a release folder, its deterministic archive, and their verification.

``manifest.json`` lists the SHA-256 and size of every other file of the folder; the archive
holds the folder as ``release-VERSION/...`` with sorted entries, fixed times (1980-01-01),
owners and modes, and no time in the gzip header, so the same folder always gives the same
bytes. :func:`verify_release` recomputes every digest of a folder or an archive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

from medtrace import __version__
from medtrace.diagnostics import Diagnostic
from medtrace.errors import UsageError
from medtrace.vcs.codes import RELEASE_TAMPERED

__all__ = ["FIXED_MTIME", "MANIFEST", "archive_of", "listing", "manifest_of", "verify_release"]

MANIFEST = "manifest.json"
#: Modification time of every archive entry (1980-01-01, the earliest a zip can hold).
FIXED_MTIME = 315532800


def listing(folder: Path) -> list[str]:
    """Every file under ``folder`` (POSIX, sorted); a link or a special file is an error."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise UsageError(f"{path}: not a regular file; a release holds regular files only")
        if path.is_file():
            out.append(path.relative_to(folder).as_posix())
    return sorted(out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_of(folder: Path, files: list[str], about: dict[str, str | None]) -> str:
    """``manifest.json`` for ``files`` of ``folder``, with what the release is (``about``)."""
    entries = {
        rel: {"sha256": _sha256(folder / rel), "bytes": (folder / rel).stat().st_size}
        for rel in files
    }
    doc = {"medtrace": __version__, "release": about, "algorithm": "sha256", "files": entries}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def archive_of(folder: Path, name: str, kind: str) -> bytes:
    """The folder as ``name/...`` in a deterministic archive: sorted entries, fixed times."""
    files = {f"{name}/{rel}": (folder / rel).read_bytes() for rel in listing(folder)}
    return _zip(files) if kind == "zip" else _tar_gz(files)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def _tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


_LINK = "a symbolic link"
_SPECIAL = "not a regular file"


# @implements SRS-281
def verify_release(path: Path) -> tuple[list[Diagnostic], int]:
    """Every difference between a release (its folder, or its archive) and the manifest it
    holds: a file changed, missing, added or not a regular file; and the number of files the
    manifest lists."""
    expected_manifest = "a manifest.json written by medtrace release"
    try:
        manifest, digests = _archive_digests(path) if path.is_file() else _folder_digests(path)
        data = json.loads(manifest)
        expected = {str(rel): str(entry["sha256"]) for rel, entry in data["files"].items()}
    except OSError as exc:
        problem = f"{MANIFEST} cannot be read: {exc.strerror or exc}"
        return [_tampered(path, problem, expected_manifest)], 0
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        return [_tampered(path, f"the archive cannot be read: {exc}", expected_manifest)], 0
    except (ValueError, TypeError, KeyError, AttributeError):
        return [_tampered(path, f"{MANIFEST} is not a release manifest", expected_manifest)], 0
    found = [
        _tampered(path, problem, wanted, rel)
        for rel in sorted(set(expected) | set(digests))
        for problem, wanted in _difference(rel, expected.get(rel), digests.get(rel))
    ]
    return found, len(expected)


def _difference(rel: str, expected: str | None, digest: str | None) -> list[tuple[str, str]]:
    if digest is None:
        return [(f"{rel} is missing", "every file the manifest lists")]
    if expected is None:
        return [(f"{rel} was added", "only the files the manifest lists")]
    if digest in (_LINK, _SPECIAL):
        return [(f"{rel} is {digest}", "a regular file")]
    if digest != expected:
        return [(f"{rel} was changed: its SHA-256 differs", "the SHA-256 of the manifest")]
    return []


def _folder_digests(folder: Path) -> tuple[bytes, dict[str, str]]:
    """The manifest of a release folder, and every other entry's SHA-256 (or what it is)."""
    manifest = (folder / MANIFEST).read_bytes()
    out = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = _LINK
        elif path.is_file():
            out[rel] = _sha256(path)
        elif not path.is_dir():
            out[rel] = _SPECIAL
    out.pop(MANIFEST, None)
    return manifest, out


def _archive_digests(archive: Path) -> tuple[bytes, dict[str, str]]:
    """The same for an archive (``.tar.gz`` or ``.zip``) holding one ``release-*/`` folder."""
    entries: dict[str, bytes | None] = {}
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    entries[info.filename] = z.read(info)
    else:
        with tarfile.open(archive) as t:
            for member in t.getmembers():
                if member.isfile():
                    f = t.extractfile(member)
                    entries[member.name] = f.read() if f is not None else None
                elif not member.isdir():
                    entries[member.name] = None
    inside = {name.partition("/")[2] or name: data for name, data in entries.items()}
    manifest = inside.pop(MANIFEST, None)
    if manifest is None:
        raise FileNotFoundError(f"no {MANIFEST} in {archive.name}")
    out = {
        rel: _SPECIAL if data is None else hashlib.sha256(data).hexdigest()
        for rel, data in inside.items()
    }
    return manifest, out


def _tampered(where: Path, found: str, expected: str, rel: str = MANIFEST) -> Diagnostic:
    return RELEASE_TAMPERED(
        found,
        expected=expected,
        hint="restore the release from its archive or from where it was filed; a release record "
        "is never edited",
        path=(where / rel).as_posix(),
    )
