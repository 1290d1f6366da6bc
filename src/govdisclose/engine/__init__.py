"""The engine: a request or an item judged against a rulebook.

- :mod:`.requests` — evaluate a request (依申请公开); the request itself in
  :mod:`.request_model`, read from a document or a dict by :mod:`.request_input` (a dict of
  the common shape in one pass: :mod:`.request_dict`), its record of events in
  :mod:`.request_events`, its reply in :mod:`.replies`;
- :mod:`.items` — plan an item (主动公开);
- :mod:`.limits` — a limit's deadline, higher law applied; :mod:`.starts` — the day it counts
  from; :mod:`.monitoring` — judging it by what discharges it (``done_by``);
- :mod:`.workflow` — the steps that apply; :mod:`.backends` (and :mod:`.durable`) — matching
  decision rules;
- :mod:`.obligations`, :mod:`.fees`, :mod:`.compare`.

Imports the base modules, :mod:`govdisclose.periods` and :mod:`govdisclose.rulebook`.
"""
