"""Periods: the official working-day calendar and the arithmetic of legal periods.

- :mod:`.calendar` — :class:`~.calendar.OfficialCalendar`, the precomputed index of working days;
- :mod:`.year_files` — year schedules and their sources (user files, bundled files,
  chinesecalendar) with their precedence;
- :mod:`.notice` — reading the State Council's holiday notice into a year file;
- :mod:`.year_file_writer` — writing a year file;
- :mod:`.statutory` — the statutory holidays, for provisional years;
- :mod:`.counting` — deadlines: working and calendar days, hours, pauses, restarts, extensions.

Imports only the base modules (errors, messages, _paths, _yaml, _schema).
"""
