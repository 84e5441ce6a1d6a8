"""The GitHub Actions workflow cannot run here; check that it is valid and does what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflow_validates_tests_and_builds_with_make_site_in_that_order() -> None:
    build = load()["jobs"]["build"]
    assert runs(build) == ["make validate", ".ci/run", "make site"]


def test_workflow_publishes_the_site_folder_to_pages_from_main_only() -> None:
    data = load()
    # YAML 1.1 reads a bare `on` as true.
    triggers: dict[str, Any] = data["on"] if "on" in data else data[True]
    assert triggers["push"]["branches"] == ["main"]
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    (upload,) = [s for s in build["steps"] if str(s.get("uses")).startswith("actions/upload-pages")]
    assert upload["with"]["path"] == "site"
    assert uses(deploy) == ["actions/deploy-pages"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # Everything else only reads.
    assert data["permissions"] == {"contents": "read"}
    assert build["permissions"] == {"contents": "read", "pages": "read"}


def test_the_build_knows_the_published_address_for_its_404_page() -> None:
    build = load()["jobs"]["build"]
    (make_site,) = [s for s in build["steps"] if s.get("run") == "make site"]
    assert make_site["env"]["KCM_SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "actions/configure-pages" in uses(build)


def test_every_action_is_pinned_to_a_version() -> None:
    for job in load()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                name, _, version = step["uses"].partition("@")
                assert version, name
