"""What a child book inherits by id: misspelt restatements, dead limits, patched workflows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from demo_books import DEMO_HEAD
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose import iter_rulebook_errors, load_rulebook
from govdisclose.engine.workflow import walk
from govdisclose.outputs.graph import workflow_graph
from govdisclose.outputs.html_report import render_report
from govdisclose.rulebook.inheritance import _distance, near_miss
from govdisclose.rulebook.workflows import StepRemoval

if TYPE_CHECKING:
    from pathlib import Path

    from govdisclose.errors import Problem
    from govdisclose.rulebook.model import Rulebook

HEAD = DEMO_HEAD

CITE = "{source: demo-rules, article: 第五条}"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems(tmp_path: Path, body: str) -> list[Problem]:
    return list(iter_rulebook_errors(write(tmp_path, body)))


def book(tmp_path: Path, body: str) -> Rulebook:
    path = write(tmp_path, body)
    assert list(iter_rulebook_errors(path)) == []
    return load_rulebook(path)


def limit(key: str, extra: str = "", amount: int = 5) -> str:
    return f"""\
  {key}:
    label: 告知补正
    about: request{extra}
    values:
      - amount: {amount}
        unit: working_days
        from: request.received
        cite: {CITE}
"""


# -- A. misspelt restatements and dead limits ------------------------------------------------


def test_a_misspelt_inherited_limit_fails_with_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, "limits:\n" + limit("request.suplement_notice"))
    assert [p.code for p in found] == ["inherit.near_miss"]
    p = found[0]
    assert (p.file, p.line) == (str(tmp_path / "demo.yaml"), 11)  # the entry's first line
    assert p.path == ("limits", "request.suplement_notice")
    assert "request.supplement_notice" in p.message_zh and "new: true" in p.message_zh
    assert "did you mean 'request.supplement_notice'?" in p.message_en


def test_a_correct_restatement_replaces_the_national_value(tmp_path: Path) -> None:
    b = book(tmp_path, "limits:\n" + limit("request.supplement_notice"))
    assert b.limit("request.supplement_notice", date(2026, 3, 2)).amount == 5


def test_a_deliberately_new_near_id_says_new(tmp_path: Path) -> None:
    b = book(tmp_path, "limits:\n" + limit("request.suplement_notice", "\n    new: true"))
    assert "request.suplement_notice" in b.limits


def test_a_new_id_far_from_any_inherited_one_passes(tmp_path: Path) -> None:
    b = book(tmp_path, "limits:\n" + limit("request.registration_notice"))
    assert b.limits["request.registration_notice"].book == "demo"


@pytest.mark.parametrize(("body", "path"), [
    ("replies:\n  suplement:\n    label: 补正告知书\n    cite: " + CITE + "\n",
     ("replies", "suplement")),
    ("exemptions:\n  state_secrt:\n    label: 国家秘密\n    strength: mandatory\n    cite: "
     + CITE + "\n", ("exemptions", "state_secrt")),
    ("roles:\n  ofice_head: {label: 负责人}\n", ("roles", "ofice_head")),
    ("events:\n  request.recieved: {label: 收到申请}\n", ("events", "request.recieved")),
])
def test_a_other_sections_restated_by_id_are_guarded_too(tmp_path: Path, body: str,
                                                         path: tuple[str, ...]) -> None:
    found = problems(tmp_path, body)
    assert [(p.code, p.path) for p in found] == [("inherit.near_miss", path)]


NEAR_IDS = [  # NEW: where `, new: true` goes
    pytest.param("events:\n  request.recieved: {label: 收到申请NEW}\n", "events",
                 ("events", "request.recieved"), id="events"),
    pytest.param("roles:\n  ofice_head: {label: 负责人NEW}\n", "roles", ("roles", "ofice_head"),
                 id="roles"),
    pytest.param("intake:\n  requirements:\n    identiy: {label: 身份证明, cite: " + CITE
                 + "NEW}\n", "requirements", ("intake", "requirements", "identiy"),
                 id="intake.requirements"),
]


@pytest.mark.parametrize(("body", "attr", "path"), NEAR_IDS)
def test_a_new_true_lets_a_near_id_load_in_any_keyed_section(tmp_path: Path, body: str,
                                                             attr: str,
                                                             path: tuple[str, ...]) -> None:
    found = problems(tmp_path, body.replace("NEW", ""))
    assert [(p.code, p.path) for p in found] == [("inherit.near_miss", path)]
    b = book(tmp_path, body.replace("NEW", ", new: true"))
    entry = getattr(b, attr)[path[-1]]
    assert not hasattr(entry, "new")  # read by the check, kept by no model


def test_a_restatement_cannot_say_new(tmp_path: Path) -> None:
    found = problems(tmp_path, "roles:\n  office_head: {label: 负责人, new: true}\n")
    assert [(p.code, p.path) for p in found] == [
        ("inherit.not_new", ("roles", "office_head", "new"))]
    assert "new: true" in found[0].message_zh


def test_a_near_miss_is_one_or_two_edits() -> None:
    known = ["request.supplement_notice", "item.publish", "office"]
    assert near_miss("request.suplement_notice", known) == "request.supplement_notice"
    assert near_miss("item.pubilsh", known) == "item.publish"  # swapped letters: one edit
    assert near_miss("item.office_publish", known) is None  # 宽城: a new limit
    assert near_miss("offce", known) == "office"
    assert near_miss("agency", known) is None


def test_a_second_pause_window_would_be_dead_data(tmp_path: Path) -> None:
    body = "limits:\n" + limit("request.third_party_reply", "\n    pause_window_for: third_party",
                               amount=10)
    found = problems(tmp_path, body)
    assert [(p.code, p.path) for p in found] == [
        ("limit.shadowed", ("limits", "request.third_party_reply", "pause_window_for"))]
    assert "request.third_party_opinion" in found[0].message_zh


def test_a_second_extension_of_the_same_limit_would_be_dead_data(tmp_path: Path) -> None:
    body = "limits:\n" + limit("request.longer_extension", "\n    extension_of: request.reply")
    assert [p.code for p in problems(tmp_path, body)] == ["limit.shadowed"]


# -- B. workflows: patches and declared removals ---------------------------------------------


def edges(b: Rulebook, kind: str = "request") -> dict[str, tuple[str, ...]]:
    wf = b.workflows[kind]
    return {s.id: s.next for s in wf.steps}


PATCH = "workflows:\n  request:\n    extends: true\n"


def test_b_insert_after_a_step_takes_over_its_successors(tmp_path: Path) -> None:
    b = book(tmp_path, PATCH + f"""\
    insert:
      - after: decide
        step: {{id: legal_review, label: 法制审核, role: office, cite: {CITE}}}
