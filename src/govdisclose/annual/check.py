"""``govdisclose annual-report check FILE [--previous FILE]``: a report held to its format's rules.

:func:`check_report` reads a report (:mod:`.check_read`: the ``--json`` of 三, the whole
report's JSON, the ``--xlsx`` workbook of 三, or the register) and returns every failure as a
:class:`~.check_model.Finding` located at its cell.  Every rule comes from the table format of
the report's year (``rules/formats/``), never from labels written here:

- each value where the format expects one: a count is a whole number ≥ 0 (``signed_count``
  may be negative), a ``wan_yuan`` amount has at most 4 decimals, a ``decimal`` is ≥ 0;
- 三: in every data row the column marked ``total: true`` is the sum of the other columns
  (``sum.row``); the row counting ``outcome_total`` is the sum of the rows counting ``outcome``,
  per column (``sum.results``); per column, the rows counting ``received`` + ``carried_over``
  equal ``outcome_total`` + ``carried_forward`` (``identity``, the format's own statement);
- 二 and 四: every cell with ``total_of`` is the sum of those cells (``sum.group``);
- with ``previous``: last year's ``carried_forward`` row equals this year's ``carried_over``
  row, per column, and last year is this year − 1 (``carry_over``, ``carry_over.year``);
- the drafted paragraphs of 一, 五, 六 (:class:`~.model.DraftParagraph`): each entry of
  ``figures`` whose key is a cell code (``s2.…``, ``s4.…``, ``s3.<row>.<column>``; a merged
  row of 三 is the sum of its rows, as :mod:`.draft` states it) equals that cell
  (``narrative.figure``), and, when the paragraph has sentences, each figure's number is
  written in them in Arabic digits (``narrative.text``).  Numbers in prose that no figure
  names, and paragraphs without ``figures``, are not checked: the checker does not read prose.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ..errors import LedgerError
from .check_model import REQUESTS_CODE, CheckResult, Finding, Location, request_location
from .check_read import read_report
from .table import Reason

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from .check_model import ReadReport, Value
    from .format_model import FormatRow, TableFormat

__all__ = ["check_report"]

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_IN_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_WAN_PLACES = 4


def _decimal(raw: object) -> Decimal | None:
    """A value as a number, or None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str) and _NUMBER.match(text := unicodedata.normalize("NFKC", raw).strip()):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


def _places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else f"{text[:37]}…"


