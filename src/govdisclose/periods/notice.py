"""Read the State Council general office's holiday notice (《国务院办公厅关于YYYY年部分节假日安排的通知》)
into what it arranges (:class:`ParsedNotice`); :mod:`.notice_documents` turns that into a
year file or applies it onto one.

The notice is taken as plain text copied from gov.cn, a newspaper or a relay page: full-width or
half-width punctuation, lines wrapped anywhere.  Only the numbered items are read (一、元旦：…);
the preamble and the closing paragraph are not schedule, and a notice without numbered items
(the 2015 抗战胜利70周年 notice) is read as one item named by its title.

Inside an item every clause that holds a date must be understood, or the import fails naming
the sentence: nothing is guessed and no partial calendar is written.  A clause of advice
(鼓励…安排职工在除夕（2月9日）休息, 2024) is not an arrangement and is passed over.

Checks before anything is written: every weekday the text states is the real one; every
make-up working day is a Saturday or Sunday; no day is both off and worked; a stated day count
(共N天, 放假N天) matches the range.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..errors import NoticeError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Item", "ParsedNotice", "parse_notice"]

_ZH_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ITEM = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_HEADER = re.compile(r"^([^:,。;()0-9]{2,40}?):(.*)$")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
_WEEKDAY_NOTE = re.compile(r"(?:星期|周)([一二三四五六日天])")
_COUNT = re.compile(r"(?:共|放假)(\d+)天")
_DOCNO = re.compile(r"[\u4e00-\u9fff]{2,10}〔\d{4}〕\d+号")
_SIGNED = re.compile(r"^([0-9〇○零一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月"
                     r"([0-9一二三四五六七八九十]{1,3})日$")
_BASE_TITLE = re.compile(r"关于(\d{4})年部分节假日安排的通知")
_ADVICE = ("鼓励", "提倡")
_KEYWORDS = ("放假", "补休", "调休", "公休", "上班", "延长", "为", "其中")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Item(FieldRepr):
    """One arrangement: the festival(s), days off, make-up days, or an extension."""

    names: tuple[str, ...]
    off: tuple[date, ...]
    worked: tuple[date, ...]
    extend_to: date | None
    line: int
    text: str

    @property
    def name(self) -> str:
        return "、".join(self.names)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ParsedNotice(FieldRepr):
    """What a notice says: its year, metadata and arrangements."""

    year: int
    title: str
    document_number: str | None
    signed: date | None
    items: tuple[Item, ...]
    amending: bool  # not a year's base notice (部分节假日安排的通知)
    file: str | None = None


@dataclass
class _Reader:
    file: str | None
    problems: list[Problem] = field(default_factory=list)

    def fail(self, line: int, sentence: str, zh: str, en: str) -> None:
        problem = Problem("notice.unreadable", f"{zh}：「{sentence}」",
                          f"{en}: \u201c{sentence}\u201d", self.file, line)
        if problem not in self.problems:
            self.problems.append(problem)


def _normalise(text: str) -> str:
    """Fold full-width forms (NFKC) and the range dashes to one spelling."""
    text = unicodedata.normalize("NFKC", text)
    for dash in ("—", "–", "－", "~", "～"):
        text = text.replace(dash, "至")
    text = text.replace("〔", "〔").replace("[", "〔").replace("]", "〕")
    text = text.replace("［", "〔").replace("］", "〕")
    return text.replace(" ", "").replace("\t", "").replace("\u3000", "")


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _ZH_DIGITS for c in text):  # 二〇二四
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    # 十, 十二, 二十, 二十一
    tens, _, ones = text.partition("十")
    return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0) \
        if "十" in text else _ZH_DIGITS[text]


def _split_clauses(sentence: str) -> list[str]:
    """Split at , ; : outside parentheses."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in sentence:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;:" and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [c for c in out if c]


def _festival_from_title(title: str) -> str:
    """The festival an amending notice is about (劳动节, 春节, …纪念日)."""
    core = title.split("关于", 1)[-1].removesuffix("的通知")
    core = re.sub(r"^(调整|延长)", "", core)
    core = re.sub(r"^\d{4}年", "", core)
    core = re.sub(r"(假期安排|放假安排|调休放假|假期|安排)$", "", core)
    return core


