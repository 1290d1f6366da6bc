"""The ledger workbook (台账.xlsx) that ``govdisclose ledger template`` writes.

An agency that keeps its ledger in Excel starts from this file, and ``audit``, ``upcoming``
and ``annual-report`` read it back as it is filled in.  Nothing here is a second list of
columns or values: the columns are the reader's (:data:`govdisclose.ledgers.reading.COLUMNS`,
the first Chinese header of each), and the drop-down lists are the words the readers already
accept —

* 申请人类型 and 办理结果: the applicant columns and result rows of the bundled annual-report
  format in force (:func:`govdisclose.annual.format.bundled_format`, the 2021 format), which
  ``annual-report`` resolves them by;
* 申请渠道: the request channels of :class:`govdisclose.rulebook.vocabulary.Channel` (what a
  request's ``channel`` and the rulebooks' receipt rules take), by their Chinese labels.
  Ledgers do not carry a channel column yet, so the column is written under its Chinese name
  and the readers keep it as an unknown column (``audit --json``: ``unknown_columns``).

Sheets: 台账 first (the readers take the first sheet), then 说明 (what each column records,
the accepted headers and values), then a hidden 选项 sheet holding the lists the drop-downs
point at (an in-cell list is limited to 255 characters; the result labels are longer).
openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._repr import FieldRepr

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["LEDGER_SHEET", "TemplateColumn", "ledger_template_columns", "write_ledger_template"]

#: The sheet the ledger is kept on: the first, which the readers read.
LEDGER_SHEET = "台账"
_INSTRUCTIONS_SHEET = "说明"
_LISTS_SHEET = "选项"
#: Rows the column formats and drop-downs cover (Excel's last row).
_LAST_ROW = 1_048_576
#: The header of the channel column while the readers have none of their own.
_CHANNEL_HEADER = "申请渠道"
_DATE_FORMAT = "yyyy-mm-dd"

#: What the columns that are not an event's date record (the event columns say it from the
#: request event table's labels).
_NOTES: dict[str, str] = {
    "id": "申请的编号，每行唯一（必填）",
    "received_on": "收到申请之日（必填）；期限自次日起算",
    "channel": "申请以何种方式提出（当面、邮寄、互联网等）",
    "reply_sent_on": "答复发出之日（须同时填写答复日期）",
    "reply_served_on": "答复送达之日（须同时填写答复日期）",
    "supplement_due": "补正告知中给出的补正期限（须同时填写告知补正日期）",
    "reply_by": "告知申请人的延迟答复期限（须同时填写告知延迟答复期限日期）",
    "extension_approved_by": "批准延期的人：规则集中的角色，如政府信息公开工作机构负责人",
    "extension_notified_on": "告知申请人延期之日（须同时填写延期批准日期）",
    "applicant_type": "年度报告按此分列（自然人，或法人或者其他组织的类别）",
    "outcome": "办理结果，年度报告“本年度办理结果”的一项；答复后填写",
}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TemplateColumn(FieldRepr):
    """One column of the template.

    Attributes:
        key: the canonical column (``received_on`` …); ``channel`` also while the readers
            do not know it.
        header: the Chinese header written.
        kind: ``date``, ``text`` or ``choice``.
        note: what the column records, in Chinese.
        aliases: the other headers the readers accept for it.
        choices: the drop-down values (``choice`` columns).
        required: whether the readers need it filled on every row.
        read: whether the readers know the column (else it is kept as an unknown column).
    """

    key: str
    header: str
    kind: str
    note: str
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    required: bool = False
    read: bool = True


def _outcome_choices() -> tuple[str, ...]:
    """Each result row of the annual-report format by its shortest accepted spelling: the
    printed text, or a shorter alias (部分公开 for the long label of row (二))."""
    from ..annual.format import bundled_format

    return tuple(min((row.text, *row.aliases), key=len)
                 for row in bundled_format().rows_counting("outcome"))


def _applicant_choices() -> tuple[str, ...]:
    """The applicant columns of the annual-report format, the total column left out."""
    from ..annual.format import bundled_format

    return tuple(column.text for column in bundled_format().columns if not column.total)


def _channel_choices() -> tuple[str, ...]:
    from ..rulebook.vocabulary import Channel

    return tuple(channel.zh for channel in Channel)


def ledger_template_columns() -> tuple[TemplateColumn, ...]:
    """The template's columns in order: id, receipt, channel, applicant type, then each event
    column of the request event table followed by the columns of the fields it carries, the
    outcome last; any column the reader knows and this order does not place comes before the
    outcome, so a column added to the reader is never left out."""
    from ..ledgers.reading import COLUMNS, FIELD_COLUMNS, REQUIRED
    from ..rulebook.events import REQUEST_EVENTS

    def column(key: str, kind: str, note: str, choices: tuple[str, ...] = ()) -> TemplateColumn:
        header, *aliases = [a for a in COLUMNS[key] if a != key]
        return TemplateColumn(key, header, kind, note, tuple(aliases), choices,
                              required=key in REQUIRED)

    out = [column("id", "text", _NOTES["id"]),
           column("received_on", "date", _NOTES["received_on"])]
    if "channel" in COLUMNS:
        out.append(column("channel", "choice", _NOTES["channel"], _channel_choices()))
    else:
        out.append(TemplateColumn("channel", _CHANNEL_HEADER, "choice", _NOTES["channel"],
                                  choices=_channel_choices(), read=False))
    out.append(column("applicant_type", "choice", _NOTES["applicant_type"],
                      _applicant_choices()))
    for event in REQUEST_EVENTS.values():
        if event.ledger_column is None:
            continue
        out.append(column(event.ledger_column, "date", f"{event.label_zh}之日"))
        for field_column in FIELD_COLUMNS:
            if field_column.event == event.type:
                out.append(column(field_column.column,
                                  "date" if field_column.is_date else "text",
                                  _NOTES.get(field_column.column, field_column.field)))
    placed = {c.key for c in out} | {"outcome"}
    out += [column(key, "text", _NOTES.get(key, key)) for key in COLUMNS if key not in placed]
    out.append(column("outcome", "choice", _NOTES["outcome"], _outcome_choices()))
    return tuple(out)


def _ledger_sheet(ws: Worksheet, columns: tuple[TemplateColumn, ...],
                  lists: dict[str, str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        letter = get_column_letter(i)
        cells = f"{letter}2:{letter}{_LAST_ROW}"
        dimension = ws.column_dimensions[letter]
        dimension.width = 34 if column.kind == "choice" else 16
        if column.kind == "date":
            # A column style: cells typed in later are dates shown as 2026-03-02.  Text dates
            # (2026年3月2日) are accepted too, so the check warns and lets them through.
            dimension.number_format = _DATE_FORMAT
            check = DataValidation(type="date", operator="greaterThan", formula1="1",
                                   allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                   errorTitle=column.header,
                                   error="请填写日期，如 2026-03-02 / enter a date")
        elif column.kind == "choice":
            check = DataValidation(type="list", formula1=lists[column.key], allow_blank=True,
                                   showErrorMessage=True, errorTitle=column.header,
                                   error=f"请从下拉列表中选择（见“{_INSTRUCTIONS_SHEET}”）")
        else:
            dimension.number_format = "@"  # text: an id such as 001 keeps its zeros
            continue
        check.add(cells)
        ws.add_data_validation(check)


def _lists_sheet(ws: Worksheet, columns: tuple[TemplateColumn, ...]) -> dict[str, str]:
    """One column per drop-down list; returns each list's range formula, by column key."""
    from openpyxl.utils import get_column_letter

    from .escaping import neutralise_cell

    formulas: dict[str, str] = {}
    for i, column in enumerate(c for c in columns if c.choices):
        letter = get_column_letter(i + 1)
        ws.cell(1, i + 1, column.header)
        for row, choice in enumerate(column.choices, 2):
            ws.cell(row, i + 1, neutralise_cell(choice))
        last = len(column.choices) + 1
        formulas[column.key] = f"'{_LISTS_SHEET}'!${letter}$2:${letter}${last}"
    ws.sheet_state = "hidden"
    return formulas


