"""The generators of build_tools.pages: rubric model in, Markdown out. No MkDocs build here."""

from __future__ import annotations

import copy
import functools
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools import pages
from kcm_core.model import AppliesWhen, Rubric, ScoringRule
from kcm_core.rubric_load import load_rubric_file

REPO_ROOT = Path(__file__).resolve().parents[2]
KCM_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"


def kcm_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(KCM_RUBRIC.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def kcm() -> Rubric:
    return load_rubric_file(KCM_RUBRIC)


@functools.cache
def _site_markdown() -> markdown.Markdown:
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, str):
            names.append(entry)
        else:
            ((name, options),) = entry.items()
            names.append(name)
            configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with exactly the extensions of mkdocs.yml (made once, reset per use)."""
    md: markdown.Markdown = _site_markdown().reset()
    return md


class _Ids(HTMLParser):
    """Element ids and, per id, the text inside that element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id")
        if element_id is not None:
            self.ids.append(element_id)
            self.text[element_id] = ""
        self._open.append((tag, element_id))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id is not None:
                self.text[element_id] += data


def parse_ids(markup: str) -> _Ids:
    parser = _Ids()
    parser.feed(markup)
    parser.close()
    return parser


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- escaping -----------------------------------------------------------------------------------

# Rubric text is data: whatever it holds must come out of Markdown as the same text, never as
# emphasis, a link, a heading, a list or a tag.
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
    min_size=1,
    max_size=60,
)


# No deadline: the machine is shared, and a slow example is not a wrong one.
@settings(deadline=None)
@given(text=_TEXT)
def test_escaped_markdown_renders_as_the_literal_text(text: str) -> None:
    expected = normalise(text)
    if not expected:
        return
    rendered = site_markdown().convert(pages.md_escape(text))
    assert rendered.startswith("<p>")
    assert rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner  # no tag of any kind
    assert html.unescape(inner) == expected


@pytest.mark.parametrize(
    "text",
    [
        "*vet* en _schuin_",
        "[link](https://example.org)",
        "# geen kop",
        "1. geen lijst",
        "<script>alert(1)</script>",
        "a | b | c",
        "!!! note",
        "`code`",
        "&amp; blijft &amp;",
        "{: .klasse }",
    ],
)
def test_escaped_markdown_examples_stay_literal(text: str) -> None:
    rendered = site_markdown().convert(pages.md_escape(text))
    assert html.unescape(re.sub(r"^<p>|</p>$", "", rendered)) == text


def test_criterion_text_with_markup_is_escaped_on_the_eindterm_page(kcm: Rubric) -> None:
    data = kcm_data()
    data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][0]["text"] = (
        '<img src=x onerror="alert(1)"> & *niet vet*'
    )
    rubric = Rubric.from_data(data)
    page = pages.eindterm_page(rubric, rubric.eindtermen[0])
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; *niet vet*" in page


@pytest.mark.parametrize("bad_id", ["2 4", "../x", "<b>", "", ".1", "a/b", 'x"y'])
def test_unsafe_ids_are_refused_before_they_reach_a_url(bad_id: str) -> None:
    with pytest.raises(pages.PageError, match="cannot be used in a URL"):
        pages.safe_id(bad_id, "criterion")


# --- Dutch text helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(0.8, "80"), (0.75, "75"), (0.755, "75,5"), (1.0, "100"), (0.7, "70"), (0.005, "0,5")],
)
def test_percentages_are_exact_with_a_dutch_decimal_comma(fraction: float, shown: str) -> None:
    assert pages.percentage(fraction) == shown


@pytest.mark.parametrize(
    ("items", "joined"),
    [([], ""), (["a"], "a"), (["a", "b"], "a of b"), (["a", "b", "c"], "a, b of c")],
)
def test_lists_are_joined_the_dutch_way(items: list[str], joined: str) -> None:
    assert pages.join_dutch(items, "of") == joined


