"""Rulebooks: the model (:mod:`.model`), condition expressions (:mod:`.conditions`) and
loading, checking and the library of bundled books (:mod:`.loading`).

Imports the base modules and :mod:`govdisclose.periods`.
"""
