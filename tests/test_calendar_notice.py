"""Importing the State Council's holiday notices (govdisclose calendar import).

The corpus under tests/data/notices/ holds the real notices of 2010–2026 and the amending
notices of 2015, 2019 and 2020, each with its source in index.yaml.  Every one is imported and
the result compared day by day with chinesecalendar, which transcribes the same notices
independently.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclose import CalendarDataError, NoticeError, OfficialCalendar
from govdisclose._yaml import YamlDocument
from govdisclose.cli import main
from govdisclose.periods.notice import parse_notice
from govdisclose.periods.notice_documents import amend_year_document, year_document
from govdisclose.periods.year_files import ScheduleSource, schedule_from_document

NOTICES = Path(__file__).parent / "data" / "notices"
INDEX: list[dict[str, Any]] = yaml.safe_load((NOTICES / "index.yaml").read_text(encoding="utf-8"))


def _text(name: str) -> str:
    return (NOTICES / name).read_text(encoding="utf-8")


def _import_corpus(fold: bool = False) -> dict[int, dict[str, Any]]:
    """Every notice imported, amendments applied in publication order."""
    docs: dict[int, dict[str, Any]] = {}
    for entry in INDEX:  # index.yaml lists base notices before their amendments
        text = _text(entry["file"])
        if fold:  # what a relay page does to the punctuation
            text = unicodedata.normalize("NFKC", text)
        parsed = parse_notice(text, file=entry["file"])
        if entry["kind"] == "amendment":
            docs[entry["year"]] = amend_year_document(docs[entry["year"]], parsed)
        else:
            docs[entry["year"]] = year_document(parsed)
    return docs


CORPUS = _import_corpus()


def _schedule(doc: dict[str, Any]) -> Any:
    return schedule_from_document(YamlDocument(doc, None, f"{doc['year']}.yaml"),
                                  source=ScheduleSource.USER)


def test_the_corpus_has_at_least_twelve_years_with_sources() -> None:
    years = {e["year"] for e in INDEX if e["kind"] == "base"}
    assert len(years) >= 12
    assert {e["year"] for e in INDEX if e["kind"] == "amendment"} == {2015, 2019, 2020}
    for entry in INDEX:
        assert entry.get("url") or entry.get("relay_url"), entry["file"]


def test_every_notice_imports_exactly_day_by_day_against_chinesecalendar() -> None:
    # All years at one level: a later notice's New Year block that starts in the December
    # before (2012, 2019, 2023) overrides those days of the year before.
    cal = OfficialCalendar([_schedule(d) for d in CORPUS.values()])
    day, last = date(min(CORPUS), 1, 1), date(max(CORPUS), 12, 31)
    wrong = []
    while day <= last:
        if cal.is_workday(day) is not chinese_calendar.is_workday(day):
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize("entry", INDEX, ids=lambda e: e["file"])
def test_title_number_and_signing_date_come_from_the_text(entry: dict[str, Any]) -> None:
    parsed = parse_notice(_text(entry["file"]))
    assert parsed.year == entry["year"]
    assert parsed.title == entry["title"]
    assert parsed.document_number == entry["document_number"]
    assert (parsed.signed.isoformat() if parsed.signed else None) == entry["signed"]
    assert parsed.amending is (entry["kind"] == "amendment")


def test_relay_punctuation_reads_the_same() -> None:
    assert _import_corpus(fold=True) == CORPUS


def test_every_wording_is_read() -> None:
    days = {y: _schedule(d) for y, d in CORPUS.items()}

    def off(y: int, *dates: str) -> bool:
        table = days[y].special_days()
        return all(table.get(date.fromisoformat(d)) is True for d in dates)

    def worked(y: int, *dates: str) -> bool:
        table = days[y].special_days()
        return all(table.get(date.fromisoformat(d)) is False for d in dates)

    # 2010: 2月20日（星期六）、21日（星期日）上班 — the month left out of a list
    assert worked(2010, "2010-02-20", "2010-02-21")
    # 2017: 1月1日放假，1月2日（星期一）补休
    assert off(2017, "2017-01-01", "2017-01-02")
    # 2016: 1月1日放假，与周末连休 — the weekend is off anyway; nothing else is added
    assert days[2016].special_days().get(date(2016, 1, 4)) is None
    # 2023: 2022年12月31日至2023年1月2日 — a range across the year
    assert off(2023, "2022-12-31", "2023-01-01", "2023-01-02")
    # 2012: 2011年12月31日（星期六）上班 — a make-up day in the year before
    assert worked(2012, "2011-12-31")
    # 2023: 中秋节、国庆节 combined, one block
    block = next(b for b in CORPUS[2023]["holidays"] if b["name"] == "中秋节、国庆节")
    assert (block["from"], block["to"]) == ("2023-09-29", "2023-10-06")
    assert block["name_en"] == "Mid-autumn Festival / National Day"
    # 2025: 1月28日（农历除夕、周二）至2月4日（农历正月初七、周二） — notes on both ends
    assert off(2025, "2025-01-28", "2025-02-04")
    # 2015 amendment: 9月4日（星期五）调休 is a day off, 9月6日（星期日）上班
    assert off(2015, "2015-09-03", "2015-09-04") and worked(2015, "2015-09-06")


def test_dates_that_are_not_items_are_not_read() -> None:
    # 2024: 鼓励…安排职工在除夕（2月9日）休息 is advice, not a holiday.
    assert date(2024, 2, 9) not in _schedule(CORPUS[2024]).special_days()
    # 2025: the preamble's 自2025年1月1日起 … 增加2天 is not an arrangement.
    assert [b["name"] for b in CORPUS[2025]["holidays"]] == [
        "元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]


def test_amendments_are_recorded_in_order() -> None:
    notices = CORPUS[2020]["amendments"]
    assert [a["document_number"] for a in notices] == ["国办发明电〔2020〕1号"]
    assert notices[0]["festivals"] == ["春节"]
    spring = next(b for b in CORPUS[2020]["holidays"] if b["name"] == "春节")
    assert spring["to"] == "2020-02-02"
    # 2月1日（星期六）上班 fell inside the extended holiday and is dropped.
    assert "2020-02-01" not in {m["date"] for m in CORPUS[2020]["makeup_workdays"]}
    assert CORPUS[2019]["amendments"][0]["festivals"] == ["劳动节"]


# -- errors: named sentence, exit 1, nothing written ----------------------------------------

BASE_2026 = _text("2026.txt")


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (("1月4日（周日）上班", "1月4日（周一）上班"), "2026-01-04 is a Sunday"),
        (("5月9日（周六）上班", "5月8日（周五）上班"), "not a Saturday or Sunday"),
        (("5月9日（周六）上班", "5月3日（周日）上班"), "both as a day off and as a working day"),
        (("放假调休，共5天", "放假调休，共6天"), "says 6 days"),
        (("1月4日（周日）上班", "1月4日（周日）另行安排"), "cannot tell what this sentence"),
    ],
    ids=["weekday", "makeup-on-weekday", "off-and-worked", "count", "unreadable"],
)
def test_a_bad_notice_is_an_error_naming_the_sentence(tmp_path: Path, edit: tuple[str, str],
                                                      needle: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    old, new = edit
    assert old in BASE_2026
    notice = tmp_path / "notice.txt"
    notice.write_text(BASE_2026.replace(old, new), encoding="utf-8")
    with pytest.raises(NoticeError) as caught:
        parse_notice(notice.read_text(encoding="utf-8"))
    assert any(needle in p.message_en for p in caught.value.problems), caught.value
    target = tmp_path / "out" / "2026.yaml"
    assert main(["calendar", "import", str(notice), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert needle in err and "「" in err  # the sentence is quoted
    assert not target.exists()


def test_an_amending_notice_needs_a_year_file(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "import", str(NOTICES / "2019-amend-1.txt")]) == 1
    assert "--amend" in capsys.readouterr().err


def test_import_amend_and_load_through_the_cli(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    year_file = tmp_path / "2019.yaml"
    assert main(["calendar", "import", str(NOTICES / "2019.txt"), "-o", str(year_file)]) == 0
    assert main(["calendar", "import", str(NOTICES / "2019-amend-1.txt"), "--amend",
                 str(year_file), "--url", "https://www.gov.cn/example"]) == 0
    assert main(["validate", str(year_file)]) == 0
    capsys.readouterr()
    cal = OfficialCalendar([_schedule(yaml.safe_load(year_file.read_text(encoding="utf-8")))])
    assert not cal.is_workday(date(2019, 5, 2))  # 劳动节 5月1日至4日 after the amendment
    assert cal.is_workday(date(2019, 4, 28))
    assert main(["calendar", "list", "--calendar", str(year_file), "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    row = next(r for r in listing["years"] if r["year"] == 2019)
    assert row["source"] == "user" and row["amendments"][0]["url"] == "https://www.gov.cn/example"
    assert row["differs_from_chinesecalendar"] == []


def test_json_output_is_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "import", str(NOTICES / "2026.txt"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"year", "notice", "holidays", "makeup_workdays"}
    assert doc["year"] == 2026
    assert doc["notice"]["document_number"] == "国办发明电〔2025〕7号"
    assert all(set(b) <= {"name", "name_en", "from", "to"} for b in doc["holidays"])
    assert doc["makeup_workdays"][0] == {"date": "2026-01-04", "for": "元旦"}


def test_the_bundled_2026_file_agrees_with_the_imported_notice() -> None:
    from govdisclose._paths import calendars_dir
    from govdisclose.periods.year_files import load_year_file

    bundled = load_year_file(calendars_dir() / "2026.yaml")
    imported = _schedule(CORPUS[2026])
    assert bundled.special_days() == imported.special_days()


# -- round trip: a generated schedule written as a notice and read back ----------------------

FESTIVALS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
ZH_NUM = "一二三四五六七八九十"


def _weekday(day: date, style: str) -> str:
    return f"{style}{'一二三四五六日'[day.weekday()]}"


def _md(day: date, prev: date | None, with_year: bool) -> str:
    if with_year:
        return f"{day.year}年{day.month}月{day.day}日"
    if prev is not None and prev.month == day.month and prev.year == day.year:
        return f"{day.day}日"
    return f"{day.month}月{day.day}日"


@st.composite
def schedules(draw: st.DrawFn) -> tuple[int, list[tuple[str, date, date, list[date]]], str]:
    year = draw(st.integers(2030, 2080))
    style = draw(st.sampled_from(["星期", "周"]))
    items = []
    start = date(year, 1, 1)
    for name in draw(st.lists(st.sampled_from(FESTIVALS), min_size=1, max_size=7, unique=True)):
        first = start + timedelta(days=draw(st.integers(0, 20)))
        last = first + timedelta(days=draw(st.integers(0, 8)))
        if last.year != year:
            break
        near = [first - timedelta(days=k) for k in range(1, 10)] + \
               [last + timedelta(days=k) for k in range(1, 10)]
        weekend = [d for d in near if d.weekday() >= 5 and d.year == year
                   and d > start - timedelta(days=1)]
        worked = sorted(draw(st.lists(st.sampled_from(weekend), max_size=2, unique=True))) \
            if weekend else []
        items.append((name, first, last, worked))
        start = max([last, *worked]) + timedelta(days=2)
    return year, items, style


def render_notice(year: int, items: list[tuple[str, date, date, list[date]]], style: str) -> str:
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", f"国办发明电〔{year - 1}〕9号",
             "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
             f"经国务院批准，现将{year}年放假调休日期的具体安排通知如下。"]
    for i, (name, first, last, worked) in enumerate(items):
        if first == last:
            arrangement = f"{first.month}月{first.day}日（{_weekday(first, style)}）放假"
        else:
            arrangement = (f"{first.month}月{first.day}日（{_weekday(first, style)}）至"
                           f"{_md(last, first, False)}（{_weekday(last, style)}）放假调休，"
                           f"共{(last - first).days + 1}天")
        sentence = f"{ZH_NUM[i]}、{name}：{arrangement}。"
        if worked:
            parts, prev = [], None
            for d in worked:
                parts.append(f"{_md(d, prev, False)}（{_weekday(d, style)}）")
                prev = d
            sentence += "、".join(parts) + "上班。"
        lines.append(sentence)
    lines += ["节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。", "国务院办公厅",
              f"{year - 1}年11月4日"]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(schedules())
def test_a_generated_schedule_round_trips_through_notice_text(
        case: tuple[int, list[tuple[str, date, date, list[date]]], str]) -> None:
    year, items, style = case
    text = render_notice(year, items, style)
    doc = year_document(parse_notice(text))
    assert doc["year"] == year
    expect_off = {first + timedelta(days=k) for _, first, last, _ in items
                  for k in range((last - first).days + 1)}
    got_off = set()
    for block in doc["holidays"]:
        day = date.fromisoformat(block["from"])
        while day <= date.fromisoformat(block["to"]):
            got_off.add(day)
            day += timedelta(days=1)
    assert got_off == expect_off
    assert {(m["date"], m["for"]) for m in doc["makeup_workdays"]} == {
        (d.isoformat(), name) for name, _, _, worked in items for d in worked}
    # and the half-width form a relay page makes of it reads the same
    assert year_document(parse_notice(unicodedata.normalize("NFKC", text))) == doc


def test_a_year_defined_twice_at_one_level_is_an_error(tmp_path: Path) -> None:
    from govdisclose import official_calendar
    from govdisclose.periods.year_file_writer import dump_year_file

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "2026.yaml").write_text(dump_year_file(CORPUS[2026]), encoding="utf-8")
    with pytest.raises(CalendarDataError, match="defined twice"):
        official_calendar(extra=[tmp_path / "a", tmp_path / "b"])


def test_a_list_cut_by_a_comma_reads_like_one_cut_by_a_dun() -> None:
    text = BASE_2026.replace("2月14日（周六）、2月28日（周六）上班", "2月14日（周六），2月28日（周六）上班")
    assert text != BASE_2026
    assert year_document(parse_notice(text)) == year_document(parse_notice(BASE_2026))


def test_only_the_new_year_block_may_reach_into_the_december_before(tmp_path: Path) -> None:
    from govdisclose.periods.year_files import load_year_file

    path = tmp_path / "2026.yaml"
    path.write_text(
        # SYNTHETIC: a block wholly in December 2025 is not part of the 2026 schedule.
        "year: 2026\nnotice: {title: 测试用（虚构）通知标题, document_number: null, "
        'published: "2025-11-04"}\nholidays:\n  - {name: 元旦, from: "2025-12-30", '
        'to: "2025-12-31"}\nmakeup_workdays:\n  - {date: "2025-12-27", for: 元旦}\n',
        encoding="utf-8")
    with pytest.raises(CalendarDataError) as caught:
        load_year_file(path)
    assert [p.line for p in caught.value.problems] == [4, 6]  # the block, then the make-up day


def test_an_amendment_that_leaves_a_day_both_off_and_worked_is_refused() -> None:
    # SYNTHETIC amending notice for 2019: 中秋节 moved to 9月28日至30日, which covers 9月29日
    # (星期日), still a make-up working day of 国庆节 under the base notice.
    text = ("国务院办公厅关于调整2019年中秋节假期安排的通知\n"
            "一、2019年9月28日至30日放假调休，共3天。\n国务院办公厅\n2019年9月1日\n")
    parsed = parse_notice(text)  # consistent in itself
    with pytest.raises(NoticeError, match="2019-09-29"):
        amend_year_document(CORPUS[2019], parsed)
