"""Ledgers (台账): reading them (:mod:`.reading`; a row's events through the request event table,
:mod:`.row_events`) and auditing every row (:mod:`.audit`).  The annual report counted from a
ledger is :mod:`govdisclose.annual`.  Results are data; their text, CSV, JSON, HTML and Excel
layouts are in :mod:`govdisclose.outputs`, which nothing here imports.

Imports the base modules, periods, rulebook and engine.
"""
