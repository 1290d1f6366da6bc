"""Section 三 of the annual report (政府信息公开工作年度报告): requests received and handled.

The table's structure — columns, rows, their stable codes and how well each label is
verified — is data: ``rules/formats/annual-report-2021.yaml`` (国办公开办函〔2021〕30号),
checked against ``schemas/annual-report-format.schema.json``.  The counts come from a ledger
(台账, :func:`govdisclose.ledgers.reading.read_ledger`):

* 一、本年新收 — ``received_on`` within the year;
* 二、上年结转 — received before the year and not replied before it starts;
* 三、本年度办理结果 — ``replied_on`` within the year, in the row named by ``outcome``
  (the table's label, with or without its numbering, or a code such as ``unable.not_held``);
  （七）总计 is the sum of the result rows;
* 四、结转下年度继续办理 — counted in 一 or 二 but not replied by the end of the year.

``applicant_type`` chooses the column.  No row is dropped: a row of the year that cannot be
placed is listed in :attr:`AnnualTable.unplaced` with its reasons; rows outside the year are
counted in :attr:`AnnualTable.summary`.

This module counts; the table it returns is a value (:mod:`.table`, format in
:mod:`.format`).  Its text, CSV and Excel layouts are in :mod:`govdisclose.outputs`
(``annual_report_text``, ``write_annual_report_csv``, ``write_annual_report_xlsx``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..ledgers.reading import parse_ledger_date
from .format import (
    AnnualReportError,
    ColumnGroup,
    FormatColumn,
    FormatRow,
    TableFormat,
    bundled_format,
    bundled_format_path,
    code_key,
    format_for_year,
    iter_format_problems,
    load_format,
    spelling_key,
    spelling_keys,
)
from .ledger_checks import identity_check, ledger_warnings
from .table import (
    AnnualTable,
    IdentityCheck,
    IdentityColumn,
    Placement,
    Reason,
    Summary,
    TableRow,
    UnplacedRow,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..ledgers.reading import Ledger, LedgerRow
    from ..rulebook.model import Rulebook

__all__ = [
    "AnnualReportError",
    "AnnualTable",
    "ColumnGroup",
    "FormatColumn",
    "FormatRow",
    "IdentityCheck",
    "IdentityColumn",
    "Placement",
    "Reason",
    "Summary",
    "TableFormat",
    "TableRow",
    "UnplacedRow",
    "build_table",
    "bundled_format",
    "bundled_format_path",
    "format_for_year",
    "iter_format_problems",
    "load_format",
    "spelling_key",
]


# -- building the table ---------------------------------------------------------------------

def _parse_date(text: str) -> date | None:
    """A ledger date (see :func:`govdisclose.ledgers.reading.parse_ledger_date`), None for an empty cell.

    Raises:
        ValueError: anything else that is not a date.
    """
    return parse_ledger_date(text) if text.strip() else None


_COLUMN_NAMES = {"received_on": "收到申请日期", "replied_on": "答复日期",
                 "applicant_type": "申请人类型", "outcome": "办理结果"}


def _date_reason(column: str, text: str) -> Reason:
    zh = _COLUMN_NAMES[column]
    if not text:
        return Reason(f"{column}.missing", f"{zh}为空", f"{column} is empty")
    return Reason(f"{column}.invalid", f"{zh}“{text}”不是日期（应为 YYYY-MM-DD）",
                  f"{column} {text!r} is not a date (YYYY-MM-DD)")


def _resolve_column(fmt: TableFormat, text: str, present: bool) -> str | Reason:
    if not text:
        if not present:
            return Reason("applicant_type.no_column", "台账没有“申请人类型”列，无法确定所在列",
                          "the ledger has no applicant_type column, so no column can be chosen")
        return Reason("applicant_type.missing", "申请人类型为空", "applicant_type is empty")
    choices = "、".join(f"{c.text}（{c.code}）" for c in fmt.columns if not c.total)
    codes = {code_key(c.code): c.code for c in fmt.columns}
    for column in fmt.columns:
        if column.group is not None:
            codes.setdefault(code_key(column.group.code), column.group.code)
    code = codes.get(code_key(text))
    if code is None:
        code = next((fmt.column_index[k] for k in spelling_keys(text) if k in fmt.column_index), None)
    if code is None:
        return Reason("applicant_type.unknown",
                      f"未知的申请人类型“{text}”；可用：{choices}",
                      f"unknown applicant_type {text!r}; use one of: {choices}")
    group = fmt.group_of(code)
    if group is not None:
        members = "、".join(c.text for c in fmt.columns if c.group == group)
        return Reason("applicant_type.no_category",
                      f"“{text}”没有写明类别，表中没有“{group.text}”小计列；请写明：{members}",
                      f"{text!r} names no category and the table has no {group.code} subtotal "
                      f"column; give one of: {members}")
    column = next(c for c in fmt.columns if c.code == code)
    if column.total:
        return Reason("applicant_type.total", f"“{text}”是合计列，不是申请人类型",
                      f"{text!r} is the total column, not an applicant type")
    return code


def _resolve_outcome(fmt: TableFormat, text: str) -> str | Reason:
    codes = {code_key(row.code): row.code for row, _ in fmt.walk()}
    code = codes.get(code_key(text))
    if code is None:
        code = next((fmt.row_index[k] for k in spelling_keys(text) if k in fmt.row_index), None)
    candidates = next((fmt.ambiguous_outcomes[k] for k in spelling_keys(text)
                       if k in fmt.ambiguous_outcomes), None)
    if code is None and candidates is not None:
        rows = [fmt.row(c) for c in candidates]
        zh = "还是".join(f"{row.label}（{row.code}）" for row in rows)
        en = " or ".join(row.code for row in rows)
        return Reason("outcome.ambiguous",
                      f"“{text}”可能是 {zh}，须写明是哪一项",
                      f"{text!r} could be {en}; write which one")
    if code is None:
        return Reason("outcome.unknown",
                      f"未知的办理结果“{text}”（应为表中“三、本年度办理结果”的某一项或其代码，"
                      "见 docs/annual-report.md）",
                      f"unknown outcome {text!r} (use a result label of the table or its code, "
                      "see docs/annual-report.md)")
    row = fmt.row(code)
    if row.is_group:
        items = "、".join(f"{c.label}（{c.code}）" for c in row.children)
        return Reason("outcome.needs_item",
                      f"“{text}”须写明具体情形：{items}",
                      f"{text!r} needs its sub-item: {items}")
    if row.count != "outcome":
        return Reason("outcome.not_a_result",
                      f"“{text}”不是办理结果，而是表中的“{row.label}”",
                      f"{text!r} is the table's row {row.code}, not a result")
    return code


def _is_pending(fmt: TableFormat, text: str) -> bool:
    keys = set(spelling_keys(text))
    return any(spelling_key(p) in keys for p in fmt.pending)


class _Resolver:
    """Resolves ledger spellings once per distinct value (ledgers repeat a few values)."""

    def __init__(self, fmt: TableFormat, has_applicant_column: bool) -> None:
        self.fmt = fmt
        self.has_applicant_column = has_applicant_column
        self._columns: dict[str, str | Reason] = {}
        self._outcomes: dict[str, str | Reason] = {}
        self._pending: dict[str, bool] = {}

    def column(self, text: str) -> str | Reason:
        if text not in self._columns:
            self._columns[text] = _resolve_column(self.fmt, text, self.has_applicant_column)
        return self._columns[text]

    def outcome(self, text: str) -> str | Reason:
        if text not in self._outcomes:
            self._outcomes[text] = _resolve_outcome(self.fmt, text)
        return self._outcomes[text]

    def pending(self, text: str) -> bool:
        if text not in self._pending:
            self._pending[text] = _is_pending(self.fmt, text)
        return self._pending[text]


def _add(counts: dict[tuple[str, str], int], row: str, column: str) -> None:
    counts[row, column] = counts.get((row, column), 0) + 1


def build_table(book: Rulebook, ledger: Ledger, year: int, *,
                table_format: TableFormat | None = None) -> AnnualTable:
    """Fill section 三 of ``year``'s annual report from ``ledger``.

    Args:
        book: the rulebook of the reporting agency (named in the output).
        ledger: from :func:`govdisclose.ledgers.reading.read_ledger`.
        year: the reporting year (calendar year).
        table_format: default the bundled format for ``year`` (:func:`format_for_year`:
            国办公开办函〔2019〕60号 for 2019–2020, 〔2021〕30号 from 2021).

    Raises:
        AnnualReportError: the format does not apply to ``year`` (or no bundled one does).
    """
    fmt = table_format or format_for_year(year)
    if not fmt.applies_to(year):
        until = f"–{fmt.last_year}" if fmt.last_year else " on"
        msg = (f"the format {fmt.document_number} applies to reporting years {fmt.first_year}"
               f"{until}, not {year} / {fmt.document_number} 格式适用于 {fmt.first_year} 年度起的"
               f"报告，不适用于 {year} 年度")
        raise AnnualReportError(msg)
    start, end = date(year, 1, 1), date(year, 12, 31)
    kind_row = {kind: fmt.rows_counting(kind)[0].code
                for kind in ("received", "carried_over", "outcome_total", "carried_forward")}
    counts: dict[tuple[str, str], int] = {}
    unplaced: list[UnplacedRow] = []
    placements: list[Placement] = []
    after = before = 0
    resolver = _Resolver(fmt, "applicant_type" in ledger.columns)
    first_line: dict[str, int] = {}
    for row in ledger.rows:
        ident = row.values.get("id", "")
        if row.problems:  # not read as written (over-long cell, unclosed quote): not counted
            unplaced.append(UnplacedRow(row.number, row.line, ident, tuple(
                Reason(p.code, p.message_zh, p.message_en) for p in row.problems)))
            continue
        if ident and ident in first_line:
            # A repeated id is one request recorded twice: counting it again would inflate
            # the table, so it is listed instead.
            unplaced.append(UnplacedRow(row.number, row.line, ident, (Reason(
                "id.duplicate", f"编号 {ident} 与第 {first_line[ident]} 行重复，未重复计数",
                f"id {ident} repeats line {first_line[ident]}; not counted twice"),)))
            continue
        if ident:
            first_line[ident] = row.line
        result = _place(resolver, row, start, end, kind_row)
        if isinstance(result, str):
            after += result == "after"
            before += result == "before"
        elif isinstance(result, UnplacedRow):
            unplaced.append(result)
            if result.column is not None:
                for code in result.counted_in:
                    _add(counts, code, result.column)
        else:
            placements.append(result)
            _add(counts, result.entry, result.column)
            _add(counts, result.exit, result.column)
    rows = _table_rows(fmt, counts, kind_row)
    identity = identity_check(fmt, rows, kind_row, unplaced)
    warnings = ledger_warnings(ledger, identity)
    partly = sum(1 for u in unplaced if u.counted_in)
    summary = Summary(len(ledger.rows), len(placements), len(unplaced), partly, after, before)
    return AnnualTable(book.id, book.name, year, ledger.file, fmt, rows, identity,
                       tuple(unplaced), tuple(placements), warnings, summary)


def _place(resolver: _Resolver, row: LedgerRow, start: date, end: date,
           kind_row: Mapping[str, str]) -> Placement | UnplacedRow | str:
    """One ledger row: a placement, an unplaced row, or "after" / "before" (not this year)."""
    values = row.values
    ident = values.get("id", "")
    reasons: list[Reason] = []
    received_text = values.get("received_on", "")
    replied_text = values.get("replied_on", "")
    try:
        received = _parse_date(received_text)
    except ValueError:
        received = None
    if received is None:
        reasons.append(_date_reason("received_on", received_text))
    try:
        replied = _parse_date(replied_text)
        replied_ok = True
    except ValueError:
        replied, replied_ok = None, False
        reasons.append(_date_reason("replied_on", replied_text))
    if received is not None and received > end:
        return "after"
    backwards = replied is not None and received is not None and replied < received
    if replied is not None and replied < start and not backwards:
        return "before"
    if backwards:
        reasons.append(Reason("replied_on.before_received",
                              f"答复日期 {replied} 早于收到申请日期 {received}",
                              f"replied_on {replied} is before received_on {received}"))
    dates_known = received is not None and replied_ok and not backwards
    column = resolver.column(values.get("applicant_type", ""))
    if isinstance(column, Reason):
        reasons.append(column)
    outcome_text = values.get("outcome", "")
    handled = replied is not None and start <= replied <= end
    exit_code: str | None = None
    if replied_ok and handled:
        if not outcome_text:
            reasons.append(Reason("outcome.missing",
                                  f"本年 {replied} 已答复，但办理结果为空",
                                  f"replied on {replied}, within the year, but the outcome is "
                                  "empty"))
        elif resolver.pending(outcome_text):
            reasons.append(Reason("outcome.pending_but_replied",
                                  f"办理结果为“{outcome_text}”（未答复），但有答复日期 {replied}",
                                  f"the outcome {outcome_text!r} means not replied, yet "
                                  f"replied_on is {replied}"))
        else:
            outcome = resolver.outcome(outcome_text)
            if isinstance(outcome, Reason):
                reasons.append(outcome)
            else:
                exit_code = outcome
    elif replied_ok and replied is None and outcome_text and not resolver.pending(outcome_text):
        reasons.append(Reason("outcome.without_reply",
                              f"有办理结果“{outcome_text}”但没有答复日期，无法判断是否本年办结",
                              f"the outcome is {outcome_text!r} but replied_on is empty, so "
                              "it cannot be told whether the request was handled this year"))
    elif replied_ok:
        exit_code = kind_row["carried_forward"]
    if received is None or not dates_known or isinstance(column, Reason):
        # Its dates cannot be trusted or its column is unknown: counted nowhere.
        return UnplacedRow(row.number, row.line, ident, tuple(reasons))
    entry = kind_row["received"] if received >= start else kind_row["carried_over"]
    if reasons or exit_code is None:
        return UnplacedRow(row.number, row.line, ident, tuple(reasons), (entry,), column)
    return Placement(row.number, row.line, ident, column, entry, exit_code)


def _table_rows(fmt: TableFormat, counts: Mapping[tuple[str, str], int],
                kind_row: Mapping[str, str]) -> tuple[TableRow, ...]:
    outcome_codes = [r.code for r in fmt.rows_counting("outcome")]
    rows: list[TableRow] = []
    for row, parents in fmt.walk():
        if row.is_group:
            continue
        values: list[int] = []
        for column in fmt.columns:
            if column.total:
                continue
            if row.code == kind_row["outcome_total"]:
                values.append(sum(counts.get((code, column.code), 0) for code in outcome_codes))
            else:
                values.append(counts.get((row.code, column.code), 0))
        total = sum(values)
        ordered = iter(values)
        cells = tuple(total if c.total else next(ordered) for c in fmt.columns)
        rows.append(TableRow(row.code, row.label, tuple(p.label for p in parents), row.verified,
                             cells, row.sources))
    return tuple(rows)
