"""Rulebooks: the law of a jurisdiction as immutable, dated, cited values.

- :mod:`.model` — :class:`~.model.Rulebook` and the rules in force on a date;
- :mod:`.parts` — the parts a book is made of (limits, obligations, policies, replies, …);
- :mod:`.dated` — the one ``Dated`` helper and the effective dates of a book;
- :mod:`.vocabulary` — every closed vocabulary as a str-enum with zh/en labels;
- :mod:`.events` — the request-event table (one row per event type);
- :mod:`.conditions` — condition expressions, a closed vocabulary, never ``eval``;
- :mod:`.loading` — reading files (strict YAML, schema) and the library of bundled books;
- :mod:`.builder` and :mod:`.sections` — one builder per section, each with its merge rule
  for ``extends``;
- :mod:`.index` — per-book lookups memoised for the engine;
- :mod:`.tables` — per-book tables by interval of days (counting bases), built once per book;
- the compiled cache of checked rulebook data is the base module :mod:`govdisclose._cache`
  (the holiday year files use it too).

Imports the base modules and :mod:`govdisclose.periods`.
"""