@pytest.mark.parametrize(
    ("text", "lowered"),
    [("Soort gesprek", "soort gesprek"), ("KCM-gesprek", "KCM-gesprek"), ("A4", "A4"), ("", "")],
)
def test_only_ordinary_capitals_are_lowered(text: str, lowered: str) -> None:
    assert pages.lower_first(text) == lowered


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        (ScoringRule("all"), "Alle criteria die van toepassing zijn, moeten behaald zijn."),
        (
            ScoringRule("min_count", min_count=3),
            "Minstens 3 van de criteria die van toepassing zijn, moeten behaald zijn.",
        ),
        (
            ScoringRule("min_count", min_count=1),
            "Minstens 1 criterium dat van toepassing is, moet behaald zijn.",
        ),
        (
            ScoringRule("min_fraction", min_fraction=0.8),
            "Minstens 80 procent van de criteria die van toepassing zijn, moet behaald zijn.",
        ),
    ],
)
def test_each_scoring_rule_reads_as_one_dutch_sentence(rule: ScoringRule, sentence: str) -> None:
    assert pages.rule_sentence(rule) == sentence


def test_a_condition_uses_the_rubrics_applies_text(kcm: Rubric) -> None:
    outbound = pages.condition_phrase(kcm, AppliesWhen("gesprekstype", ("outbound",)))
    both = pages.condition_phrase(kcm, AppliesWhen("gesprekstype", ("inbound", "outbound")))
    assert outbound == "Alleen bij outbound gesprekken"
    assert both == "Alleen bij inbound gesprekken of outbound gesprekken"


def test_without_applies_text_a_condition_names_the_situation_and_its_options() -> None:
    data = kcm_data()
    for option in data["conditions"][0]["options"]:
        del option["applies_text"]
    rubric = Rubric.from_data(data)
    outbound = pages.condition_phrase(rubric, AppliesWhen("gesprekstype", ("outbound",)))
    both = pages.condition_phrase(rubric, AppliesWhen("gesprekstype", ("inbound", "outbound")))
    assert outbound == "Alleen bij soort gesprek: outbound (de medewerker belt de klant)"
    assert both == (
        "Alleen bij soort gesprek: inbound (de klant belt) of "
        "outbound (de medewerker belt de klant)"
    )


# --- Eindterm pages -------------------------------------------------------------------------------


def test_every_criterion_has_its_id_as_anchor_and_its_text_inside(kcm: Rubric) -> None:
    for eindterm in kcm.eindtermen:
        found = parse_ids(pages.eindterm_page(kcm, eindterm))
        for criterion in eindterm.criteria():
            assert found.ids.count(criterion.id) == 1
            assert normalise(criterion.text) in normalise(found.text[criterion.id])


def test_only_conditional_criteria_carry_a_condition_note(kcm: Rubric) -> None:
    found = parse_ids(pages.eindterm_page(kcm, kcm.eindtermen[1]))
    noted = {cid for cid, text in found.text.items() if "Alleen bij outbound gesprekken" in text}
    assert noted == {"2.4.1.b"}


def test_critical_and_na_criteria_are_marked(kcm: Rubric) -> None:
    data = kcm_data()
    data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][1]["critical"] = True
    rubric = Rubric.from_data(data)
    found = parse_ids(pages.eindterm_page(rubric, rubric.eindtermen[0]))
    assert "knock-out" in found.text["1.1.1.b"]
    assert "n.v.t." in found.text["1.1.1.c"]  # allow_na in the KCM rubric
    assert "knock-out" not in found.text["1.1.1.a"]
    assert "n.v.t." not in found.text["1.1.1.a"]


def test_the_eindterm_page_states_its_own_rule(kcm: Rubric) -> None:
    data = kcm_data()
    data["eindtermen"][1]["scoring"] = {"rule": "min_count", "min_count": 20}
    rubric = Rubric.from_data(data)
    assert "Minstens 20 van de criteria" in pages.eindterm_page(rubric, rubric.eindtermen[1])
    assert "Alle criteria die van" in pages.eindterm_page(rubric, rubric.eindtermen[0])


