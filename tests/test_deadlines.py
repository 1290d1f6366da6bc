"""Known deadlines, each worked out by hand from the holiday notice named beside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from govdisclose import (
    CalendarCoverageError,
    Extension,
    Pause,
    ReceiptPolicy,
    add_working_days,
    compute_deadline,
    official_calendar,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04):
        # 国庆 10-01..07 off, 09-20 (Sun) and 10-10 (Sat) worked.
        # Mon 09-28 + 20: 09-29, 09-30, 10-08, 10-09, 10-10(Sat) = 5; 10-12..16 = 10;
        # 10-19..23 = 15; 10-26..30 = 20.
        ("2026-09-28", 20, "2026-10-30"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-10-09", 1, "2026-10-10"),  # the make-up Saturday is the next working day
        ("2026-10-03", 1, "2026-10-08"),  # start on a holiday: first working day after it
        ("2026-09-18", 1, "2026-09-20"),  # Fri -> the make-up Sunday 09-20
        # 同一通知: 春节 02-15..23 off, 02-14 (Sat) and 02-28 (Sat) worked.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        # Thu 02-12 + 7: 02-13, 02-14(Sat), 02-24, 02-25, 02-26, 02-27, 02-28(Sat).
        ("2026-02-12", 7, "2026-02-28"),
        # Tue 02-10 + 20: 02-11..14 = 4; 02-24..28 = 9; 03-02..06 = 14; 03-09..13 = 19; 03-16.
        ("2026-02-10", 20, "2026-03-16"),
        # 同一通知: 清明 04-04..06 (Sat..Mon).
        ("2026-04-03", 1, "2026-04-07"),
        # 同一通知: 劳动节 05-01..05 off, 05-09 (Sat) worked.
        # Thu 04-30 + 5: 05-06, 05-07, 05-08, 05-09(Sat), 05-11.
        ("2026-04-30", 5, "2026-05-11"),
        # Year end, 2026 notice: 元旦 01-01..03 off, 01-04 (Sun) worked.
        # Thu 2025-12-25 + 7: 12-26, 12-29, 12-30, 12-31, 01-04(Sun), 01-05, 01-06.
        ("2025-12-25", 7, "2026-01-06"),
        ("2025-12-31", 1, "2026-01-04"),
        # Tue 2026-12-01 + 20 (no holiday in December): 12-02..04 = 3, ..., 12-28 = 19, 12-29.
        ("2026-12-01", 20, "2026-12-29"),
        # 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号):
        # 国庆、中秋 10-01..08 off, 09-28 (Sun) and 10-11 (Sat) worked.
        # Tue 09-30 + 20: 10-09, 10-10, 10-11(Sat) = 3; 10-13..17 = 8; 10-20..24 = 13;
        # 10-27..31 = 18; 11-03, 11-04.
        ("2025-09-30", 20, "2025-11-04"),
        ("2025-09-26", 2, "2025-09-29"),  # Fri -> 09-28 (Sun, worked), 09-29
        # 同一通知: 春节 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-27", 1, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
    ],
    ids=str,
)
def test_add_working_days_table(start: str, n: int, due: str) -> None:
    assert add_working_days(D(start), n) == D(due)
    assert working_days_between(D(start), D(due)) == n


def test_zero_days_is_the_start_and_negative_is_an_error() -> None:
    assert add_working_days(D("2026-10-03"), 0) == D("2026-10-03")
    with pytest.raises(ValueError, match="n must be >= 0"):
        add_working_days(D("2026-10-03"), -1)


def test_running_into_an_unpublished_year_raises_coverage_error() -> None:
    # Thu 2026-12-10 + 20: 12-31 is only the 15th working day; 2027 is not published.
    with pytest.raises(CalendarCoverageError) as caught:
        add_working_days(D("2026-12-10"), 20)
    assert caught.value.year == 2027


def test_provisional_mode_skips_statutory_holidays_and_marks_the_result() -> None:
    cal = official_calendar(provisional=True, extra=())
    # 2026 notice: no holiday after 10-07.  12-11..31 hold 15 working days.  2027 has no notice:
    # 2027-01-01 (Fri) is 元旦 by 放假办法 Art. 2(1), assumed off; 01-04..08 are the 16th-20th.
    deadline = compute_deadline(D("2026-12-10"), 20, "working_days", calendar=cal)
    assert deadline.due == D("2027-01-08")
    assert deadline.provisional
    assert any(step.code == "provisional" for step in deadline.trace)
    assumed = [s for s in deadline.trace if s.code == "calendar.assumed_holiday"]
    assert len(assumed) == 1 and "2027-01-01" in assumed[0].zh and "元旦" in assumed[0].zh
    assert "第二条第（一）项" in (assumed[0].basis or "")
    assert compute_deadline(D("2026-09-28"), 20, "working_days", calendar=cal).provisional is False


class TestCalendarDays:
    # 2026 notice: 国庆 10-01..07 off, 10-10 (Sat) worked.
    def test_end_on_a_holiday_moves_to_the_next_working_day(self) -> None:
        d = compute_deadline(D("2026-09-25"), 7, "calendar_days")
        assert d.due == D("2026-10-08")
        assert any(s.code == "end.rolled" and "国庆节" in s.zh for s in d.trace)

    def test_end_on_a_make_up_saturday_stays(self) -> None:
        assert compute_deadline(D("2026-10-03"), 7, "calendar_days").due == D("2026-10-10")

    def test_end_on_an_ordinary_saturday_moves_to_monday(self) -> None:
        assert compute_deadline(D("2026-03-02"), 5, "calendar_days").due == D("2026-03-09")

    def test_end_on_a_working_day_stays(self) -> None:
        assert compute_deadline(D("2026-03-02"), 3, "calendar_days").due == D("2026-03-05")


class TestHours:
    def test_48_hours_is_exact_clock_time_in_china(self) -> None:
        d = compute_deadline(datetime(2026, 10, 1, 9, 30), 48, "hours")
        cst = timezone(timedelta(hours=8))
        assert d.due == datetime(2026, 10, 3, 9, 30, tzinfo=cst)
        assert d.due.isoformat() == "2026-10-03T09:30:00+08:00"  # type: ignore[union-attr]

    def test_an_aware_start_is_converted_to_china_time(self) -> None:
        utc = datetime(2026, 10, 1, 1, 30, tzinfo=timezone.utc)
        assert compute_deadline(utc, 48, "hours").due == compute_deadline(
            datetime(2026, 10, 1, 9, 30), 48, "hours").due

    def test_half_an_hour(self) -> None:
        d = compute_deadline(datetime(2026, 3, 2, 10, 0), 0.5, "hours")
        assert d.due.isoformat() == "2026-03-02T10:30:00+08:00"  # type: ignore[union-attr]

    def test_pauses_are_not_defined_for_hours(self) -> None:
        with pytest.raises(ValueError, match="hour periods"):
            compute_deadline(datetime(2026, 3, 2, 10), 48, "hours",
                             pauses=[Pause("suspension", D("2026-03-02"), D("2026-03-03"))])


class TestPauses:
    # 2026 notice: 清明 04-04..06 off. Received Mon 03-02: base due 03-30
    # (03-03..06 = 4, 03-09..13 = 9, 03-16..20 = 14, 03-23..27 = 19, 03-30).
    def test_base(self) -> None:
        assert compute_deadline(D("2026-03-02"), 20, "working_days").due == D("2026-03-30")

    def test_third_party_pause_removes_the_working_days_after_sending(self) -> None:
        # (03-04, 03-13] holds 03-05, 03-06, 03-09..13 = 7 working days.
        # 03-30 + 7: 03-31, 04-01, 04-02, 04-03, (清明) 04-07, 04-08, 04-09.
        d = compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("third_party", D("2026-03-04"), D("2026-03-13"))])
        assert d.due == D("2026-04-09")
        assert d.pauses[0].removed == 7

    def test_overlapping_pauses_merge(self) -> None:
        # (03-04, 03-18]: 03-05, 06, 09..13, 16, 17, 18 = 10 working days.
        # 03-30 + 10: 03-31, 04-01..03 (4), 04-07..10 (8), 04-13, 04-14.
        d = compute_deadline(D("2026-03-02"), 20, "working_days", pauses=[
            Pause("third_party", D("2026-03-04"), D("2026-03-13")),
            Pause("interagency", D("2026-03-10"), D("2026-03-18")),
        ])
        assert d.due == D("2026-04-14")
        assert any(s.code == "pause.merged" for s in d.trace)

    def test_a_silent_third_party_pauses_until_its_window_closes(self) -> None:
        # 15 working days after 03-04: 03-05, 06, 09..13, 16..20, 23, 24, 25 -> 03-25.
        # 03-30 + 15: 03-31, 04-01..03 (4), 04-07..10 (8), 04-13..17 (13), 04-20, 04-21.
        d = compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("third_party", D("2026-03-04"), window=15)])
        assert d.pauses[0].end == D("2026-03-25")
        assert d.pauses[0].by_window
        assert d.due == D("2026-04-21")

    def test_an_open_suspension_leaves_the_deadline_undetermined(self) -> None:
        d = compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("suspension", D("2026-03-10"))])
        assert d.due is None
        assert not d.determinable
        assert any(s.code == "pause.open" for s in d.trace)

    def test_a_pause_after_the_due_date_changes_nothing(self) -> None:
        d = compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("suspension", D("2026-03-30"))])
        assert d.due == D("2026-03-30")

    def test_a_pause_ending_the_day_it_starts_removes_nothing(self) -> None:
        d = compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("third_party", D("2026-03-04"), D("2026-03-04"))])
        assert d.due == D("2026-03-30")

    def test_a_pause_ending_before_it_starts_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="before it starts"):
            compute_deadline(D("2026-03-02"), 20, "working_days",
                             pauses=[Pause("third_party", D("2026-03-04"), D("2026-03-03"))])


def test_restart_counts_anew_from_the_supplemented_request() -> None:
    # 2026 notice, 清明 04-04..06. Supplement received Tue 03-10: 03-11..13 (3), 03-16..20 (8),
    # 03-23..27 (13), 03-30..04-03 (18), 04-07, 04-08.
    d = compute_deadline(D("2026-03-02"), 20, "working_days", restart=D("2026-03-10"))
    assert d.due == D("2026-04-08")
    assert d.counted_from == D("2026-03-10")
    assert d.trace[1].code == "restart"


class TestExtension:
    # 2026 notice. Received Mon 09-28, due 10-30 (see the table above).
    def test_approved_on_the_due_date_is_valid(self) -> None:
        # 10-30 + 20: 11-02..06 (5), 11-09..13 (10), 11-16..20 (15), 11-23..27 (20).
        d = compute_deadline(D("2026-09-28"), 20, "working_days",
                             extension=Extension(20, D("2026-10-30")))
        assert d.due == D("2026-11-27")
        assert d.original_due == D("2026-10-30")
        assert d.extension_applied
        assert d.violations == ()

    def test_approved_after_the_due_date_is_not_applied_and_reported(self) -> None:
        d = compute_deadline(D("2026-09-28"), 20, "working_days",
                             extension=Extension(20, D("2026-10-31")))
        assert d.due == D("2026-10-30")
        assert not d.extension_applied
        assert [v.code for v in d.violations] == ["extension.after_due"]

    def test_pauses_in_the_extension_period_still_count(self) -> None:
        # Suspension (11-03, 11-05] removes 11-04, 11-05: 11-27 + 2 -> 11-30, 12-01.
        d = compute_deadline(D("2026-09-28"), 20, "working_days",
                             extension=Extension(20, D("2026-10-30")),
                             pauses=[Pause("suspension", D("2026-11-03"), D("2026-11-05"))])
        assert d.due == D("2026-12-01")


class TestReceiptOnANonWorkingDay:
    # Received Sat 2026-03-07, 7 working days.
    def test_default_counts_from_the_next_working_day(self) -> None:
        # 03-09..13 (5), 03-16, 03-17.
        d = compute_deadline(D("2026-03-07"), 7, "working_days")
        assert d.due == D("2026-03-17")
        assert d.counted_from == D("2026-03-07")

    def test_shift_policy_moves_receipt_to_monday_which_is_not_counted(self) -> None:
        # Receipt deemed Mon 03-09; 03-10..13 (4), 03-16, 17, 18.
        d = compute_deadline(D("2026-03-07"), 7, "working_days",
                             receipt_policy=ReceiptPolicy.SHIFT_TO_NEXT_WORKDAY)
        assert d.due == D("2026-03-18")
        assert d.counted_from == D("2026-03-09")

    def test_on_a_working_day_both_policies_agree(self) -> None:
        # Make-up Saturday 2026-10-10 is a working day (2026 notice).
        a = compute_deadline(D("2026-10-10"), 3, "working_days")
        b = compute_deadline(D("2026-10-10"), 3, "working_days",
                             receipt_policy="shift_to_next_workday")
        assert a.due == b.due == D("2026-10-14")


def test_trace_names_the_holiday_and_the_make_up_day() -> None:
    d = compute_deadline(D("2026-09-28"), 20, "working_days", limit="request.reply")
    text = d.explain()
    assert "2026-10-01..07 国庆节放假，不计入" in text
    assert "2026-10-01..07 National Day holiday not counted" in text
    assert "2026-10-10 (六/Sat) make-up working day (National Day) counted" in text or \
        "2026-10-10 (六/Sat) make-up working day (国庆节) counted" in text
    assert d.trace[-1].en == "due: 2026-10-30"
    payload = d.to_json()
    assert payload["due"] == "2026-10-30"
    assert payload["unit"] == "working_days"
    assert payload["provisional"] is False


def test_calendar_day_trace_does_not_claim_holidays_are_skipped() -> None:
    # 2026 notice: 09-20 + 15 days = 10-05 (国庆节) -> 10-08; the holidays inside still count.
    d = compute_deadline(D("2026-09-20"), 15, "calendar_days")
    assert d.due == D("2026-10-08")
    assert not any(s.code == "calendar.holiday" for s in d.trace)
    assert any(s.code == "end.rolled" for s in d.trace)


class TestExtensionRunsOnFromTheOriginalDueDate:
    """条例 2019 第三十三条第二款 (延长的期限最长不得超过20个工作日) and the local rules read with it
    (阳泉 第十条第二款 "延长的期限不得超过20日"; 桦甸 保密审查办法 五、(四) "延长答复期限最长不得超过
    7个工作日"): an extension runs on from the original due date — the date the period actually
    ended, after any roll off a holiday (民事诉讼法 第八十五条第三款; 民法典 第二百零三条) — not as
    one period of n + m units from the start.

    Calendar: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), tests/data/notices/:
    国庆 10-01..07 off; 09-20 (Sun) and 10-10 (Sat) worked.
    """

    def test_calendar_days_extension_counts_from_the_rolled_original_due_date(self) -> None:
        # 阳泉: 15 日 from Sun 09-20: 09-20 + 15 = 10-05 (国庆, off); 10-06, 10-07 off → 10-08 (Thu).
        # 20-day extension approved 10-08 (on the due date): 10-08 + 20 = 10-28 (Wed, a working
        # day) → 10-28.  (n + m in one go: 09-20 + 35 = 10-25 (Sun) → 10-26, two days short.)
        d = compute_deadline(D("2026-09-20"), 15, "calendar_days",
                             extension=Extension(20, D("2026-10-08")))
        assert d.original_due == D("2026-10-08")
        assert d.due == D("2026-10-28")
        assert d.extension_applied
        codes = [s.code for s in d.trace]
        assert "extension" in codes
        # both steps are explained: the original end rolled, then the extension counted on
        rolled = [s for s in d.trace if s.code == "end.rolled"]
        assert any("2026-10-05" in s.zh and "2026-10-08" in s.zh for s in rolled)
        ext = next(s for s in d.trace if s.code == "extension")
        assert "2026-10-08" in ext.zh and "2026-10-08" in ext.en

    def test_calendar_days_extension_that_itself_rolls(self) -> None:
        # 15 日 from Sun 04-05: 04-20 (Mon, working) is the original due date. +20 = 05-10 (Sun)
        # → 05-11 (Mon).  劳动节 05-01..05 off and 05-09 (Sat) worked do not affect the count.
        d = compute_deadline(D("2026-04-05"), 15, "calendar_days",
                             extension=Extension(20, D("2026-04-20")))
        assert (d.original_due, d.due) == (D("2026-04-20"), D("2026-05-11"))

    def test_calendar_days_pause_in_the_extension_period(self) -> None:
        # As the first case; a suspension (10-10, 10-12] removes 10-11, 10-12 (2 days):
        # 10-28 + 2 = 10-30 (Fri, working).
        d = compute_deadline(D("2026-09-20"), 15, "calendar_days",
                             extension=Extension(20, D("2026-10-08")),
                             pauses=[Pause("suspension", D("2026-10-10"), D("2026-10-12"))])
        assert (d.original_due, d.due) == (D("2026-10-08"), D("2026-10-30"))

    def test_calendar_days_pause_before_the_original_due_date(self) -> None:
        # 15 日 from Fri 09-11, suspension (09-14, 09-16] removes 2 days: 09-26 + 2 = 09-28 (Mon).
        # 10-day extension approved 09-28: 09-28 + 10 = 10-08 (Thu, working).  The pause is not
        # removed a second time from the extension.
        d = compute_deadline(D("2026-09-11"), 15, "calendar_days",
                             extension=Extension(10, D("2026-09-28")),
                             pauses=[Pause("suspension", D("2026-09-14"), D("2026-09-16"))])
        assert (d.original_due, d.due) == (D("2026-09-28"), D("2026-10-08"))

    def test_working_days_extension_is_unchanged(self) -> None:
        # Working days never roll, so counting on from the due date is n + m: 09-28 + 20 → 10-30,
        # + 20 → 11-27 (see TestExtension).
        d = compute_deadline(D("2026-09-28"), 20, "working_days",
                             extension=Extension(20, D("2026-10-30")))
        assert (d.original_due, d.due) == (D("2026-10-30"), D("2026-11-27"))
