"""Each kind of broken rulebook is reported as file:line:column, JSON path and plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from demo_books import DEMO_HEAD, DEMO_ITEM_LIMIT

from govdisclose import RulebookError, UnknownRulebookError, iter_rulebook_errors, load_rulebook
from govdisclose.cli import main

if TYPE_CHECKING:
    from pathlib import Path

GOOD = DEMO_HEAD + DEMO_ITEM_LIMIT.replace("AMOUNT", "2") + """\
workflows:
  item:
    start: draft
    steps:
      - {id: draft, label: 起草, role: office, next: [review], cite: {source: demo-rules, article: 第四条}}
      - {id: review, label: 审核, role: office_head, cite: {source: demo-rules, article: 第四条}}
    remove:
      - {step: refer, reason: 示例, cite: {source: demo-rules, article: 第四条}}
      - {step: publish, reason: 示例, cite: {source: demo-rules, article: 第四条}}
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_file_loads_and_inherits_without_touching_the_parent(tmp_path: Path) -> None:
    book = load_rulebook(write(tmp_path, GOOD))
    assert book.parent is not None and book.parent.id == "national"
    assert "item.transfer_to_publisher" in book.limits
    assert "item.transfer_to_publisher" not in book.parent.limits
    assert book.limits["request.reply"] is book.parent.limits["request.reply"]
    assert list(iter_rulebook_errors(write(tmp_path, GOOD))) == []


BROKEN = [
    # (name, replace this, with this, line, code, words in the English message)
    ("bad-value", "unit: working_days", "unit: weeks", 18, "schema.enum", "must be one of"),
    ("misspelt-key", "- amount: 2", "- amout: 2", 17, "schema.additionalProperties",
     "unknown key 'amout'; did you mean 'amount'?"),
    ("broken-yaml", "    label: 移交发布", "    label: 移交发布\n   oops: [", 14, "yaml.syntax",
     "YAML syntax error"),
    ("unknown-parent", "extends: national", "extends: nationl", 3, "rulebook.unknown_parent",
     "did you mean 'national'"),
    ("missing-citation", "        cite: {source: demo-rules, article: 第三条}\n", "", 17,
     "schema.required", "missing required key 'cite'"),
    ("duplicate-key", "    actor: office\n", "    actor: office\n    actor: office_head\n", 15,
     "yaml.duplicate_key", "duplicate key 'actor'"),
    ("unknown-source", "cite: {source: demo-rules, article: 第三条}",
     "cite: {source: demo-rule, article: 第三条}", 20, "unknown.sources",
     "undeclared source 'demo-rule' (did you mean 'demo-rules'?)"),
    ("undefined-event", "from: item.issued", "from: item.isued", 19, "unknown.events",
     "undeclared event 'item.isued'"),
    ("unknown-role", "role: office_head", "role: office_hed", 26, "unknown.roles",
     "undeclared role 'office_hed'"),
    ("unreachable-step", "next: [review], ", "", 26, "workflow.unreachable",
     "cannot be reached"),
]


@pytest.mark.parametrize(("old", "new", "line", "code", "words"),
                         [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_at_its_line(tmp_path: Path, old: str, new: str, line: int,
                                             code: str, words: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    problems = caught.value.problems
    match = [p for p in problems if p.code == code]
    assert match, [str(p) for p in problems]
    assert match[0].line == line, str(match[0])
    assert words in match[0].message_en
    assert match[0].message_zh  # every message has a Chinese wording too
    assert str(match[0]).startswith(f"{match[0].file}:{line}:")
    assert match[0].file is not None and match[0].file.endswith("demo.yaml")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("from: item.issued", "from: item.isued").replace(
        "role: office_head", "role: office_hed")
    problems = list(iter_rulebook_errors(write(tmp_path, text)))
    assert {p.code for p in problems} == {"unknown.events", "unknown.roles"}


def test_cyclic_extends(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("extends: national", "extends: other"))
    write(tmp_path, GOOD.replace("id: demo", "id: other").replace("extends: national",
                                                                  "extends: demo"), "other.yaml")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(tmp_path / "demo.yaml")
    assert any(p.code == "rulebook.cycle" for p in caught.value.problems)


def test_overlapping_effective_periods(tmp_path: Path) -> None:
    text = GOOD.replace("""      - amount: 2
        unit: working_days""", """      - valid_from: "2020-01-01"
        valid_until: "2021-06-30"
        amount: 3
        unit: working_days
        from: item.issued
        cite: {source: demo-rules, article: 第三条}
      - valid_from: "2021-01-01"
        amount: 2
        unit: working_days""")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.code == "dates.overlap"
    assert problem.path == ("limits", "item.transfer_to_publisher", "values", 1, "valid_from")


def test_condition_operators_are_a_closed_vocabulary(tmp_path: Path) -> None:
    text = GOOD + """decisions:
  - id: odd
    when: {fact: exists, equal: false}
    reply: does_not_exist
    cite: {source: demo-rules, article: 第五条}
  - id: odd2
    when: {fact: existz, equals: false}
    reply: does_not_exist
    cite: {source: demo-rules, article: 第五条}
"""
    problems = list(iter_rulebook_errors(write(tmp_path, text)))
    messages = [p.message_en for p in problems]
    assert any("unknown operator 'equal' (did you mean 'equals'?)" in m for m in messages)
    assert any("undeclared fact 'existz'" in m for m in messages)


def test_unknown_bundled_id_suggests_the_nearest() -> None:
    with pytest.raises(UnknownRulebookError) as caught:
        load_rulebook("nationl")
    assert caught.value.suggestion == "national"


def test_validate_command_prints_file_line_and_exits_1(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace("unit: working_days", "unit: weeks"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path.name}:18:" in out or f"{path}:18:" in out
    good = write(tmp_path, GOOD)
    assert main(["validate", str(good)]) == 0


def test_only_the_national_book_marks_mandatory_outcomes(tmp_path: Path) -> None:
    # 上位法强制结果（条例第三十六条等）只能由国家基线标注；本地答复的 implements 须指向国家答复类型
    text = GOOD + """decisions:
  - id: local_mandatory
    mandatory: true
    when: {fact: exists, equals: false}
    reply: does_not_exist
    cite: {source: demo-rules, article: 第五条}
replies:
  local_form:
    label: 本地表单
    implements: does_not_exsit
    cite: {source: demo-rules, article: 第六条}
"""
    problems = list(iter_rulebook_errors(write(tmp_path, text)))
    codes = {p.code for p in problems}
    assert "decision.mandatory_local" in codes
    assert any("undeclared national reply type 'does_not_exsit'" in p.message_en
               and "does_not_exist" in p.message_en for p in problems)
