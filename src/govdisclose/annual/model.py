"""The whole annual report (政府信息公开工作年度报告, 条例 2019 第四十九条、第五十条) as values: its
six sections, each figure a :class:`Cell` keyed by the stable code the table format gives it.

- 一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项: a *draft* —
  :class:`DraftSection` paragraphs whose figures come from the tables and whose prose is left as
  :class:`Placeholder` s for the agency to write.  Nothing here invents a claim.
- 二、主动公开政府信息情况 and 四、政府信息公开行政复议、行政诉讼情况: :class:`FigureTable` s,
  counted from the agency's register (:mod:`.register`, :mod:`.sections`).
- 三、收到和处理政府信息公开申请情况: the :class:`~.table.AnnualTable` counted from the request
  ledger (:mod:`.report`).

The cell codes, labels and layout belong to the table format (data, dated by reporting year);
this module only carries values.  ``to_json()`` is the ``annual-report --full --json`` document
(``schemas/annual-report-full.schema.json``), which ``annual-report check`` reads back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from .table import AnnualTable, Reason

__all__ = ["MISSING_CELL", "AnnualReport", "Cell", "DraftParagraph", "DraftSection",
           "FigureTable", "Placeholder"]

#: What a printed table of 二 or 四 shows in a cell with no data (never 0); ``annual-report
#: check`` reads it back as blank.
MISSING_CELL = "缺数"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Cell(FieldRepr):
    """One figure of a table.

    Attributes:
        code: the cell's stable code in the table format.
        value: a count (``int``) or an amount in 万元 (``Decimal``); ``None`` when the register
            holds no data for it (the cell is left blank and listed as missing, never 0).
        sources: where the figure comes from (register sheet and rows, ledger), for people.
    """

    code: str
    value: int | Decimal | None
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        value: Any = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"code": self.code, "value": value, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureTable(FieldRepr):
    """Section 二 or 四: every cell the format declares for the year, in the format's order.

    ``missing`` lists the codes with no data; ``notes`` say what the counting had to decide
    (e.g. a case with no result yet counted as 尚未审结).
    """

    section: str
    cells: tuple[Cell, ...]
    missing: tuple[str, ...] = ()
    notes: tuple[Reason, ...] = ()

    def value(self, code: str) -> int | Decimal | None:
        for cell in self.cells:
            if cell.code == code:
                return cell.value
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "cells": [c.to_json() for c in self.cells],
                "missing": list(self.missing), "notes": [n.to_json() for n in self.notes]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Placeholder(FieldRepr):
    """Prose the agency must write: what belongs there, in the format's words."""

    key: str
    prompt_zh: str
    prompt_en: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "prompt_zh": self.prompt_zh, "prompt_en": self.prompt_en}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DraftParagraph(FieldRepr):
    """A paragraph of a drafted section: sentences stating figures from the tables (each
    figure also as a cell code, so a checker can hold the text to the tables), then the prose
    left to write."""

    heading: str | None
    sentences: tuple[str, ...]
    figures: Mapping[str, int | Decimal] = field(default_factory=dict)
    placeholders: tuple[Placeholder, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"heading": self.heading, "sentences": list(self.sentences),
                "figures": {k: (str(v) if isinstance(v, Decimal) else v)
                            for k, v in self.figures.items()},
                "placeholders": [p.to_json() for p in self.placeholders]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DraftSection(FieldRepr):
    """Section 一, 五 or 六 as a draft: its heading as the format writes it, and paragraphs."""

    heading: str
    paragraphs: tuple[DraftParagraph, ...]

    def to_json(self) -> dict[str, Any]:
        return {"heading": self.heading, "paragraphs": [p.to_json() for p in self.paragraphs]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AnnualReport(FieldRepr):
    """One agency's report for one year, every section.

    Attributes:
        agency: the agency's name as the report is headed (the rulebook's name unless given).
        period: the 统计期限, first and last day.
        format_id: the table format applied (chosen by reporting year).
        problems: what stops the report from being complete (unplaced ledger rows, register
            rows that could not be read, missing figures), each a reason.
    """

    agency: str
    rulebook: str
    year: int
    period: tuple[date, date]
    format_id: str
    overview: DraftSection            # 一、总体情况
    proactive: FigureTable            # 二、主动公开政府信息情况
    requests: AnnualTable             # 三、收到和处理政府信息公开申请情况
    remedies: FigureTable             # 四、政府信息公开行政复议、行政诉讼情况
    problems_and_improvements: DraftSection   # 五、存在的主要问题及改进情况
    other_matters: DraftSection       # 六、其他需要报告的事项
    problems: tuple[Reason, ...] = ()

    @property
    def complete(self) -> bool:
        return (not self.problems and self.requests.complete and not self.proactive.missing
                and not self.remedies.missing)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "annual-report-full",
            "agency": self.agency,
            "rulebook": self.rulebook,
            "year": self.year,
            "period": [self.period[0].isoformat(), self.period[1].isoformat()],
            "format": self.format_id,
            "sections": {
                "overview": self.overview.to_json(),
                "proactive": self.proactive.to_json(),
                "requests": self.requests.to_json(),
                "remedies": self.remedies.to_json(),
                "problems_and_improvements": self.problems_and_improvements.to_json(),
                "other_matters": self.other_matters.to_json(),
            },
            "problems": [p.to_json() for p in self.problems],
            "complete": self.complete,
        }
