"""Office files that are the same bytes for the same content.

openpyxl stamps the time of saving into a workbook twice: in each zip entry's header and in
``docProps/core.xml`` (created, modified). Two workbooks of the same project then differ, and a
release archive holding them is not reproducible. :func:`stable_zip` rewrites the archive with
fixed entry times and the document times set to ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention) when it is set, else to the start of 1980 like the entries.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

__all__ = ["stable_zip"]

_EPOCH_1980 = (1980, 1, 1, 0, 0, 0)
_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stamp() -> bytes:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime(*_EPOCH_1980, tzinfo=dt.UTC)
    )
    return when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


# @implements SRS-287
def stable_zip(data: bytes) -> bytes:
    """``data`` (a zip archive) with its entries in the same order, fixed entry times and, in
    ``docProps/core.xml``, fixed document times."""
    stamp = _stamp()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename == "docProps/core.xml":
                body = _TIMES.sub(lambda m: m.group(1) + stamp + m.group(2), body)
            info = zipfile.ZipInfo(entry.filename, date_time=_EPOCH_1980)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, body)
    return out.getvalue()
