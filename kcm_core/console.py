"""Writing reports to a terminal without ever ending in a traceback."""

from __future__ import annotations

from typing import TextIO


def write(stream: TextIO, text: str) -> None:
    """Write ``text``; characters the terminal's encoding lacks (a name with "ë" on an ASCII
    console) are shown as escapes instead of raising UnicodeEncodeError halfway a report."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
