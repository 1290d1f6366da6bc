"""Periods: the official working-day calendar and the arithmetic of legal periods.

- :mod:`.calendar` — :class:`~.calendar.OfficialCalendar`, the precomputed index of working days;
- :mod:`.year_files` — year schedules and their sources (user files, bundled files,
  chinesecalendar) with their precedence;
- :mod:`.notice` — reading the State Council's holiday notice; :mod:`.notice_documents` — the
  read notice as a year document, amendments applied; :mod:`.year_file_writer` — writing one;
- :mod:`.statutory` — the statutory holidays, for provisional years;
- :mod:`.values` — units, the receipt policy, pauses, extensions;
- :mod:`.counting` — deadlines: working and calendar days, hours, pauses, restarts, extensions;
- :mod:`.explain` — each step of a deadline in Chinese and English;
- :mod:`.basis` — the legal basis each counting rule cites, passed in by the engine (the law
  itself is data in ``rules/national.yaml``).

Imports only the base modules (errors, messages, _paths, _yaml, _schema, _dates, _suggest).
"""
