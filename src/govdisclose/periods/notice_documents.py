"""A read notice as a year document (``schemas/calendar.schema.json``): a base notice becomes
a year file; an amending notice is applied onto one (each arrangement replaces its festival's
days, an extension moves the festival's last day off, a new festival is added) and recorded
under ``amendments``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NoticeError, Problem

if TYPE_CHECKING:
    from datetime import date

    from .notice import Item, ParsedNotice

__all__ = ["amend_year_document", "year_document"]


def _runs(days: tuple[date, ...]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _english(name: str) -> str | None:
    from .statutory import statutory_holidays

    known = {h.name_zh: h.name_en for v in statutory_holidays().versions for h in v.holidays}
    parts = [known.get(n) for n in name.split("、")]
    return " / ".join(p for p in parts if p) if all(parts) else None


def _notice_json(parsed: ParsedNotice, url: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": parsed.title, "document_number": parsed.document_number,
                           "published": parsed.signed.isoformat() if parsed.signed else None}
    if url:
        out["url"] = url
    return out


def _blocks(item: Item) -> list[dict[str, Any]]:
    out = []
    for first, last in _runs(item.off):
        block: dict[str, Any] = {"name": item.name}
        if english := _english(item.name):
            block["name_en"] = english
        block.update({"from": first.isoformat(), "to": last.isoformat()})
        out.append(block)
    return out


def year_document(parsed: ParsedNotice, *, url: str | None = None) -> dict[str, Any]:
    """The year file (``schemas/calendar.schema.json``) for a base notice.

    Raises:
        NoticeError: for an amending notice (use :func:`amend_year_document`), or a notice
            without a signing date.
    """
    if parsed.amending:
        raise NoticeError([Problem(
            "notice.amending", f"「{parsed.title}」是对某年安排的调整，请用 --amend 指定该年的年份文件",
            f"\u201c{parsed.title}\u201d amends a year's schedule: apply it with --amend YEARFILE",
            parsed.file)])
    if parsed.signed is None:
        raise NoticeError([Problem("notice.signed", "找不到落款日期（如 2025年11月4日）",
                                   "no signing date found (e.g. 2025年11月4日)", parsed.file)])
    if any(it.extend_to for it in parsed.items):
        raise NoticeError([Problem("notice.extension", "年度通知中出现“延长”，无法处理",
                                   "a year's base notice cannot extend a holiday", parsed.file)])
    return {
        "year": parsed.year,
        "notice": _notice_json(parsed, url),
        "holidays": [b for it in parsed.items for b in _blocks(it)],
        "makeup_workdays": [{"date": d.isoformat(), "for": it.name}
                            for it in parsed.items for d in it.worked],
    }


def amend_year_document(document: dict[str, Any], parsed: ParsedNotice, *,
                        url: str | None = None) -> dict[str, Any]:
    """Apply an amending notice onto a year document and return the new document.

    Each arrangement replaces the same festival's days off and make-up days; an extension
    (延长…至) moves the festival's last day off and drops its make-up days now inside the
    holiday; a festival the year did not have is added.  The notice is appended to
    ``amendments``.

    Raises:
        NoticeError: when the notice is for another year or the result puts a day both off and
            worked.
    """
    if parsed.year != document["year"]:
        raise NoticeError([Problem(
            "notice.year", f"通知针对 {parsed.year} 年，年份文件为 {document['year']} 年",
            f"the notice is for {parsed.year}, the year file for {document['year']}", parsed.file)])
    holidays = [dict(b) for b in document["holidays"]]
    makeups = [dict(m) for m in document["makeup_workdays"]]
    for item in parsed.items:
        mine = [b for b in holidays if item.name in b["name"].split("、") or b["name"] == item.name]
        if item.extend_to is not None:
            if not mine:
                raise NoticeError([Problem(
                    "notice.extension", f"年份文件中没有“{item.name}”，无法延长",
                    f"the year file has no {item.name} to extend", parsed.file, item.line)])
            last = max(mine, key=lambda b: b["to"])
            last["to"] = item.extend_to.isoformat()
            first = min(b["from"] for b in mine)
            makeups = [m for m in makeups
                       if not (m["for"] == last["name"] and first <= m["date"] <= last["to"])]
            continue
        names = {b["name"] for b in mine} | {item.name}
        holidays = [b for b in holidays if b["name"] not in names]
        makeups = [m for m in makeups if m["for"] not in names]
        holidays.extend(_blocks(item))
        makeups.extend({"date": d.isoformat(), "for": item.name} for d in item.worked)
    notice = _notice_json(parsed, url)
    notice["festivals"] = [it.name for it in parsed.items]
    out = dict(document)
    out["amendments"] = [*document.get("amendments", []), notice]
    out["holidays"] = sorted(holidays, key=lambda b: b["from"])
    out["makeup_workdays"] = sorted(makeups, key=lambda m: m["date"])
    # ISO strings compare as dates: a make-up day inside any block is a clash.
    clash = [m["date"] for m in out["makeup_workdays"]
             if any(b["from"] <= m["date"] <= b["to"] for b in out["holidays"])]
    if clash:
        raise NoticeError([Problem("notice.conflict", f"调整后 {clash[0]} 既放假又上班",
                                   f"after the amendment {clash[0]} is both off and worked",
                                   parsed.file)])
    return out
