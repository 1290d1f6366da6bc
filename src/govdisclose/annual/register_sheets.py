"""What the agency register (年报数据) holds: its sheets, columns and the words a cell may say.

This is the *input definition* of :mod:`.register`: the reader reads by it and the template
writer (:mod:`govdisclose.outputs.annual_template`) writes its headers, instructions and
dropdown lists from it, so the two cannot drift apart.  The words are the labels of the
national format's sections 二 and 四; the codes of the choices are the row and column codes
the table format (``rules/formats/``) uses for the same things.  The longer explanations for
the instructions sheet, with their legal basis (条例 第二十条, 第五十条), are data:
``register_instructions.yaml`` next to this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .._repr import FieldRepr
from .._yaml import load_yaml_text
from ..errors import RulebookError
from .format_model import spelling_key

__all__ = ["CASE_RESULTS", "CASE_ROUTES", "DECISION_KINDS", "DECLARATION_ITEMS", "DOCUMENT_KINDS",
           "INSTRUCTIONS_SHEET", "REGISTER_KIND", "SHEETS", "UNITS", "Choice", "Column", "Sheet",
           "choose", "instructions", "sheet"]


#: The instructions sheet of the workbook (not read back) and the YAML form's ``kind``.
INSTRUCTIONS_SHEET = "说明"
REGISTER_KIND = "annual-register"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Choice(FieldRepr):
    """One word a cell may say: its code, the label written in the template, other spellings."""

    code: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Column(FieldRepr):
    """A column of a register sheet.

    ``kind`` is how a cell is read: ``text``, ``date`` (the ledger's date spellings),
    ``year``, ``count`` (a whole number ≥ 0), ``amount`` (a decimal ≥ 0) or ``choice`` (one of
    ``choices``, by code, label or alias).
    """

    key: str
    header: str
    header_en: str
    kind: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    help_zh: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """The headers the reader accepts: the Chinese header and the key (the YAML name)."""
        return (self.header, self.key)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Sheet(FieldRepr):
    """A sheet of the workbook (and a list of the YAML form, named by ``key``)."""

    key: str
    name: str
    name_en: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


DOCUMENT_KINDS = (Choice("rules", "规章"),
                  Choice("normative_documents", "行政规范性文件", ("规范性文件",)))
DECISION_KINDS = (Choice("licensing", "行政许可"), Choice("penalty", "行政处罚"),
                  Choice("coercion", "行政强制"))
CASE_ROUTES = (Choice("review", "行政复议"),
               Choice("litigation_direct", "行政诉讼（未经复议直接起诉）",
                      ("未经复议直接起诉", "直接起诉")),
               Choice("litigation_after_review", "行政诉讼（复议后起诉）", ("复议后起诉",)))
CASE_RESULTS = (Choice("upheld", "维持", ("结果维持",)), Choice("corrected", "纠正", ("结果纠正",)),
                Choice("other", "其他", ("其他结果",)), Choice("pending", "尚未审结", ("未审结",)))
UNITS = (Choice("yuan", "元"), Choice("wan_yuan", "万元"))
#: What a row of the 无此项 sheet may declare "none this year" for.
DECLARATION_ITEMS = (*(Choice(f"documents.{c.code}", c.label) for c in DOCUMENT_KINDS),
                     *(Choice(f"decisions.{c.code}", c.label) for c in DECISION_KINDS),
                     Choice("fees", "行政事业性收费"), Choice("cases", "行政复议和行政诉讼"),
                     Choice("processing_fees", "信息处理费"))

_NOTE = Column("note", "备注", "note", "text", help_zh="说明（不参与计数）")

SHEETS: tuple[Sheet, ...] = (
    Sheet("documents", "文件", "documents", (
        Column("kind", "类别", "kind", "choice", True, DOCUMENT_KINDS, "规章或行政规范性文件"),
        Column("title", "文件名称", "title", "text", True, help_zh="文件的标题"),
        Column("number", "文号", "number", "text", help_zh="发文字号或令号（可空）"),
        Column("issued_on", "印发日期", "issued_on", "date", True, help_zh="印发（公布）日期"),
        Column("repealed_on", "废止日期", "repealed_on", "date",
               help_zh="废止的日期；未废止的留空（计入本年废止件数）"),
        Column("expired_on", "失效日期", "expired_on", "date",
               help_zh="有效期届满等原因失效的日期；不计入废止件数，但不再现行有效"),
        _NOTE)),
    Sheet("decisions", "处理决定", "decisions", (
        Column("kind", "类别", "kind", "choice", True, DECISION_KINDS, "行政许可、行政处罚或行政强制"),
        Column("year", "年度", "year", "year", help_zh="按年汇总填写时的年度（与“数量”一起填）"),
        Column("count", "数量", "count", "count",
               help_zh="处理决定件数；逐件登记时可空（即 1 件）"),
        Column("decided_on", "决定日期", "decided_on", "date", help_zh="逐件登记时的决定日期"),
        Column("id", "决定书编号", "id", "text", help_zh="逐件登记时的编号（可空）"),
        _NOTE)),
    Sheet("fees", "行政事业性收费", "fees", (
        Column("year", "年度", "year", "year", help_zh="收费所属年度；或填“收费日期”"),
        Column("charged_on", "收费日期", "charged_on", "date", help_zh="逐笔登记时的日期"),
        Column("item", "收费项目", "item", "text", help_zh="收费项目名称（可空）"),
        Column("amount", "金额", "amount", "amount", True, help_zh="非负数"),
        Column("unit", "单位", "unit", "choice", True, UNITS,
               "元（最多 2 位小数）或万元（最多 4 位小数）"),
        _NOTE)),
    Sheet("processing_fees", "信息处理费", "processing fees", (
        Column("charged_on", "收费日期", "charged_on", "date", True, help_zh="收取信息处理费的日期"),
        Column("request_id", "申请编号", "request_id", "text", True, help_zh="与依申请公开台账的编号一致"),
        Column("amount", "金额（元）", "amount", "amount", True, help_zh="单位：元，最多 2 位小数"),
        _NOTE)),
    Sheet("cases", "复议诉讼", "review and litigation cases", (
        Column("id", "案号", "id", "text", True, help_zh="复议或诉讼的案号"),
        Column("route", "类别", "route", "choice", True, CASE_ROUTES,
               "行政复议、行政诉讼（未经复议直接起诉）或行政诉讼（复议后起诉）"),
        Column("filed_on", "收到日期", "filed_on", "date", True,
               help_zh="收到复议申请书副本或起诉状副本的日期"),
        Column("result", "结果", "result", "choice", choices=CASE_RESULTS,
               help_zh="维持、纠正、其他或尚未审结；未审结的可空"),
        Column("decided_on", "审结日期", "decided_on", "date",
               help_zh="作出复议决定或裁判的日期；未审结的留空"),
        _NOTE)),
    Sheet("declarations", "无此项", "none this year", (
        Column("item", "项目", "item", "choice", True, DECLARATION_ITEMS, "本年度确实没有的项目"),
        Column("year", "年度", "year", "year", True, help_zh="报告年度"),
        _NOTE)),
)


def sheet(key: str) -> Sheet:
    for found in SHEETS:
        if found.key == key:
            return found
    raise KeyError(key)


def choose(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """The choice ``text`` names (its code, label or an alias; width, case, spaces and
    punctuation ignored), or None."""
    key = spelling_key(text)
    for choice in choices:
        if key and key in {spelling_key(s) for s in (choice.code, choice.label, *choice.aliases)}:
            return choice
    return None


@cache
def instructions() -> dict[str, Any]:
    """``register_instructions.yaml``: the title, legal basis and explanations the
    instructions sheet (说明) shows, as data.

    Raises:
        RulebookError: the bundled file is malformed (a packaging bug).
    """
    return bundled_yaml("register_instructions.yaml")


def bundled_yaml(name: str) -> dict[str, Any]:
    """A YAML data file shipped in this package (wording, instructions), as a mapping.

    Raises:
        RulebookError: the bundled file is malformed (a packaging bug).
    """
    source = resources.files("govdisclose.annual").joinpath(name)
    doc = load_yaml_text(source.read_text(encoding="utf-8"), name)
    if doc.problems or not isinstance(doc.data, dict):
        raise RulebookError(doc.problems)
    return doc.data
