"""A rubric's version number: reading, comparing and raising it.

A rubric's ``version`` is a semantic version (``MAJOR.MINOR.PATCH``, optionally with a
pre-release such as ``1.1.0-concept`` and build metadata such as ``+2026``), the pattern of
``rubric/schema.json``. Versions compare by their numbers, not as text: ``1.10.0`` is newer than
``1.9.0``, which a string comparison gets wrong. The order is the one of semver.org §11: a
pre-release comes before its release (``1.1.0-concept`` < ``1.1.0``), and build metadata does not
count (``1.0.0+a`` and ``1.0.0+b`` are equally new, though not the same text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["BUMP_PARTS", "Bump", "Version", "parse_version"]

Bump = Literal["major", "minor", "patch"]
BUMP_PARTS: Final[tuple[Bump, ...]] = ("major", "minor", "patch")

# The schema's pattern (rubric/schema.json, $defs.version), with groups to take it apart.
_NUMBER = r"0|[1-9][0-9]*"
_IDENTIFIER = rf"{_NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*"
_VERSION = re.compile(
    rf"(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>(?:{_IDENTIFIER})(?:\.(?:{_IDENTIFIER}))*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)

# How a pre-release identifier sorts: numbers before words, numbers by value, words as text.
type _PreKey = tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Version:
    """A parsed version number; ``str()`` gives the text back exactly."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str = ""

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + self.build
        return text

    def precedence(self) -> tuple[int, int, int, int, _PreKey]:
        """A key that sorts versions from old to new (semver.org §11); build metadata is left
        out, so two versions that differ only there have the same key."""
        # A release (no pre-release) sorts after every pre-release of the same numbers.
        release = 1 if not self.prerelease else 0
        pre: _PreKey = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease
        )
        return (self.major, self.minor, self.patch, release, pre)

    def is_newer_than(self, other: Version) -> bool:
        return self.precedence() > other.precedence()

    def bumped(self, part: Bump) -> Version:
        """The next version: ``1.4.2`` gives ``2.0.0``, ``1.5.0`` or ``1.4.3``. A pre-release
        of the bumped numbers is left behind (``1.1.0-concept`` with ``minor`` gives ``1.2.0``)."""
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)


def parse_version(text: str) -> Version:
    """The version in ``text`` (``"1.10.0"``); ``ValueError`` when it is not one."""
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a version number: {text!r}")
    pre = match.group("pre")
    return Version(
        int(match.group("major")),
        int(match.group("minor")),
        int(match.group("patch")),
        tuple(pre.split(".")) if pre else (),
        match.group("build") or "",
    )
