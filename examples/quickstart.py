"""The README's Python example (the tests run this file)."""

from __future__ import annotations

from datetime import date

from govdisclose import add_working_days, limit_deadline, load_rulebook

# 2026 国庆 10-01..07 off, 10-10 (Sat) worked: the 20th working day after 09-28.
assert add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 30)

book = load_rulebook("national")
deadline = limit_deadline(book, "request.reply", date(2026, 9, 28))
print(deadline.due, deadline.amount, deadline.unit.value)   # 2026-10-30 20 working_days
print(deadline.explain())                                    # each step, 中文 / English
