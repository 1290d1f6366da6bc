"""Extension limits (``extension_of``) run on from the due date of the limit they extend."""

from __future__ import annotations

from datetime import date

import pytest

from govdisclose.engine.limits import limit_deadline
from govdisclose.rulebook.loading import load_rulebook

D = date.fromisoformat


def test_huadian_secrecy_determination_extension_runs_on_from_the_10_day_due_date() -> None:
    # 桦甸市政府信息公开保密审查办法 五、(四): "上级行政机关或同级保密工作部门应当在10个工作日内做出答复。
    # 如需延长答复期限的,应及时告知申请机关,但延长答复期限最长不得超过7个工作日。"
    # The book counts both from review.submitted (the start is not stated); the extension runs on
    # from the 10-day due date, never from submission.
    # 国办发明电〔2025〕7号: 春节 02-15..23 off, 02-14 (Sat) and 02-28 (Sat) worked.
    # Submitted Thu 02-12: 02-13 = 1; 02-14 (Sat) = 2; 02-24..27 = 6; 02-28 (Sat) = 7;
    # 03-02, 03, 04 = 10 → 03-04.  + 7: 03-05, 06 = 2; 03-09..13 = 7 → 03-13.
    book = load_rulebook("huadian")
    base = limit_deadline(book, "review.secrecy_determination", D("2026-02-12"))
    ext = limit_deadline(book, "review.secrecy_determination.extension", D("2026-02-12"))
    assert base.due == D("2026-03-04")
    assert ext.original_due == D("2026-03-04")
    assert ext.due == D("2026-03-13")
    assert ext.amount == 7
    assert any(s.code == "extension" and "2026-03-04" in s.zh for s in ext.trace)


@pytest.mark.parametrize("book_id", ["national", "huadian", "yangquan", "kuancheng",
                                     "changchun-new-area"])
@pytest.mark.parametrize("start", ["2026-01-27", "2026-02-12", "2026-09-20", "2026-09-28"])
def test_every_extension_ends_on_or_after_the_due_date_it_extends(book_id: str, start: str) -> None:
    """Whatever event a book counts an extension from, the extended date never comes before
    the due date of the limit it extends, counted from the same start."""
    book = load_rulebook(book_id)
    for key, limit in sorted(book.limits.items()):
        if limit.extension_of is None:
            continue
        base = limit_deadline(book, limit.extension_of, D(start))
        assert base.due is not None
        due_event = limit.value_on(D(start))
        assert due_event is not None
        # counted from the base's due date when the book says so, else from the same start
        from_day = base.due if due_event.from_event != _base_event(book, limit.extension_of,
                                                                  D(start)) else D(start)
        assert isinstance(from_day, date)
        ext = limit_deadline(book, key, from_day)
        assert ext.due is not None
        assert ext.due >= base.due, (book_id, key, start)


def _base_event(book: object, limit_id: str, on: date) -> str | None:
    value = book.limits[limit_id].value_on(on)  # type: ignore[attr-defined]
    return None if value is None else value.from_event