""")
    wf = b.workflows["request"]
    assert [s.id for s in wf.steps] == ["intake", "supplement", "consult_third_party",
                                        "consult_agency", "decide", "legal_review", "reply"]
    assert edges(b)["decide"] == ("legal_review",)
    assert edges(b)["legal_review"] == ("reply",)
    assert wf.book == "demo" and wf.start == "intake"
    assert wf.valid_from == date(2019, 5, 15)  # the parent's dates, not restated
    assert wf.step("legal_review").sources == ("《示例区政府信息公开办法》第五条",)
    # the engine and the graph see the merged workflow
    steps = [s.id for s in walk(b, "request", {}, {})]
    assert steps == ["intake", "decide", "legal_review", "reply"]
    graph = workflow_graph(b, "request", date(2026, 3, 2))
    assert ("decide", "legal_review") in {(e.source, e.target) for e in graph.edges}


def test_b_insert_before_the_start_becomes_the_start(tmp_path: Path) -> None:
    b = book(tmp_path, PATCH + f"""\
    insert:
      - before: intake
        step: {{id: register, label: 登记, role: office, cite: {CITE}}}
      - after: consult_agency
        before: decide
        step: {{id: co_sign, label: 会签, role: office, cite: {CITE}}}
""")
    wf = b.workflows["request"]
    assert wf.start == "register"
    assert edges(b)["register"] == ("intake",)
    assert edges(b)["consult_agency"] == ("co_sign",)
    assert edges(b)["co_sign"] == ("decide",)
    assert edges(b)["supplement"] == ("decide",)  # only the one edge changed


def test_b_remove_rewires_and_replace_keeps_next(tmp_path: Path) -> None:
    b = book(tmp_path, PATCH + f"""\
    remove:
      - {{step: consult_agency, reason: 本地不征求其他机关意见, cite: {CITE}}}
    replace:
      - {{id: decide, label: 集体审议, role: office, cite: {CITE}}}
""")
    assert "consult_agency" not in edges(b)
    assert edges(b)["intake"] == ("supplement", "consult_third_party", "decide")
    assert b.workflows["request"].step("decide").label == "集体审议"
    assert edges(b)["decide"] == ("reply",)


def test_b_removals_are_kept_and_shown_but_not_drawn(tmp_path: Path) -> None:
    b = book(tmp_path, PATCH + f"""\
    remove:
      - {{step: consult_agency, reason: '<i>本地</i> & "不征求" %%{{x}}', cite: {CITE}}}
      - {{step: consult_agency, reason: 再次删除, cite: {CITE}}}