class _ItemParser:
    """Dates and clauses of one item, with the month and year carried along."""

    def __init__(self, reader: _Reader, year: int, names: tuple[str, ...], line: int,
                 text: str) -> None:
        self.reader, self.year, self.names, self.line, self.text = reader, year, names, line, text
        self.off: list[date] = []
        self.worked: list[date] = []
        self.extend_to: date | None = None

    def _dates(self, clause: str, sentence: str, state: dict[str, int]) -> list[tuple[date, int, int]]:
        out: list[tuple[date, int, int]] = []
        for m in _DATE.finditer(clause):
            if m.group(1):
                state["year"] = int(m.group(1))
            if m.group(2):
                state["month"] = int(m.group(2))
            if "month" not in state:
                self.reader.fail(self.line, sentence, "日期缺少月份", "a date has no month")
                continue
            try:
                day = date(state.get("year", self.year), state["month"], int(m.group(3)))
            except ValueError:
                self.reader.fail(self.line, sentence, f"日期无效（{m.group(0)}）",
                                 f"not a real date ({m.group(0)})")
                continue
            if out and day < out[-1][0] and not m.group(1):  # 12月31日至1月2日
                try:
                    day = day.replace(year=day.year + 1)
                except ValueError:  # past 9999, or a 29 February in the next year
                    self.reader.fail(self.line, sentence, f"日期无效（{m.group(0)}）",
                                     f"not a real date ({m.group(0)})")
                    continue
            note = m.group(4) or ""
            stated = _WEEKDAY_NOTE.search(note)
            if stated and _WEEKDAYS[stated.group(1)] != day.weekday():
                self.reader.fail(self.line, sentence,
                                 f"{day.isoformat()} 实为星期{'一二三四五六日'[day.weekday()]}，"
                                 f"文中写作{stated.group(0)}",
                                 f"{day.isoformat()} is a "
                                 f"{day.strftime('%A')}, not {stated.group(0)} as written")
            out.append((day, m.start(), m.end()))
        return out

    def sentence(self, sentence: str) -> None:
        state: dict[str, int] = {}
        clauses = _split_clauses(sentence)
        advice = sentence.startswith(_ADVICE)
        last_off: list[date] | None = None
        pending: list[tuple[date, int, int]] = []
        for clause in clauses:
            dates = self._dates(clause, sentence, state)
            if dates and not any(word in clause for word in _KEYWORDS) \
                    and clause is not clauses[-1] and not advice:
                # 2月14日（周六），2月28日（周六）上班: a list cut by a comma, not by 、
                pending.extend(dates)
                continue
            if pending:
                dates = [*pending, *dates] if "上班" in clause else dates
                if "上班" not in clause:
                    self.reader.fail(self.line, sentence, "无法识别这句话中的日期安排",
                                     "cannot tell what this sentence arranges for its dates")
                pending = []
            count = _COUNT.search(clause)
            if not dates:
                if count and last_off is not None and int(count.group(1)) != len(last_off):
                    self.reader.fail(self.line, sentence,
                                     f"写明共 {count.group(1)} 天，但日期范围为 {len(last_off)} 天",
                                     f"says {count.group(1)} days but the range holds "
                                     f"{len(last_off)}")
                continue
            if advice or clause.startswith(_ADVICE):
                continue  # advice, not an arrangement (2024: 鼓励…安排职工在除夕（2月9日）休息)
            if "延长" in clause and "至" in clause:
                self.extend_to = dates[-1][0]
                continue
            if "上班" in clause and "起" in clause[dates[-1][2]:]:
                continue  # 2月3日（星期一）起正常上班: the end of the holiday, not a make-up day
            if "上班" in clause:
                self.worked.extend(d for d, _, _ in dates)
                continue
            if any(word in clause for word in ("放假", "补休", "调休", "公休")):
                if len(dates) == 2 and "至" in clause[dates[0][2]:dates[1][1]]:
                    first, last = dates[0][0], dates[1][0]
                    if last < first:
                        self.reader.fail(self.line, sentence, "日期范围首尾颠倒",
                                         "the range ends before it starts")
                        continue
                    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
                elif len(dates) == 1 or "至" not in clause:
                    days = [d for d, _, _ in dates]
                else:
                    self.reader.fail(self.line, sentence, "无法识别的日期范围",
                                     "cannot read this range of dates")
                    continue
                self.off.extend(days)
                last_off = days
                if count and int(count.group(1)) != len(days):
                    self.reader.fail(self.line, sentence,
                                     f"写明放假 {count.group(1)} 天，但日期为 {len(days)} 天",
                                     f"says {count.group(1)} days off but names {len(days)}")
                continue
            if "为" in clause or "其中" in clause:
                continue  # 其中9月3日（星期四）为法定节假日: restates days already given
            self.reader.fail(self.line, sentence, "无法识别这句话中的日期安排",
                             "cannot tell what this sentence arranges for its dates")

    def item(self) -> Item:
        return Item(self.names, tuple(sorted(set(self.off))), tuple(sorted(set(self.worked))),
                    self.extend_to, self.line, self.text)


