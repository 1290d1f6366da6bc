"""The engine: requests (:mod:`.requests`, input in :mod:`.request_input`), items
(:mod:`.items`), workflows, decision backends, limit deadlines for a book (:mod:`.limits`),
obligations, fees and the comparison of books against the national baseline.

Imports the base modules, :mod:`govdisclose.periods` and :mod:`govdisclose.rulebook`.
"""
