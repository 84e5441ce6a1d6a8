"""The markup of the exam record's parts (build_tools.checklist_exam): the comparison with a
colleague, a joint record's decision in a row, and the signatures, with the limits and roles of
kcm_core, hidden until the scripts show them, and on the checklist page after its actions."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.checklist import render_checklist
from build_tools.checklist_exam import PAD_HEIGHT, PAD_WIDTH, ROLE_LABELS, exam_sections
from build_tools.checklist_tags import BODY_SCRIPTS, STYLES
from kcm_core.assessment import MAX_REMARK_CHARS
from kcm_core.assessment_exam import MAX_SVG_PATH_CHARS, SIGNATURE_ROLES
from kcm_core.rubric_load import load_rubric_file

RUBRIC = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"


def html() -> str:
    return "\n".join(exam_sections())


def test_the_signature_pad_takes_kcm_cores_path_limit_and_every_role() -> None:
    markup = html()
    assert f'data-max-path="{MAX_SVG_PATH_CHARS}"' in markup
    roles = re.findall(r'data-signature-role="([^"]+)"', markup)
    assert tuple(roles) == SIGNATURE_ROLES
    assert set(ROLE_LABELS) == set(SIGNATURE_ROLES)
    assert f'width="{PAD_WIDTH}" height="{PAD_HEIGHT}"' in markup


def test_the_compare_control_is_a_json_file_input_with_a_visible_label() -> None:
    markup = html()
    assert re.search(r'<input type="file" id="kcm-compare-file"[^>]*data-action="compare"', markup)
    assert '<label for="kcm-compare-file" class="kcm-button">Vergelijk met collega</label>' in (
        markup
    )


def test_the_decision_is_a_template_with_the_remark_limit_and_no_ids() -> None:
    markup = html()
    template = markup[markup.index("<template") : markup.index("</template>")]
    assert 'data-role="reason"' in template
    assert f'maxlength="{MAX_REMARK_CHARS}"' in template
    assert " id=" not in template, "each copy gets its row's id from compare.js"


def test_everything_starts_hidden_and_carries_no_handlers_or_styles() -> None:
    markup = html()
    for section in ("data-compare", "data-signatures", "data-signature-pad"):
        assert re.search(rf"<[^>]*{section}[^>]*\shidden>", markup), section
    assert not re.search(r"\son\w+=|\sstyle=", markup)


def test_the_checklist_has_them_after_its_actions_and_loads_their_scripts() -> None:
    page = render_checklist(load_rubric_file(RUBRIC))
    actions = page.index("data-actions")
    assert actions < page.index("data-compare") < page.index("</form>", actions)
    scripts = list(BODY_SCRIPTS)
    for name in ("compare.js", "signatures.js"):
        assert scripts.index(f"assets/kcm/{name}") < scripts.index("assets/kcm/app.js")
    assert "assets/kcm/exam.css" in STYLES