# --- "Zo wordt beoordeeld" ------------------------------------------------------------------------


def scoring_line(page: str, title: str) -> str:
    (line,) = [line for line in page.splitlines() if line.startswith(f"- **[{title}]")]
    return line


def test_scoring_page_shows_the_rule_and_the_count_kcm_core_requires(kcm: Rubric) -> None:
    data = kcm_data()
    data["eindtermen"][1]["scoring"] = {"rule": "min_fraction", "min_fraction": 0.8}
    rubric = Rubric.from_data(data)
    page = pages.scoring_page(rubric)
    # 26 criteria x 0.8 = 20.8: kcm_core.scoring rounds up to 21.
    assert scoring_line(page, "Eindterm 2") == (
        "- **[Eindterm 2](eindterm-2.md)**, 26 criteria. Minstens 80 procent van de criteria die "
        "van toepassing zijn, moet behaald zijn. Zijn alle 26 criteria van toepassing, dan zijn "
        "er 21 nodig."
    )
    assert "Alle criteria" in scoring_line(page, "Eindterm 1")
    assert "De gewone regel is: alle criteria" in page
    # 25 x 0.8 = 20 exactly: no rounding up when the product is whole.
    assert "percentage van 25 criteria: dat is 20." in page


def test_scoring_page_explains_a_fixed_count(kcm: Rubric) -> None:
    data = kcm_data()
    data["scoring"] = {"rule": "min_count", "min_count": 3}
    page = pages.scoring_page(Rubric.from_data(data))
    assert "dan zijn er 3 nodig" in scoring_line(page, "Eindterm 1")
    assert "Dan blijft dat aantal nodig, ook als er criteria n.v.t. zijn." in page
    assert "De gewone regel" not in page  # no Eindterm has its own rule


def test_scoring_page_lists_conditional_na_and_critical_criteria(kcm: Rubric) -> None:
    page = pages.scoring_page(kcm)
    conditional = page.split("## Criteria die alleen soms")[1].split("## Niet van toepassing")[0]
    manual_na = page.split("## Niet van toepassing")[1].split("## Criteria die altijd")[0]
    assert "(eindterm-2.md#2.4.1.b)" in conditional
    na_ids = {c.id for c in kcm.criteria() if c.allow_na}
    assert set(re.findall(r"\]\(eindterm-\d\.md#([\d.a-z]+)\)", manual_na)) == na_ids
    assert "Deze rubric heeft geen knock-outcriteria." in page

    data = kcm_data()
    data["eindtermen"][2]["onderdelen"][0]["processen"][0]["criteria"][0]["critical"] = True
    critical = pages.scoring_page(Rubric.from_data(data)).split("## Criteria die altijd")[1]
    assert "(eindterm-3.md#3.1.1.a)" in critical
    assert "geen knock-outcriteria" not in critical


def test_required_fields_and_conditions_are_named(kcm: Rubric) -> None:
    page = pages.scoring_page(kcm)
    assert (
        "als dit is ingevuld: Bedrijf, Naam Kandidaat, Datum, Geboortedatum Kandidaat en "
        "Soort gesprek." in page
    )


# --- the printable form -------------------------------------------------------------------------


def test_form_has_the_header_fields_and_one_box_per_criterion_in_order(kcm: Rubric) -> None:
    form = pages.form_page(kcm, checklist=True)
    fields = re.findall(r'data-form-field="([^"]+)"', form)
    rows = re.findall(r'<tr class="kcm-paper__row" data-criterion="([^"]+)"', form)
    assert fields == ["bedrijf", "naam_kandidaat", "datum", "geboortedatum_kandidaat"]
    assert rows == list(kcm.criterion_ids())
    assert form.count('class="kcm-paper__box"') == 37


