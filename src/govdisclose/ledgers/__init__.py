"""Ledgers (台账): reading them (:mod:`.reading`; a row's events through the request event table,
:mod:`.row_events`), auditing every row (:mod:`.audit`) and
counting the annual report's request table (:mod:`.annual_report`; the filled table as values
in :mod:`.annual_table`, its format loaded and checked by :mod:`.annual_format`, as values in
:mod:`.annual_format_model`).  Results are data; their text, CSV, JSON, HTML and Excel layouts
are in :mod:`govdisclose.outputs`, which nothing here imports.

Imports the base modules, periods, rulebook and engine.
"""