def _sentences(text: str) -> Iterator[str]:
    for part in text.split("。"):
        if part:
            yield part


def parse_notice(text: str, *, file: str | None = None) -> ParsedNotice:
    """Read a holiday notice.

    Raises:
        NoticeError: naming every sentence that cannot be read or fails a check.
    """
    reader = _Reader(file)
    lines = [(i, _normalise(raw)) for i, raw in enumerate(text.splitlines(), 1)]
    lines = [(i, s) for i, s in lines if s]
    if not lines:
        raise NoticeError([Problem("notice.empty", "通知为空", "the notice is empty", file)])
    # The title runs over the leading lines up to the one that ends in 通知.
    title_parts: list[str] = []
    body_start = 0
    for k, (_, line) in enumerate(lines[:4]):
        title_parts.append(line)
        if line.endswith("通知"):
            body_start = k + 1
            break
    else:
        raise NoticeError([Problem("notice.title", "找不到通知标题（应以“通知”结尾）",
                                   "no title found (a line ending in 通知)", file, lines[0][0])])
    title = "".join(title_parts)
    rest = lines[body_start:]
    number = next((m.group(0) for _, s in rest[:3] if (m := _DOCNO.fullmatch(s))), None)
    signed: date | None = None
    for line_no, s in reversed(rest):
        if m := _SIGNED.match(s):
            try:
                signed = date(_zh_number(m.group(1)), _zh_number(m.group(2)),
                              _zh_number(m.group(3)))
            except (ValueError, KeyError):
                reader.fail(line_no, s, "落款日期无效", "the signing date is not a date")
            break
    base = _BASE_TITLE.search(title)
    year_match = base or re.search(r"(\d{4})年", title) or next(
        (m for _, s in rest if (m := re.search(r"(\d{4})年", s))), None)
    if year_match is None:
        raise NoticeError([Problem("notice.year", "无法从通知中确定年份",
                                   "cannot tell which year the notice is for", file, lines[0][0])])
    year = int(year_match.group(1))
    items: list[Item] = []
    numbered = [(i, m) for i, s in rest if (m := _ITEM.match(s))]
    if numbered:
        for line_no, m in numbered:
            body = m.group(2)
            header = _HEADER.match(body)
            if header and not _DATE.search(header.group(1)):
                names = tuple(header.group(1).split("、"))
                body = header.group(2)
            else:
                names = (_festival_from_title(title),)
            items.append(_parse_item(reader, year, names, line_no, body))
    else:  # one arrangement in running text (2015 纪念日 notice)
        body_lines = [(i, s) for i, s in rest if not _DOCNO.fullmatch(s) and not _SIGNED.match(s)
                      and not s.endswith(":")]
        for line_no, s in body_lines:
            items.append(_parse_item(reader, year, (_festival_from_title(title),), line_no, s))
    items = [it for it in items if it.off or it.worked or it.extend_to]
    if not items:
        reader.fail(lines[0][0], title, "通知中没有找到任何放假安排", "no arrangement found")
    _check(reader, items)
    if reader.problems:
        raise NoticeError(reader.problems)
    return ParsedNotice(year, title, number, signed, tuple(items), base is None, file)


def _parse_item(reader: _Reader, year: int, names: tuple[str, ...], line: int,
                body: str) -> Item:
    parser = _ItemParser(reader, year, names, line, body)
    for sentence in _sentences(body):
        parser.sentence(sentence)
    return parser.item()


def _check(reader: _Reader, items: list[Item]) -> None:
    off = {d: it for it in items for d in it.off}
    for it in items:
        for day in it.worked:
            if day.weekday() < 5:
                reader.fail(it.line, it.text, f"调休上班日 {day} 不是周六或周日",
                            f"make-up working day {day} is not a Saturday or Sunday")
            if day in off:
                reader.fail(it.line, it.text, f"{day} 既被列为放假又被列为上班",
                            f"{day} is listed both as a day off and as a working day")
