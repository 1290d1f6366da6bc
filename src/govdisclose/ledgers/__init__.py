"""Ledgers (台账): reading them (:mod:`.reading`), auditing every row (:mod:`.audit`) and
counting the annual report's request table (:mod:`.annual_report`, format in
:mod:`.annual_format`).

Imports the base modules, periods, rulebook and engine.
"""