class _Run:
    """The findings of one check, as they are made."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.notes: list[Reason] = []
        self.checked = 0

    def fail(self, code: str, where: Location, zh: str, en: str, expected: object = None,
             found: object = None) -> None:
        self.findings.append(Finding(code, where, zh, en,
                                     None if expected is None else str(expected),
                                     None if found is None else str(found)))

    def number(self, value: Value, kind: str) -> Decimal | None:
        """The value if it is what ``kind`` (``count``, ``signed_count``, ``wan_yuan``,
        ``decimal``) allows; otherwise a finding, and None."""
        self.checked += 1
        raw, at = value.raw, value.location
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.fail("value.missing", at, "空白：应填数字（没有的填 0）",
                      "blank: a number is required (0 when there is none)")
            return None
        number = _decimal(raw)
        if number is None or not number.is_finite():
            self.fail("value.not_a_number", at, f"“{_shown(raw)}”不是数字",
                      f"{_shown(raw)!r} is not a number", found=_shown(raw))
            return None
        if number < 0 and kind != "signed_count":
            self.fail("value.negative", at, f"{number} 是负数；应为非负数",
                      f"{number} is negative; it must be 0 or more", found=number)
            return None
        if kind in ("count", "signed_count") and number != number.to_integral_value():
            self.fail("value.fraction", at, f"{number} 不是整数；件数应为整数",
                      f"{number} is not a whole number; counts are whole", found=number)
            return None
        if kind == "wan_yuan" and _places(number) > _WAN_PLACES:
            self.fail("value.decimals", at, f"{number} 有 {_places(number)} 位小数；以万元计最多 "
                      f"{_WAN_PLACES} 位", f"{number} has {_places(number)} decimals; at most "
                      f"{_WAN_PLACES} in 10,000 yuan", found=number)
            return None
        return number

    def total(self, code: str, at: Location, found: Decimal | None,
              parts: Iterable[Decimal | None], zh: str, en: str) -> None:
        """``found`` must be the sum of ``parts`` (skipped when any is unusable)."""
        values = list(parts)
        if found is None or any(p is None for p in values):
            return
        self.checked += 1
        expected = sum((p for p in values if p is not None), Decimal(0))
        if found != expected:
            def fill(text: str) -> str:
                return text.replace("{found}", str(found)).replace("{expected}", str(expected))

            self.fail(code, at, fill(zh), fill(en), expected, found)


_Numbers = dict[tuple[str, str], Decimal | None]


def _only(fmt: TableFormat, kind: str) -> FormatRow:
    return fmt.rows_counting(kind)[0]


def _requests(run: _Run, report: ReadReport, fmt: TableFormat) -> _Numbers:
    nums: _Numbers = {key: run.number(value, "count") for key, value in report.requests.items()}
    cols = [c for c in fmt.columns if not c.total]
    total = next(c for c in fmt.columns if c.total)
    other = "、".join(c.label for c in cols)
    for row in fmt.data_rows:
        if (row.code, total.code) in report.requests:
            run.total("sum.row", report.requests[(row.code, total.code)].location,
                      nums.get((row.code, total.code)), (nums.get((row.code, c.code)) for c in cols),
                      f"{total.text}为 {{found}}，{other}之和为 {{expected}}",
                      f"{total.text_en or total.code} is {{found}}, but the other columns add "
                      "up to {expected}")
    results = _only(fmt, "outcome_total")
    outcomes = fmt.rows_counting("outcome")
    parents = next(p for r, p in fmt.walk() if r.code == results.code)
    group = parents[-1].label if parents else ""
    received, carried_over = _only(fmt, "received"), _only(fmt, "carried_over")
    forward = _only(fmt, "carried_forward")
    for col in fmt.columns:
        key = (results.code, col.code)
        if key not in report.requests:
            continue
        at = report.requests[key].location
        run.total("sum.results", at, nums.get(key),
                  (nums.get((r.code, col.code)) for r in outcomes),
                  f"{results.label}为 {{found}}，{group}各结果行之和为 {{expected}}",
                  f"{results.text_en or results.code} is {{found}}, but the result rows add up "
                  "to {expected}")
        left = [nums.get((r.code, col.code)) for r in (received, carried_over)]
        right = [nums.get((r.code, col.code)) for r in (results, forward)]
        if (forward.code, col.code) in report.requests and None not in left + right:
            a, b, c, d = (x or Decimal(0) for x in (*left, *right))
            spot = report.requests[(forward.code, col.code)].location
            where = Location(spot.file, spot.path, spot.section, f"{REQUESTS_CODE}.identity."
                             f"{col.code}", f"{fmt.identity} × {col.label}",
                             f"{fmt.identity_en or 'identity'} × {col.text_en or col.code}",
                             spot.sheet, spot.row, spot.column)
            run.total("identity", where, a + b, (c, d),
                      f"不成立：{received.label} {a} + {carried_over.label} {b} = {{found}}，"
                      f"{results.label} {c} + {forward.label} {d} = {{expected}}",
                      f"does not hold: received {a} + carried over {b} = {{found}}, but total "
                      f"handled {c} + carried forward {d} = {{expected}}")
    return nums


def _figures(run: _Run, report: ReadReport, fmt: TableFormat) -> dict[str, Decimal | None]:
    nums: dict[str, Decimal | None] = {}
    for section in (fmt.proactive, fmt.remedies):
        if section is None:
            continue
        cells = {c.code: c for c in section.cells}
        for code, value in report.figures.items():
            if code in cells:
                nums[code] = run.number(value, cells[code].value_type)
        for cell in cells.values():
            if cell.total_of and cell.code in report.figures:
                names = "+".join(cells[p].column.text for p in cell.total_of)
                names_en = " + ".join(cells[p].column.text_en or p for p in cell.total_of)
                run.total("sum.group", report.figures[cell.code].location, nums.get(cell.code),
                          (nums.get(p) for p in cell.total_of),
                          f"{cell.column.text}为 {{found}}，{names}之和为 {{expected}}",
                          f"{cell.column.text_en or cell.column.code} is {{found}}, but "
                          f"{names_en} add up to {{expected}}")
    return nums


def _cell_value(code: str, report: ReadReport, fmt: TableFormat, requests: _Numbers,
                figures: dict[str, Decimal | None]) -> tuple[bool, Decimal | None, Location | None]:
    """Whether ``code`` names a table cell, its value (None if unusable) and location.  A
    merged row of 三 (``s3.unable.total``) is the sum of its data rows, as the draft states it."""
    if code in report.figures:
        return True, figures.get(code), report.figures[code].location
    head, _, rest = code.partition(".")
    row, _, col = rest.rpartition(".")
    if head != REQUESTS_CODE:
        return False, None, None
    group = next((r for r, _ in fmt.walk() if r.code == row and r.is_group), None)
    keys = ([(r.code, col) for r, _ in group.walk() if not r.is_group] if group is not None
            else [(row, col)])
    if not all(key in report.requests for key in keys):
        return False, None, None
    parts = [requests.get(key) for key in keys]
    value = None if None in parts else sum((p for p in parts if p is not None), Decimal(0))
    first = report.requests[keys[0]].location
    return True, value, request_location(fmt, first.file, first.path, row, col,
                                         sheet=first.sheet, line=first.row, column=first.column)


def _narrative(run: _Run, report: ReadReport, fmt: TableFormat, requests: _Numbers,
               figures: dict[str, Decimal | None]) -> None:
    unchecked: list[str] = []
    for para in report.paragraphs:
        text = unicodedata.normalize("NFKC", "".join(para.sentences))
        stated = {Decimal(t.replace(",", "")) for t in _IN_TEXT.findall(text)}
        for code, value in para.figures:
            figure = _decimal(value.raw)
            known, cell, at = _cell_value(code, report, fmt, requests, figures)
            label_zh = at.label_zh if at is not None else code
            label_en = at.label_en if at is not None else code
            where = Location(value.location.file, value.location.path, para.section, code,
                             label_zh, label_en)
            if not known:
                unchecked.append(code)
            elif figure is not None and cell is not None:
                run.checked += 1
                if figure != cell:
                    run.fail("narrative.figure", where, f"正文写 {figure}，表中为 {cell}",
                             f"the text says {figure}, the table {cell}", cell, figure)
            if para.sentences and figure is not None and figure not in stated:
                run.checked += 1
                run.fail("narrative.text", Location(where.file, para.path, para.section, code,
                                                    label_zh, label_en),
                         f"段落的句子中没有写出这个数字 {figure}", f"the paragraph's sentences do "
                         f"not state this figure, {figure}", figure, None)
    if unchecked:
        codes = ", ".join(sorted(set(unchecked)))
        run.notes.append(Reason("narrative.unchecked",
                                f"正文数字 {codes} 不是表格中的单元格，未与表格核对",
                                f"narrative figures {codes} are not table cells; not held to a "
                                "table"))


def _carry_over(run: _Run, report: ReadReport, fmt: TableFormat, nums: _Numbers,
                previous: ReadReport) -> None:
    prev_fmt = previous.format
    if prev_fmt is None:
        msg = f"{previous.file}: --previous needs a report with section 三 / 上一年度文件没有第三部分"
        raise LedgerError(msg)
    if report.year is None or previous.year is None:
        run.notes.append(Reason("carry_over.no_year", "缺少报告年度，未核对上一年度是否为前一年",
                                "a reporting year is missing; whether --previous is the year "
                                "before was not checked"))
    elif previous.year != report.year - 1:
        first = next(iter(report.requests.values()), None)
        at = first.location if first is not None else Location(report.file, "$")
        run.fail("carry_over.year", Location(report.file, at.path, fmt.section),
                 f"上一年度文件是 {previous.year} 年度的，应为 {report.year - 1} 年度",
                 f"--previous is the report of {previous.year}, not {report.year - 1}",
                 report.year - 1, previous.year)
        return
    here, there = _only(fmt, "carried_over"), _only(prev_fmt, "carried_forward")
    for col in fmt.columns:
        key, prev_key = (here.code, col.code), (there.code, col.code)
        if key not in report.requests or prev_key not in previous.requests:
            continue
        prev = _decimal(previous.requests[prev_key].raw)
        run.total("carry_over", report.requests[key].location, nums.get(key), (prev,),
                  f"{here.label}为 {{found}}，上一年度报告（{previous.file}）{there.label}为 "
                  "{expected}", f"carried over {{found}}, but last year's report "
                  f"({previous.file}) carried forward {{expected}}")


def check_report(path: Path, *, previous: Path | None = None,
                 table_format: TableFormat | None = None) -> CheckResult:
    """Check the report in ``path`` (and its carry-over from ``previous``).

    Raises:
        LedgerError: ``path`` or ``previous`` cannot be read or is no kind of report ``check``
            reads; ``previous`` is given but one of the two files has no section 三.
    """
    report = read_report(path, table_format)
    run = _Run()
    run.findings.extend(report.findings)
    fmt = report.format
    if fmt is None:
        if previous is not None:
            msg = f"{report.file}: a register has no section 三 to compare with --previous / " \
                  "年报数据登记表没有第三部分，不能核对结转"
            raise LedgerError(msg)
        run.notes.append(Reason("register.cells_only",
                                "年报数据登记表：只检查每个单元格；各部分的数字请用 --register … "
                                "--json 算出整份报告后再检查",
                                "a register: each cell is checked; to check the figures, write "
                                "the whole report with --register … --json and check that"))
        return CheckResult(report.file, report.kind, None, None, None, tuple(run.findings),
                           tuple(run.notes), run.checked)
    requests = _requests(run, report, fmt)
    figures = _figures(run, report, fmt)
    _narrative(run, report, fmt, requests, figures)
    if previous is not None:
        _carry_over(run, report, fmt, requests, read_report(previous))
    return CheckResult(report.file, report.kind, report.year, fmt.id,
                       None if previous is None else str(previous), tuple(run.findings),
                       tuple(run.notes), run.checked)
