"""Rubric version numbers compare as numbers (semver order) and bump as ``kcm new-version`` does."""

from __future__ import annotations

import pytest

from kcm_core.rubric_version import Bump, parse_version


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("1.9.0", "1.10.0"),
        ("1.0.9", "1.0.10"),
        ("1.99.99", "2.0.0"),
        ("1.1.0-concept", "1.1.0"),
        ("1.1.0-alpha", "1.1.0-alpha.1"),
        ("1.1.0-alpha.2", "1.1.0-alpha.10"),
        ("1.1.0-2", "1.1.0-alpha"),
    ],
)
def test_versions_compare_by_their_numbers_not_as_text(older: str, newer: str) -> None:
    assert parse_version(newer).is_newer_than(parse_version(older))
    assert not parse_version(older).is_newer_than(parse_version(newer))


def test_build_metadata_does_not_make_a_version_newer() -> None:
    a, b = parse_version("1.0.0+a"), parse_version("1.0.0+b")
    assert a.precedence() == b.precedence()
    assert not a.is_newer_than(b)
    assert not b.is_newer_than(a)


@pytest.mark.parametrize("text", ["1.0.0", "1.10.3-rc.1+build.5", "0.0.1-concept"])
def test_text_survives_parsing(text: str) -> None:
    assert str(parse_version(text)) == text


@pytest.mark.parametrize("text", ["1.0", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0 ", ""])
def test_what_is_no_version_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a version number"):
        parse_version(text)


@pytest.mark.parametrize(
    ("version", "part", "bumped"),
    [
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.1.0-concept+x", "minor", "1.2.0"),
    ],
)
def test_bumping_raises_one_number_and_resets_the_ones_after_it(
    version: str, part: Bump, bumped: str
) -> None:
    assert str(parse_version(version).bumped(part)) == bumped
