"""What each endpoint computes, as plain synchronous functions of the loaded books.

:class:`Books` loads every rulebook once, when the service starts, from the configured
directories and the bundled ones; a request names a book by id and gets it from that table —
no request ever makes the service open a file it names.  The handlers return
:class:`~.answers.Answer` values whose JSON bodies come from :mod:`govdisclose.outputs.documents`,
the functions the CLI's ``--json`` uses, so the bytes are the same.  They run in worker
threads (:mod:`.app`), and share nothing mutable: books and calendars are immutable.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from calendar import monthrange
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._paths import rules_dir
from .._suggest import did_you_mean
from ..errors import LedgerError, UnknownRulebookError
from ..outputs import documents
from ..periods.values import CHINA_STANDARD_TIME
from .answers import Answer, json_answer
from .describe import describe_rulebook
from .inputs import (
    body_document,
    csv_encoding,
    query_bool,
    query_count,
    query_date,
    query_moment,
    refuse,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .config import ServiceConfig

__all__ = ["XLSX", "Books", "Handlers"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: An .xlsx file is a zip archive: it starts with these bytes.
_ZIP_MAGIC = b"PK\x03\x04"
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class Books:
    """Every rulebook of the configured directories (first) and the bundled ones, loaded once.

    Raises (at start-up, so that a broken rulebook stops the service instead of failing
    requests): RulebookError with the located problems of the first book that does not load.
    """

    def __init__(self, directories: tuple[Path, ...]) -> None:
        from ..rulebook.loading import RulebookLibrary

        self.library = RulebookLibrary([*directories, rules_dir()])
        self.books: dict[str, Rulebook] = {
            book_id: self.library.load(self.library.find(book_id))
            for book_id in self.library.ids()}

    def get(self, book_id: str) -> Rulebook:
        """The book with this id (never a path: ids are looked up in the table only)."""
        book = self.books.get(book_id)
        if book is None:
            known = sorted(self.books)
            raise UnknownRulebookError(book_id[:100], known, did_you_mean(book_id[:100], known))
        return book

    def listing(self) -> dict[str, Any]:
        """``rulebooks --json`` of these books."""
        return documents.rulebooks_document(self.library)


class Handlers:
    """The endpoints' work; one instance per service, used from many threads."""

    def __init__(self, config: ServiceConfig) -> None:
        from ..periods.calendar import official_calendar

        self.config = config
        self.books = Books(config.rules)
        extra = list(config.calendar) if config.calendar is not None else None
        self.calendars = {flag: official_calendar(provisional=flag, extra=extra)
                          for flag in (False, True)}
        self._listing = json_answer(self.books.listing())

    def _calendar(self, query: Mapping[str, str]) -> OfficialCalendar:
        return self.calendars[query_bool(query, "provisional")]

    def _as_of(self, query: Mapping[str, str]) -> date:
        """``as_of``, or as the CLI does without ``--as-of``: today's date in China."""
        given = query_date(query, "as_of")
        return given if given is not None else datetime.now(CHINA_STANDARD_TIME).date()

    # -- GET ----------------------------------------------------------------------------------

    def rulebooks(self) -> Answer:
        return self._listing

    def rulebook(self, book_id: str, query: Mapping[str, str]) -> Answer:
        book = self.books.get(book_id)
        return json_answer(describe_rulebook(book, query_date(query, "on")))

    def limits(self, book_id: str, query: Mapping[str, str]) -> Answer:
        book = self.books.get(book_id)
        return json_answer(documents.limits_document(book, query_date(query, "on")))

    def deadline(self, book_id: str, limit: str, query: Mapping[str, str]) -> Answer:
        book = self.books.get(book_id)
        start = query_moment(query, "from")
        return json_answer(documents.deadline_document(book, limit, start,
                                                       self._calendar(query)))

    def workdays(self, query: Mapping[str, str]) -> Answer:
        start = query_date(query, "from", required=True) or date.min
        n = query_count(query, "n", self.config.max_workdays)
        return json_answer(documents.workdays_document(start, n, self._calendar(query)))

    def calendar_month(self, query: Mapping[str, str]) -> Answer:
        """One month of the official calendar, day by day (the page's calendar view)."""
        text = query.get("month", "")
        match = _MONTH.fullmatch(text)
        if match is None or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
            raise refuse("query.month", f"month 应为 YYYY-MM，实际为 {text[:40]!r}",
                         f"month must be YYYY-MM (got {text[:40]!r})", "month")
        year, month = int(match[1]), int(match[2])
        calendar = self._calendar(query)
        days = []
        for day in range(1, monthrange(year, month)[1] + 1):
            info = calendar.day_info(date(year, month, day))
            days.append({"date": info.day.isoformat(), "weekday": info.day.isoweekday(),
                         "kind": info.kind.value, "working": calendar.is_workday(info.day),
                         "name_zh": info.name_zh, "name_en": info.name_en,
                         "provisional": info.provisional})
        return json_answer({"month": text, "days": days})

    def workflow_svg(self, book_id: str, query: Mapping[str, str]) -> Answer:
        """The workflow picture as a standalone SVG document (for an ``<img>``: no script in
        an image runs).  Every text in it was escaped by the template (outputs/svg.py)."""
        from ..outputs.graph import workflow_graph
        from ..outputs.svg import workflow_svg

        book = self.books.get(book_id)
        kind = query.get("kind", "request")
        if kind not in ("request", "item"):
            raise refuse("query.kind", f"kind 应为 request 或 item，实际为 {kind[:40]!r}",
                         f"kind must be request or item (got {kind[:40]!r})", "kind")
        on = query_date(query, "on") or documents.default_on(book)
        svg = workflow_svg(workflow_graph(book, kind, on), f"wf-{kind}")
        # The inline picture has no namespace (HTML supplies it); a file needs it.
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        return Answer(200, svg.encode("utf-8"), "image/svg+xml")

    # -- POST ---------------------------------------------------------------------------------

    def evaluate(self, book_id: str, query: Mapping[str, str], body: bytes) -> Answer:
        from ..engine.request_input import parse_request
        from ..engine.requests import evaluate_request

        book = self.books.get(book_id)
        calendar = self._calendar(query)
        as_of = self._as_of(query)
        doc = body_document(body, "<request>")
        request = parse_request(doc.data, book, doc=doc)
        outcome = evaluate_request(book, request, as_of=as_of, calendar=calendar)
        return json_answer(documents.evaluate_document(outcome))

    def plan(self, book_id: str, query: Mapping[str, str], body: bytes) -> Answer:
        from ..engine.items import evaluate_item, parse_item

        book = self.books.get(book_id)
        calendar = self._calendar(query)
        as_of = query_date(query, "as_of")
        doc = body_document(body, "<item>")
        item = parse_item(doc.data, book, doc=doc)
        outcome = evaluate_item(book, item, as_of=as_of, calendar=calendar)
        return json_answer(documents.plan_document(outcome))

    def audit(self, book_id: str, query: Mapping[str, str], body: bytes,
              content_type: str | None) -> Answer:
        """Audit a ledger body.  The ledger reader reads files, so the body is written to a
        private temporary directory (removed at once), named ``ledger.csv`` or
        ``ledger.xlsx`` as the answer calls it; nothing else is written."""
        book = self.books.get(book_id)
        calendar = self._calendar(query)
        as_of = self._as_of(query)
        xlsx = body.startswith(_ZIP_MAGIC)
        mime = (content_type or "").split(";")[0].strip().lower()
        if mime == XLSX and not xlsx:
            raise refuse("body.media_type", "声明为 .xlsx 但内容不是 .xlsx 文件",
                         "declared .xlsx, but the body is not an .xlsx file", "content-type",
                         file="<headers>")
        encoding = None if xlsx else csv_encoding(content_type)
        name = "ledger.xlsx" if xlsx else "ledger.csv"
        with tempfile.TemporaryDirectory(prefix="govdisclose-audit-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(body)
            try:
                return self._audit_file(book, path, name, encoding, as_of, calendar)
            except LedgerError as exc:  # worded with the temporary path: say the name
                raise LedgerError(str(exc).replace(str(path), name)) from None

    def _audit_file(self, book: Rulebook, path: Path, name: str, encoding: str | None,
                    as_of: date, calendar: OfficialCalendar) -> Answer:
        from ..ledgers.audit import audit_stream
        from ..ledgers.reading import open_ledger

        ledger = dataclasses.replace(open_ledger(path, encoding=encoding), file=name)
        cap = self.config.max_ledger_rows
        if ledger.count > cap:
            raise refuse("ledger.too_many_rows", f"台账有 {ledger.count} 行，超过本服务的上限 {cap} "
                         "行；请拆分，或在本机用 govdisclose audit", f"the ledger has "
                         f"{ledger.count} rows, over this service's cap of {cap}; split it, or "
                         "run govdisclose audit locally", file=name)
        head, chunks = audit_stream(book, ledger, as_of=as_of, workers=1, calendar=calendar)
        text, _ = documents.audit_document_text(head, chunks)
        return Answer(200, text.encode("utf-8"))