def test_form_rowspans_cover_exactly_the_rows_of_onderdeel_and_proces(kcm: Rubric) -> None:
    form = pages.form_page(kcm, checklist=False)
    spans = {
        cls: [int(n) for n in re.findall(rf'class="kcm-paper__{cls}" rowspan="(\d+)"', form)]
        for cls in ("onderdeel", "proces")
    }
    assert spans["onderdeel"] == [
        sum(len(p.criteria) for p in o.processen) for e in kcm.eindtermen for o in e.onderdelen
    ]
    assert spans["proces"] == [
        len(p.criteria) for e in kcm.eindtermen for o in e.onderdelen for p in o.processen
    ]


def test_form_links_to_the_checklist_only_when_there_is_one(kcm: Rubric) -> None:
    assert "(checklist.md)" in pages.form_page(kcm, checklist=True)
    assert "checklist.md" not in pages.form_page(kcm, checklist=False)


# --- markers, navigation, schema tables ---------------------------------------------------------


def test_markers_are_replaced_and_unknown_ones_stop_the_build() -> None:
    text = "a\n<!-- kcm:een -->\nb <!--kcm:twee-->"
    assert pages.expand_markers(text, {"een": "1", "twee": "2"}, "x.md") == "a\n1\nb 2"
    with pytest.raises(pages.PageError, match=r"x\.md: unknown marker <!-- kcm:drie -->"):
        pages.expand_markers("<!-- kcm:drie -->", {"een": "1"}, "x.md")


def test_navigation_lists_every_generated_and_hand_written_page(kcm: Rubric) -> None:
    def sources(nav: list[Any]) -> list[str]:
        found: list[str] = []
        for entry in nav:
            for value in entry.values():
                found += sources(value) if isinstance(value, list) else [value]
        return found

    nav = sources(pages.site_nav(kcm, checklist=True))
    generated = set(pages.generated_pages(kcm, checklist=True))
    hand_written = {p.name for p in (REPO_ROOT / "docs").glob("*.md")}
    assert set(nav) == generated | hand_written
    assert not generated & hand_written
    assert pages.CHECKLIST_PAGE not in sources(pages.site_nav(kcm, checklist=False))
    assert pages.CHECKLIST_PAGE not in pages.generated_pages(kcm, checklist=False)


SMALL_SCHEMA: dict[str, Any] = {
    "title": "Ding",
    "type": "object",
    "required": ["naam"],
    "properties": {
        "naam": {"type": "string", "description": "De naam."},
        "soort": {"enum": ["a", "b"]},
        "kinderen": {"type": "array", "items": {"$ref": "#/$defs/ding"}},
    },
    "$defs": {
        "ding": {
            "title": "Kind",
            "type": "object",
            "properties": {
                "kinderen": {"type": "array", "items": {"$ref": "#/$defs/ding"}},
                "leeftijd": {"type": "integer", "title": "Leeftijd"},
            },
        }
    },
}


def test_schema_tables_come_from_the_schema_and_end_on_recursion() -> None:
    text = pages.schema_reference(copy.deepcopy(SMALL_SCHEMA))
    assert text.count("### Ding") == 1
    assert text.count("### Kind") == 1  # the recursive $ref is documented once
    assert "| `naam` | tekst | ja | De naam\\. |" in text
    assert '| `soort` | `"a"` of `"b"` | nee | - |' in text
    assert "| `kinderen` | lijst van Kind | nee | - |" in text
    assert "| `leeftijd` | geheel getal | nee | **Leeftijd.** |" in text


def test_schema_tables_document_every_rubric_key(kcm: Rubric) -> None:
    schema = json.loads((REPO_ROOT / "rubric" / "schema.json").read_text(encoding="utf-8"))
    text = pages.schema_reference(schema)
    for key in ("eindtermen", "onderdelen", "processen", "criteria", "applies_when", "allow_na"):
        assert f"| `{key}` |" in text


def test_a_remote_schema_reference_is_refused() -> None:
    schema = {"properties": {"x": {"$ref": "https://example.org/s.json"}}}
    with pytest.raises(pages.PageError, match="not local"):
        pages.schema_reference(schema)
