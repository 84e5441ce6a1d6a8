"""The pre-rendered checklist HTML (build_tools.checklist): complete, grouped, safe, labelled.

The page must work before any script runs, and its data-* attributes are the contract the
scripts and the end-to-end tests rely on (ARCHITECTURE.md §6).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from build_tools.checklist import render_checklist
from build_tools.checklist_data import LIST_LIMIT
from build_tools.checklist_tags import (
    BODY_SCRIPTS,
    ENGINE_STARTER,
    ENGINE_WORKER,
    MANIFEST_ATTRIBUTE,
    STYLES,
    body_tags,
    head_tags,
    inline_script,
    style_tags,
)
from kcm_core.assessment import MAX_DATE, MAX_FIELD_CHARS, MAX_REMARK_CHARS, MIN_DATE
from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_FILE = ROOT / "rubric" / "klantcontact.json"
ASSETS = ROOT / "docs"

VOID = {"input", "br", "hr", "img", "meta", "link", "source", "wbr", "area", "col", "embed"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | None) -> list[Node]:
        """Descendants with ``tag`` whose attributes match (None: attribute present at all)."""
        found = []
        for node in self.iter():
            if node is self or (tag is not None and node.tag != tag):
                continue
            if all(
                (key in node.attrs) if value is None else node.attrs.get(key) == value
                for key, value in ((k.replace("_", "-"), v) for k, v in attrs.items())
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str | None) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one {tag} {attrs}, found {len(found)}"
        return found[0]

    def all_text(self) -> str:
        return "".join(n for node in self.iter() for n in node.text)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.text.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root


def load_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    return data


def rubric_block(page: Node) -> Any:
    """The rubric data block the scripts read (build_tools.checklist_data)."""
    block = page.find("script", id="kcm-rubric-data")
    assert block.attrs["type"] == "application/json"
    return json.loads("".join(block.text))


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return Rubric.from_data(load_data())


@pytest.fixture(scope="module")
def page(rubric: Rubric) -> Node:
    return parse(render_checklist(rubric))


def test_every_criterion_is_rendered_once_in_rubric_order(rubric: Rubric, page: Node) -> None:
    rows = page.find_all("li", data_criterion_id=None)
    assert [r.attrs["data-criterion-id"] for r in rows] == list(rubric.criterion_ids())
    assert len(rows) == 37


def test_criteria_are_grouped_as_on_the_form(rubric: Rubric, page: Node) -> None:
    def numbered(parts: list[Node], heading: str) -> dict[str, Node]:
        # Onderdelen and processen are known by the number in their heading, as on paper.
        found = {}
        for part in parts:
            (number,) = part.find(heading).find_all("span", **{"class": "kcm-num"})
            found["".join(number.text)] = part
        return found

    for eindterm in rubric.eindtermen:
        section = page.find("section", id=f"kcm-eindterm-{eindterm.id}")
        assert eindterm.title in section.find("h2").all_text()
        assert eindterm.text in section.all_text()
        parts = numbered(section.find_all("section", **{"class": "kcm-onderdeel"}), "h3")
        assert list(parts) == [o.id for o in eindterm.onderdelen]
        for onderdeel in eindterm.onderdelen:
            part = parts[onderdeel.id]
            assert onderdeel.text in part.find("h3").all_text()
            blocks = numbered(part.find_all("div", **{"class": "kcm-proces"}), "h4")
            assert list(blocks) == [p.id for p in onderdeel.processen]
            for proces in onderdeel.processen:
                block = blocks[proces.id]
                assert proces.text in block.find("h4").all_text()
                ids = [r.attrs["data-criterion-id"] for r in block.find_all("li")]
                assert ids == [c.id for c in proces.criteria]
                for criterion in proces.criteria:
                    row = block.find("li", data_criterion_id=criterion.id)
                    check = row.find("input", data_role="checked")
                    (label,) = [
                        n for n in row.find_all("label") if n.attrs.get("for") == check.attrs["id"]
                    ]
                    # The form's text, verbatim, is the checkbox's label.
                    assert criterion.text in label.all_text()


def test_each_criterion_has_a_checkbox_a_remark_and_na_only_where_allowed(
    rubric: Rubric, page: Node
) -> None:
    for criterion in rubric.criteria():
        row = page.find("li", data_criterion_id=criterion.id)
        check = row.find("input", data_role="checked")
        assert check.attrs["type"] == "checkbox"
        remark = row.find("textarea", data_role="remark")
        assert remark.attrs["maxlength"] == str(MAX_REMARK_CHARS)
        na = row.find_all("input", data_role="na")
        assert len(na) == (1 if criterion.allow_na and not criterion.critical else 0)


def test_header_fields_conditions_and_results_are_there(rubric: Rubric, page: Node) -> None:
    for f in rubric.fields:
        control = page.find("input", data_field_id=f.id)
        assert control.attrs["type"] == ("date" if f.type == "date" else "text")
        assert ("required" in control.attrs) == f.required
        if f.type == "text":
            assert control.attrs["maxlength"] == str(MAX_FIELD_CHARS)
        else:
            # The browser then takes only the dates kcm_core accepts (a year of four digits).
            assert (control.attrs["min"], control.attrs["max"]) == (MIN_DATE, MAX_DATE)
    for option in ("inbound", "outbound"):
        box = page.find("input", data_condition_id="gesprekstype", value=option)
        assert box.attrs["type"] == "checkbox"  # both call types may hold
    for eindterm in rubric.eindtermen:
        page.find(None, data_outcome_id=eindterm.id)
        page.find("textarea", data_remark_id=eindterm.id)
    page.find(None, data_result="overall")
    page.find("textarea", data_remark_id="")


def test_each_fold_button_controls_what_it_folds(rubric: Rubric, page: Node) -> None:
    """Every fold of the live call (folds.js) is a button that names what it folds
    (aria-controls): a row's remark, an Eindterm's description and remark, "Gegevens beheren"."""

    def controlled(button: Node) -> Node:
        assert button.tag == "button"
        assert "aria-expanded" in button.attrs
        return page.find(None, id=button.attrs["aria-controls"])

    for criterion in rubric.criteria():
        row = page.find("li", data_criterion_id=criterion.id)
        box = controlled(row.find("button", data_action="remark"))
        box.find("textarea", data_role="remark")
        # The tools come before the text (on a phone they float at its right), after the
        # checkbox: the keyboard reaches the checkbox first.
        order = [n for n in row.iter() if n.tag in ("input", "button", "label")]
        assert order[0].attrs.get("data-role") == "checked"
        assert order[1].attrs.get("data-action") == "remark"
    for eindterm in rubric.eindtermen:
        section = page.find("section", id=f"kcm-eindterm-{eindterm.id}")
        text = controlled(section.find("button", data_action="eindterm-text"))
        assert text.all_text() == eindterm.text
        remark = controlled(section.find("button", data_action="eindterm-remark"))
        remark.find("textarea", data_remark_id=eindterm.id)
    body = controlled(page.find("button", data_action="toggle-data"))
    for action in ("export-all-json", "export-all-csv", "delete-all"):
        body.find("button", data_action=action)
    body.find("input", data_action="import")
    # "Beveiliging en opruimen" folds on its own (a <details>), outside this fold.
    assert not body.find_all(None, data_privacy=None)
    page.find("details", data_privacy=None)


@pytest.mark.parametrize(
    "action",
    [
        "new-assessment",
        "finalize",
        "export-json",
        "export-csv",
        "print",
        "delete-all",
        "export-all-json",
        "export-all-csv",
        "reopen",
        "show-all",
    ],
)
def test_contract_actions_exist_once(page: Node, action: str) -> None:
    page.find(None, data_action=action)


def test_the_list_shows_the_newest_at_first_and_offers_a_name_filter(page: Node) -> None:
    # With hundreds stored, rendering every item would cost more than the rest of the page.
    page.find("ul", data_assessment_list=None)
    assert rubric_block(page)["limits"]["listLimit"] == LIST_LIMIT
    # Hidden until there are more than fit: app.js shows them.
    tools = page.find("div", data_list_tools=None)
    assert "hidden" in tools.attrs
    assert tools.find("input", data_list_filter=None).attrs["type"] == "search"
    assert "hidden" in page.find("button", data_action="show-all").attrs


def test_import_is_a_json_file_input(page: Node) -> None:
    control = page.find("input", data_action="import")
    assert control.attrs["type"] == "file"
    assert "application/json" in control.attrs["accept"]


def in_template(node: Node) -> bool:
    """Inside a <template>: inert markup that a script copies (and labels) before use."""
    parent = node.parent
    while parent is not None:
        if parent.tag == "template":
            return True
        parent = parent.parent
    return False


def test_every_control_has_a_label(page: Node) -> None:
    labels = {n.attrs["for"] for n in page.find_all("label") if "for" in n.attrs}
    controls = page.find_all("input") + page.find_all("textarea") + page.find_all("select")
    assert controls
    for control in (c for c in controls if not in_template(c)):
        assert control.attrs.get("id") in labels, f"no label for {control.attrs}"
    for button in page.find_all("button"):
        assert button.all_text().strip(), f"button without text: {button.attrs}"


def test_ids_are_unique_and_label_targets_exist(page: Node) -> None:
    ids = [n.attrs["id"] for n in page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for label in page.find_all("label"):
        if "for" in label.attrs:
            assert label.attrs["for"] in ids


def test_rubric_identity_is_on_the_page(rubric: Rubric, page: Node) -> None:
    app = page.find("div", data_kcm_app=None)
    data = rubric_block(app)
    assert (data["id"], data["version"]) == (rubric.id, rubric.version)
    assert data["sha256"] == rubric_sha256(rubric)
    assert app.attrs["data-engine-base"] == "../engine/"


@pytest.mark.parametrize(
    ("site_root", "engine"), [("../", "../engine/"), ("../../", "../../engine/")]
)
def test_engine_location_follows_the_page_depth(
    rubric: Rubric, site_root: str, engine: str
) -> None:
    app = parse(render_checklist(rubric, site_root=site_root)).find("div", data_kcm_app=None)
    assert app.attrs["data-engine-base"] == engine


def test_no_inline_script_handler_or_style(page: Node) -> None:
    # The site's Content-Security-Policy allows none of these. The one script element is the
    # rubric's data block, which browsers never run.
    assert [s.attrs.get("type") for s in page.find_all("script")] == ["application/json"]
    assert not page.find_all("style")
    for node in page.iter():
        for name in node.attrs:
            assert not name.startswith("on"), f"inline handler {name} on <{node.tag}>"
            assert name != "style", f"inline style on <{node.tag}>"


HOSTILE = '<script>alert("x")</script> & "quotes" \'single\' <img src=x onerror=alert(1)>'


def hostile_rubric() -> Rubric:
    data = copy.deepcopy(load_data())
    data["title"] = HOSTILE
    data["fields"][0]["label"] = HOSTILE
    data["conditions"][0]["options"][0]["label"] = HOSTILE
    eindterm = data["eindtermen"][0]
    eindterm["title"] = HOSTILE
    eindterm["text"] = HOSTILE
    eindterm["onderdelen"][0]["text"] = HOSTILE
    eindterm["onderdelen"][0]["processen"][0]["text"] = HOSTILE
    eindterm["onderdelen"][0]["processen"][0]["criteria"][0]["text"] = HOSTILE
    return Rubric.from_data(data)


def test_rubric_text_is_escaped_never_markup() -> None:
    html = render_checklist(hostile_rubric())
    tree = parse(html)
    # The one script element is the data block, and the hostile text is data inside it.
    assert [s.attrs.get("type") for s in tree.find_all("script")] == ["application/json"]
    assert not tree.find_all("img")
    assert HOSTILE in tree.all_text()
    assert rubric_block(tree)["title"] == HOSTILE


def test_a_critical_criterion_is_marked_and_never_offers_na() -> None:
    data = copy.deepcopy(load_data())
    criterion = data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][2]
    assert criterion["allow_na"] is True
    criterion["critical"] = True
    row = parse(render_checklist(Rubric.from_data(data))).find(
        "li", data_criterion_id=criterion["id"]
    )
    assert not row.find_all("input", data_role="na")
    assert "knock-out" in row.all_text()


def test_a_single_choice_condition_uses_radio_buttons() -> None:
    data = copy.deepcopy(load_data())
    data["conditions"][0]["multiple"] = False
    tree = parse(render_checklist(Rubric.from_data(data)))
    boxes = tree.find_all("input", data_condition_id="gesprekstype")
    assert {b.attrs["type"] for b in boxes} == {"radio"}
    assert len({b.attrs["name"] for b in boxes}) == 1


def test_the_outbound_only_criterion_says_so_in_its_label(page: Node) -> None:
    # The assessor sees during the call which criteria depend on the call type, in the same
    # words as the Eindterm pages.
    row = page.find("li", data_criterion_id="2.4.1.b")
    check = row.find("input", data_role="checked")
    (label,) = [n for n in row.find_all("label") if n.attrs.get("for") == check.attrs["id"]]
    assert "Alleen bij outbound gesprekken" in label.all_text()
    others = [r for r in page.find_all("li", data_criterion_id=None) if r is not row]
    assert not any("Alleen bij" in r.all_text() for r in others)


STARTER_CODE = (ASSETS / ENGINE_STARTER).read_text(encoding="utf-8")


def test_engine_starter_is_inline_and_names_the_engine_and_its_worker() -> None:
    head = head_tags(STARTER_CODE, "../")
    # Inline: the worker starts without waiting for a request of its own.
    starters = re.findall(
        r'<script data-engine-base="([^"]+)" data-engine-worker="([^"]+)">(.*?)</script>',
        head,
        re.S,
    )
    assert starters == [("../engine/", "../" + ENGINE_WORKER, inline_script(STARTER_CODE))]
    assert "new Worker(" in starters[0][2]
    assert head.index("<script") < head.index("<link")


MANIFEST = {
    "base": "0123456789abcdef/",
    "lock": "0123456789abcdef/pyodide-lock.json",
    "x": "<'&\">",
}


def starter_manifest(page: str) -> object:
    tag = parse(page).find("script", data_engine_base=None)
    return json.loads(tag.attrs[MANIFEST_ATTRIBUTE])


def test_engine_manifest_goes_on_the_starter_and_reads_back_unchanged() -> None:
    page = f"<head>{head_tags(STARTER_CODE, '../', MANIFEST)}</head><body>x</body>"
    assert starter_manifest(page) == MANIFEST
    # Only the attribute is new: the inline code (and so its CSP hash) is the same as without.
    assert inline_script(STARTER_CODE) in page
    plain = head_tags(STARTER_CODE, "../")
    assert f' {MANIFEST_ATTRIBUTE}="' not in plain
    assert page.count(inline_script(STARTER_CODE)) == plain.count(inline_script(STARTER_CODE))


@pytest.mark.parametrize(
    ("code", "inlined"),
    [
        ("// only a comment\nrun();\n", "run();\n"),
        (
            "  // indented comment\n\n  a();\n  b(); // kept: code before it\n",
            "  a();\n  b(); // kept: code before it\n",
        ),
        ('const url = "http://x";\n', 'const url = "http://x";\n'),
    ],
)
def test_inline_script_drops_whole_line_comments_only(code: str, inlined: str) -> None:
    assert inline_script(code) == inlined


@pytest.mark.parametrize("code", ['a("</script>");', "a('</SCRIPT ');", "// x\n<!-- y"])
def test_inline_script_refuses_code_that_would_end_the_element(code: str) -> None:
    with pytest.raises(ValueError, match="cannot be inlined"):
        inline_script(code)


def test_asset_tags_point_at_existing_files_in_load_order() -> None:
    head = head_tags(STARTER_CODE, "../")
    # The stylesheet and the body scripts are preloaded from the top of <head>.
    assert re.findall(r'<link rel="preload" as="script" href="\.\./([^"]+)">', head) == list(
        BODY_SCRIPTS
    )
    assert re.findall(r'<link rel="preload" as="style" href="\.\./([^"]+)">', head) == list(STYLES)
    # Plain (parser-blocking) scripts in order: each needs the one before it, and all of them the
    # checklist HTML that they follow.
    sources = re.findall(r'<script src="\.\./([^"]+)"></script>', body_tags("../"))
    assert tuple(sources) == BODY_SCRIPTS
    assert sources[-1].endswith("app.js"), "app.js needs store.js and assessment.js first"
    styles = re.findall(r'<link rel="stylesheet" href="\.\./([^"]+)">', style_tags("../"))
    assert tuple(styles) == STYLES
    for path in (ENGINE_STARTER, ENGINE_WORKER, *BODY_SCRIPTS, *STYLES):
        assert (ASSETS / path).is_file(), path


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("maxFieldChars", MAX_FIELD_CHARS),
        ("maxRemarkChars", MAX_REMARK_CHARS),
        ("minDate", MIN_DATE),
        ("maxDate", MAX_DATE),
    ],
)
def test_the_browser_cuts_text_at_the_limits_of_kcm_core(
    page: Node, name: str, value: int | str
) -> None:
    # assessment.js cuts what it stores at the limits of the page's rubric data block, and
    # stores no date outside the dates kcm_core accepts.
    assert rubric_block(page)["limits"][name] == value
    source = (ASSETS / "assets" / "kcm" / "assessment.js").read_text(encoding="utf-8")
    assert f"limits.{name}" in source
