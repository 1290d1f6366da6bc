"""The item ledger (主动公开台账) as a second source of section 二 of the annual report.

An agency that keeps its proactively published items as records (each one what
``govdisclose plan`` takes, ``schemas/item.schema.json``) can let them count in section 二
instead of re-typing them into the register.  An item counts when it says which row of 二 it
belongs to (``annual_report_row``):

- ``rules`` (规章) and ``normative_documents`` (行政规范性文件) count in 本年制发件数 by
  ``issued_on``.  An item ledger does not record repeal or expiry, so 本年废止件数 and 现行有效件数
  still come from the register alone (the records are marked ``issued_only``).
- ``licensing`` (行政许可), ``penalty`` (行政处罚) and ``coercion`` (行政强制) count one decision
  each in 本年处理决定数量 by ``decision_on``.

The row must agree with the item's ``category`` when both are given: the category's article
(the rulebook's ``proactive_categories``, e.g. 第二十条第（一）项) must be the heading of the
format block the row is in — data on both sides, no article special-cased here.  An item that
cannot be used is a located :class:`~govdisclose.errors.Problem` and its position is listed in
``rejected``; an item without ``annual_report_row`` is listed in ``not_counted``: nothing is
dropped silently.  :func:`merge_items` adds the records to a register, counting a record the
register already holds once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..engine.items import parse_item
from ..engine.request_input import load_document
from ..errors import LedgerError, Problem, RequestError
from .register import Decision, Document, Register
from .register_files import RowRef
from .register_sheets import DECISION_KINDS, DOCUMENT_KINDS
from .table import Reason

if TYPE_CHECKING:
    from pathlib import Path

    from .._yaml import YamlDocument
    from ..rulebook.model import Rulebook
    from .format_model import FigureSection

__all__ = ["ItemLedger", "items_from_document", "merge_items", "read_item_ledger"]

_DOCUMENTS = {k.code for k in DOCUMENT_KINDS}
_DECISIONS = {k.code for k in DECISION_KINDS}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ItemLedger(FieldRepr):
    """What an item ledger gives section 二: the records, and what was not used."""

    file: str
    items: int
    documents: tuple[Document, ...] = ()
    decisions: tuple[Decision, ...] = ()
    not_counted: tuple[RowRef, ...] = ()
    problems: tuple[Problem, ...] = ()
    rejected: tuple[RowRef, ...] = ()


def _block_articles(section: FigureSection | None) -> dict[str, str]:
    """Row code of section 二 -> the heading of its block (第二十条第（一）项 …)."""
    if section is None:
        return {}
    return {row.code: block.heading for block in section.blocks for row in block.rows}


def _relocated(doc: YamlDocument, prefix: tuple[str | int, ...], problem: Problem) -> Problem:
    path = (*prefix, *problem.path)
    line, column = doc.locate(path)
    return replace(problem, file=doc.file, line=line, column=column, path=path)


def items_from_document(doc: YamlDocument, book: Rulebook, section: FigureSection | None
                        ) -> ItemLedger:
    """The records of an item ledger already read: a list of items, or a mapping whose
    ``items`` is one.  ``section`` is the format's section 二 (its blocks name the
    articles)."""
    data: Any = doc.data
    prefix: tuple[str | int, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data, prefix = data["items"], ("items",)
    if not isinstance(data, list):
        return ItemLedger(doc.file, 0, problems=(doc.problem(
            (), "items.not_a_list", "主动公开台账应为条目列表（或含 items 列表的映射）",
            "an item ledger is a list of items (or a mapping whose items is one)"),))
    articles = _block_articles(section)
    documents: list[Document] = []
    decisions: list[Decision] = []
    not_counted: list[RowRef] = []
    problems: list[Problem] = []
    rejected: list[RowRef] = []
    name = PurePath(doc.file).name
    for i, raw in enumerate(data):
        ref = RowRef(name, name, i + 1, "yaml")
        where = (*prefix, i)
        try:
            item = parse_item(raw, book)
        except RequestError as exc:
            problems.extend(_relocated(doc, where, p) for p in exc.problems)
            rejected.append(ref)
            continue
        row = item.annual_report_row
        if row is None:
            not_counted.append(ref)
            continue
        if item.category is not None and row in articles:
            cited = [c.article for c in book.proactive_categories[item.category].cites]
            article = "、".join(cited) or "—"
            if articles[row] not in cited:
                problems.append(doc.problem(
                    (*where, "annual_report_row"), "items.row_category",
                    f"年报统计项 {row}（{articles[row]}）与主动公开类别 {item.category}"
                    f"（{article}）不一致，此条不计入",
                    f"annual_report_row {row} ({articles[row]}) disagrees with category "
                    f"{item.category} ({article}); the item is not counted"))
                rejected.append(ref)
                continue
        field = "issued_on" if row in _DOCUMENTS else "decision_on"
        day = item.dates.get(field)
        if day is None:
            problems.append(doc.problem(
                where, "items.date_missing",
                f"计入“{row}”的条目须写 {field}，此条不计入",
                f"an item counted as {row} needs {field}; it is not counted"))
            rejected.append(ref)
        elif row in _DOCUMENTS:
            documents.append(Document(row, item.title, None, day, None, None, ref,
                                      issued_only=True))
        else:
            decisions.append(Decision(row, day.year, 1, day, item.id, ref))
    return ItemLedger(doc.file, len(data), tuple(documents), tuple(decisions),
                      tuple(not_counted), tuple(problems), tuple(rejected))


def read_item_ledger(path: Path, book: Rulebook, section: FigureSection | None) -> ItemLedger:
    """Read an item ledger (YAML or JSON) within the bounded loader's limits.

    Raises:
        LedgerError: the file cannot be read or parsed at all.
    """
    doc = load_document(path)
    if doc.problems:
        raise LedgerError("; ".join(str(p) for p in doc.problems))
    return items_from_document(doc, book, section)


def merge_items(register: Register, items: ItemLedger) -> tuple[Register, tuple[Reason, ...]]:
    """``register`` with the item ledger's records added, and notes saying what was done.

    A document the register already lists (same kind and title, issued the same day) and a
    decision it already lists by id are counted once, from the register."""
    held_docs = {(d.kind, d.title, d.issued_on) for d in register.documents}
    held_ids = {(d.kind, d.id) for d in register.decisions if d.id}
    documents = [d for d in items.documents if (d.kind, d.title, d.issued_on) not in held_docs]
    decisions = [d for d in items.decisions if (d.kind, d.id) not in held_ids]
    notes: list[Reason] = []
    twice = len(items.documents) - len(documents) + len(items.decisions) - len(decisions)
    if twice:
        notes.append(Reason("items.counted_once",
                            f"主动公开台账中有 {twice} 条已在年报数据中登记，只计一次",
                            f"{twice} item(s) of the item ledger are also in the register; "
                            "counted once"))
    if items.not_counted:
        n = len(items.not_counted)
        notes.append(Reason("items.not_counted",
                            f"主动公开台账中有 {n} 条未写 annual_report_row，不计入二",
                            f"{n} item(s) of the item ledger have no annual_report_row and "
                            "are not counted in section 二"))
    merged = replace(
        register,
        documents=(*register.documents, *documents),
        decisions=(*register.decisions, *decisions),
        problems=(*register.problems, *items.problems),
        rejected=(*register.rejected, *items.rejected))
    return merged, tuple(notes)
