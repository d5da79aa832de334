"""Line numbers of packages in a parsed file, found in one forward pass over its text."""

from __future__ import annotations

import bisect

__all__ = ["LineFinder"]


class LineFinder:
    """Finds the line of each needle; packages mostly come in file order, so a search starts
    where the previous one ended and wraps round once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)
        self.pos = 0

    def line(self, *needles: str) -> int:
        for needle in needles:
            at = self.text.find(needle, self.pos)
            if at == -1:
                at = self.text.find(needle)
            if at != -1:
                self.pos = at + len(needle)
                return bisect.bisect_right(self.starts, at)
        return 0
