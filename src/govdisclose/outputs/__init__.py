"""Outputs: what results look like outside Python — workflow graphs (:mod:`.graph`) and the
HTML rulebook page (:mod:`.html_report`).

May import every layer below it; nothing below imports it.
"""