def _instructions(ws: Worksheet, columns: tuple[TemplateColumn, ...]) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append(["政府信息公开申请台账 填写说明 / How to fill in the ledger"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        f"在“{LEDGER_SHEET}”表中每件申请填一行；表头不要改动（也可用下表“也可写作”中的写法），"
        "列的先后不限，可增加本机关自用的列（审计时原样保留）。",
        "日期填 2026-03-02 这样的日期；2026/3/2、2026.3.2、2026年3月2日 也可。没有发生的环节留空。",
        "检查：govdisclose audit 规则集 台账.xlsx --as-of 日期（逾期、迟延答复、填写错误逐行列出）；"
        "提醒：govdisclose upcoming 规则集 台账.xlsx --within 5（五个工作日内到期的申请）；"
        "年度报告：govdisclose annual-report 规则集 台账.xlsx --year 年度。",
        "One row per request on the first sheet; keep the headers; dates as 2026-03-02. "
        "Check with `govdisclose audit`, get reminders with `govdisclose upcoming`.",
    ):
        ws.append([line])
    ws.append([])
    ws.append(["列 column", "键 key", "必填", "填写", "记录什么", "也可写作", "可选值"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    kinds = {"date": "日期", "text": "文字", "choice": "从下拉列表中选择"}
    for column in columns:
        note = column.note if column.read else \
            f"{column.note}（供本机关登记；审计暂不读取此列）"
        ws.append([column.header, column.key, "是" if column.required else "",
                   kinds[column.kind], note, "、".join(column.aliases),
                   "、".join(column.choices)])
    ws.column_dimensions["A"].width = 24
    for letter, width in zip("BCDEFG", (26, 6, 16, 44, 30, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_ledger_template(path: Path) -> None:
    """Write the empty ledger workbook to ``path`` (an ``.xlsx``; the caller decides whether
    an existing file may be replaced — the command never does)."""
    from openpyxl import Workbook

    columns = ledger_template_columns()
    book = Workbook()
    ledger = book.active
    assert ledger is not None
    ledger.title = LEDGER_SHEET
    instructions = book.create_sheet(_INSTRUCTIONS_SHEET)
    lists = _lists_sheet(book.create_sheet(_LISTS_SHEET), columns)
    _ledger_sheet(ledger, columns, lists)
    _instructions(instructions, columns)
    book.save(path)