""")
    wf = b.workflows["request"]
    parent = load_rulebook("national").workflows["request"].step("consult_agency")
    reason = '<i>本地</i> & "不征求" %%{x}'
    assert wf.removals == (StepRemoval("consult_agency", parent.label, parent.label_en, reason,
                                       wf.removals[0].cites),)  # the first removal stands
    source = "《示例区政府信息公开办法》第五条"
    assert [c.text for c in wf.removals[0].cites] == [source]

    graph = workflow_graph(b, "request", date(2026, 3, 2))
    assert [(r.id, r.label, r.reason, r.sources) for r in graph.removed] == [
        ("consult_agency", parent.label, reason, (source,))]
    assert "consult_agency" not in {n.id for n in graph.nodes}
    mermaid = graph.to_mermaid().splitlines()
    assert "    %% 上级流程中本级删去的环节 / parent steps removed here:" in mermaid
    assert (f'    %% - consult_agency（{parent.label}）：<i>本地</i> & "不征求" %{{x}}（{source}）'
            in mermaid)  # one comment line; no %% directive inside
    assert not any("s_consult_agency" in line for line in mermaid)
    dot = graph.to_dot()
    assert f"    // - consult_agency（{parent.label}）：" in dot
    assert '"consult_agency"' not in dot

    page = render_report(b, 2026)
    assert "<h4>上级流程中本级删去的环节<span class=\"en\">parent steps removed here</span></h4>" \
        in page
    assert ("&lt;i&gt;本地&lt;/i&gt; &amp; &quot;不征求&quot;" in page
            and "<i>本地" not in page)
    assert f'<span class="cite">{source}</span>' in page


def test_b_removing_a_middle_step_leads_its_predecessors_on(tmp_path: Path) -> None:
    b = book(tmp_path, PATCH + f"""\
    remove:
      - {{step: decide, reason: 由答复环节一并审查, cite: {CITE}}}
""")
    assert edges(b)["supplement"] == ("reply",)
    assert edges(b)["intake"] == ("supplement", "consult_third_party", "consult_agency", "reply")


def test_b_patch_errors_are_located(tmp_path: Path) -> None:
    found = problems(tmp_path, PATCH + f"""\
    remove:
      - {{step: consult_agncy, reason: 笔误, cite: {CITE}}}
    insert:
      - after: decide
        before: intake
        step: {{id: x, label: 某环节, cite: {CITE}}}
""")
    assert [(p.code, p.line) for p in found] == [("unknown.steps", 13),
                                                  ("workflow.insert_not_edge", 16)]
    assert "consult_agency" in found[0].message_en


def test_b_removal_needs_reason_and_cite(tmp_path: Path) -> None:
    found = problems(tmp_path, PATCH + "    remove:\n      - {step: consult_agency}\n")
    assert {p.code for p in found} == {"schema.required"}


def test_b_unreachable_steps_are_still_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, PATCH + f"""\
    replace:
      - {{id: intake, label: 接收, role: office, next: [decide], cite: {CITE}}}
""")
    assert [(p.code, p.path) for p in found] == [
        ("workflow.unreachable", ("workflows", "request"))] * 3
    assert ["supplement" in found[0].message_zh, "consult_agency" in found[2].message_en] == [
        True, True]


FULL = f"""\
workflows:
  item:
    start: draft
    steps:
      - {{id: draft, label: 起草, role: office, next: [publish], cite: {CITE}}}
      - {{id: publish, label: 发布, role: office, cite: {CITE}}}
"""


def test_b_full_workflow_must_declare_dropped_parent_steps(tmp_path: Path) -> None:
    found = problems(tmp_path, FULL)
    assert [(p.code, p.line) for p in found] == [("workflow.step_dropped", 13)] * 2
    assert "'review'" in found[0].message_zh and "remove" in found[0].message_en
    assert "'refer'" in found[1].message_zh


def test_b_full_workflow_with_declared_removals_loads(tmp_path: Path) -> None:
    b = book(tmp_path, FULL.replace("    steps:\n", f"""\
    remove:
      - {{step: review, reason: 由起草环节一并审查, cite: {CITE}}}
      - {{step: refer, reason: 本地办法未规定, cite: {CITE}}}
    steps:
""", 1))
    assert edges(b, "item") == {"draft": ("publish",), "publish": ()}
    removals = b.workflows["item"].removals
    assert [(r.step, r.reason) for r in removals] == [("review", "由起草环节一并审查"),
                                                      ("refer", "本地办法未规定")]
    assert removals[0].label == load_rulebook("national").workflows["item"].step("review").label


def test_b_patch_needs_no_steps_and_a_parent(tmp_path: Path) -> None:
    found = problems(tmp_path, PATCH + f"    steps: [{{id: a, label: 甲, cite: {CITE}}}]\n")
    assert "workflow.patch" in {p.code for p in found}


def test_b_bundled_books_declare_their_dropped_steps() -> None:
    huadian = load_rulebook("huadian")
    assert huadian.workflows["request"].start == "apply"
    assert "intake" not in {s.id for s in huadian.workflows["request"].steps}


def _textbook(a: str, b: str) -> int:
    """The optimal-string-alignment distance, the whole table filled (the reference)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@settings(max_examples=2000, deadline=None)
@given(st.text("ab.", max_size=9), st.text("ab.", max_size=9), st.integers(1, 3))
def test_the_edit_distance_is_the_textbook_one_capped_at_the_limit(a: str, b: str,
                                                                   limit: int) -> None:
    # _distance skips what both ids share at either end, and stops once past the limit
    assert _distance(a, b, limit) == min(_textbook(a, b), limit + 1)
