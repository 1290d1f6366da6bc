"""What a child book inherits by id: misspelt restatements, dead limits, patched workflows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from govdisclose import iter_rulebook_errors, load_rulebook
from govdisclose.engine.workflow import walk
from govdisclose.outputs.graph import workflow_graph
from govdisclose.rulebook.inheritance import near_miss

if TYPE_CHECKING:
    from pathlib import Path

    from govdisclose.errors import Problem
    from govdisclose.rulebook.model import Rulebook

HEAD = """\
id: demo
name: 示例区
extends: national
sources:
  demo-rules:
    title: 示例区政府信息公开办法
    number: null
    date: null
"""

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


def test_b_patch_needs_no_steps_and_a_parent(tmp_path: Path) -> None:
    found = problems(tmp_path, PATCH + f"    steps: [{{id: a, label: 甲, cite: {CITE}}}]\n")
    assert "workflow.patch" in {p.code for p in found}


def test_b_bundled_books_declare_their_dropped_steps() -> None:
    huadian = load_rulebook("huadian")
    assert huadian.workflows["request"].start == "apply"
    assert "intake" not in {s.id for s in huadian.workflows["request"].steps}
