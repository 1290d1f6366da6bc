"""The rulebook page's working-day calendar: twelve month grids of one year.

Each day is a cell — workday, weekend, holiday (named, e.g. 国庆节) or make-up working day
(调休上班, with the holiday it makes up for) — with each month's and the year's working-day
count and the schedule's source.  A year the calendar does not cover is said so, and nothing is
guessed; a provisional year (past the published schedules) is marked as such.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import CalendarCoverageError
from ..periods.calendar import WEEKDAY_EN, WEEKDAY_ZH, DayKind
from .html_parts import escape as _e
from .html_parts import heading as _heading

if TYPE_CHECKING:
    from ..periods.calendar import DayInfo, OfficialCalendar

__all__ = ["calendar_section"]

_KIND_CLASSES = {DayKind.WORKDAY: "workday", DayKind.WEEKEND: "weekend",
                 DayKind.HOLIDAY: "holiday", DayKind.MAKEUP_WORKDAY: "makeup"}


def _year_days(calendar: OfficialCalendar, year: int) -> list[DayInfo]:
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        out.append(calendar.day_info(day))
        day += timedelta(days=1)
    return out


def _day_cell(info: DayInfo) -> str:
    kind = info.kind
    title = f"{info.label} "
    body = f'<span class="num">{info.day.day}</span>'
    if kind is DayKind.HOLIDAY:
        title += f"{info.name_zh or ''} 放假 holiday"
        body += f'<span class="name">{_e(info.name_zh or "放假")}</span>'
    elif kind is DayKind.MAKEUP_WORKDAY:
        title += f"调休上班 make-up working day ({info.name_zh or ''})"
        body += '<span class="tag">调休上班</span>'
        if info.name_zh:
            body += f'<span class="for">{_e(info.name_zh)}</span>'
    else:
        title += "工作日 workday" if kind is DayKind.WORKDAY else "周末 weekend"
    return f'<td class="{_KIND_CLASSES[kind]}" title="{_e(title)}">{body}</td>'


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def calendar_section(year: int, calendar: OfficialCalendar) -> str:
    """The calendar section of the page for ``year`` (``id="calendar"``)."""
    out = [_heading(2, f"{year} 年工作日历", f"Working-day calendar of {year}", "calendar")]
    try:
        days = _year_days(calendar, year)
    except CalendarCoverageError as exc:
        out.append(f'<p class="coverage">本日历未收录 {year} 年的法定节假日安排（已收录 '
                   f"{exc.first_year}—{exc.last_year} 年），不作推测。<br>"
                   f'<span class="en">The calendar has no official holiday schedule for {year} '
                   f"(it covers {exc.first_year}–{exc.last_year}); no days are guessed.</span></p>")
        return "\n".join(out)
    notice = calendar.notices.get(year)
    if days and days[0].provisional:
        out.append(f'<p class="coverage">{year} 年的放假安排尚未公布：本表为临时结果，仅标出周末和法定'
                   "节假日，未推定调休。<br>"
                   f'<span class="en">The {year} schedule is not yet published: this calendar is '
                   "provisional, with weekends and the statutory holidays only and no 调休 "
                   "guessed.</span></p>")
    elif notice is not None:
        number = f"（{notice.document_number}）" if notice.document_number else ""
        out.append(f'<p class="meta">依据 source: 《{_e(notice.title)}》{_e(number)}，'
                   f"{_e(notice.published)} 发布 / published</p>")
    else:
        out.append('<p class="meta">依据 source: chinesecalendar 软件包所载国务院办公厅节假日安排 / '
                   "the State Council schedule as shipped in the chinesecalendar package</p>")
    working = sum(1 for d in days if d.kind.working)
    out.append(f'<p class="meta">全年工作日 {working} 天 / {working} working days in {year}.</p>')
    out.append('<p class="legend"><span><i style="background:#ffffff"></i>工作日 workday</span>'
               '<span><i style="background:#eef0f3"></i>周末 weekend</span>'
               '<span><i style="background:#fde3e1"></i>放假 holiday</span>'
               '<span><i style="background:#fff2c4"></i>调休上班 make-up working day</span></p>')
    out.append('<div class="months">')
    head = "".join(f"<th>{zh}<br>{en}</th>" for zh, en in zip(
        WEEKDAY_ZH, WEEKDAY_EN, strict=True))
    for month in range(1, 13):
        month_days = [d for d in days if d.day.month == month]
        count = sum(1 for d in month_days if d.kind.working)
        cells = ['<td class="blank"></td>'] * month_days[0].day.weekday()
        cells += [_day_cell(d) for d in month_days]
        cells += ['<td class="blank"></td>'] * (-len(cells) % 7)
        weeks = "".join("<tr>" + "".join(cells[i:i + 7]) + "</tr>"
                        for i in range(0, len(cells), 7))
        out.append(f'<section class="month" id="month-{month}"><h3>{month} 月'
                   f'<span class="en">{_MONTHS_EN[month - 1]}</span></h3>'
                   f'<div class="count">工作日 {count} 天 / {count} working days · '
                   f"{monthrange(year, month)[1]} 天 days</div>"
                   f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{weeks}'
                   "</tbody></table></section>")
    out.append("</div>")
    return "\n".join(out)
