"""The browser page at ``/``, driven in headless Chromium through the DevTools protocol.

The page is loaded from a real server process; the test picks the rulebook, fills the form
(received date, channel, an event with its date and reply type, facts as checkboxes), submits
it, and reads what the page rendered: the reply deadline and the reply, in Chinese and — after
the language toggle — in English; the workflow picture and the calendar grid.  The expected
values come from the library itself.  Chromium is the one tests/test_report.py uses
(``/usr/bin/chromium``, installed by .ci/run); no browser is downloaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from datetime import date
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
websocket = pytest.importorskip("websocket", reason="websocket-client is not installed")
httpx = pytest.importorskip("httpx", reason="the serve extra is not installed")

from test_service_server import server  # noqa: E402, F401 - the live server fixture

from govdisclose import load_rulebook  # noqa: E402
from govdisclose.engine.requests import evaluate_request  # noqa: E402
from govdisclose.outputs.documents import limits_document  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Bounds on waiting for the browser (never assertions about speed).
WAIT = 60.0
REQUEST = {"id": "WEB-1", "received_on": "2026-03-02", "channel": "in_person",
           "events": [{"type": "replied", "on": "2026-04-08", "reply": "partial"}],
           "facts": {"exists": True, "held_by_this_agency": True, "separable": True,
                     "exemption_grounds": ["third_party_rights"]}}


def _chromium() -> str:
    browser = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which(
        "chromium")
    if browser is None:
        if os.environ.get("GOVDISCLOSE_REQUIRE_CHROMIUM"):
            pytest.fail("GOVDISCLOSE_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("chromium is not installed: the page test runs in CI (.ci/run)")
    return browser


class _Tab:
    """A page in Chromium, over the DevTools websocket: evaluate script, wait for a value."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=WAIT)
        self.ids = count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result

    def eval(self, script: str) -> Any:
        result = self.call("Runtime.evaluate", expression=script, returnByValue=True,
                           awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, script: str) -> Any:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = self.eval(script)
            if value:
                return value
            time.sleep(0.1)
        pytest.fail(f"the page never showed: {script}")


@contextlib.contextmanager
def _browser(profile: Path) -> Iterator[str]:
    """Headless Chromium with DevTools on a free loopback port; the page target's socket."""
    process = subprocess.Popen(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + WAIT
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
        page = next(t for t in targets if t["type"] == "page")
        yield page["webSocketDebuggerUrl"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


FILL = """
(() => {
  const set = (id, value) => { const n = document.getElementById(id); n.value = value;
                               n.dispatchEvent(new Event('change')); };
  set('received', '2026-03-02');
  set('as-of', '2026-04-20');
  set('channel', 'in_person');
  document.getElementById('add-event').click();
  const row = document.querySelector('#event-rows .event-row');
  const kind = row.querySelector('.event-type');
  kind.value = 'replied'; kind.dispatchEvent(new Event('change'));
  row.querySelector('.event-on').value = '2026-04-08';
  row.querySelector('.event-reply').value = 'partial';
  for (const name of ['exists', 'held_by_this_agency', 'separable']) {
    document.querySelector(`input.fact[value="${name}"]`).click();
  }
  document.querySelector('input.ground[data-ground="third_party_rights"]').click();
  document.getElementById('request-form').requestSubmit();
  return true;
})()
"""
#: The page has loaded the rulebook (its id), or nothing yet (the document may still be
#: the previous one, or have no body).
READY = "document.body ? (document.body.dataset.ready || null) : null"
DUE = ("(() => { const r = document.querySelector('#deadlines tr[data-limit=\"request.reply\"] "
       "td.due'); return document.getElementById('result').hidden || !r ? null "
       ": r.textContent; })()")


def test_fill_the_form_submit_and_read_the_deadline_and_reply(server: str,  # noqa: F811
                                                              tmp_path: Path) -> None:
    book = load_rulebook("national")
    expected = evaluate_request(book, REQUEST, as_of=date(2026, 4, 20))
    due = expected.deadlines["request.reply"].due
    assert expected.reply is not None and due is not None
    with _browser(tmp_path / "profile") as target:
        tab = _Tab(target)
        tab.call("Page.enable")
        tab.call("Page.navigate", url=f"{server}/")
        assert tab.wait_for(READY) == "national"
        assert tab.eval("document.getElementById('rulebook').value") == "national"
        tab.eval(FILL)
        assert tab.wait_for(DUE) == due.isoformat()
        assert tab.eval("document.querySelector('#reply .reply-label').textContent") == \
            expected.reply.label
        assert tab.eval("document.getElementById('status').textContent") == \
            expected.status.state.zh
        trace = tab.eval("document.getElementById('trace').textContent")
        assert "2026-03-02" in trace
        # English on the toggle: the same result, in English
        tab.eval("document.getElementById('lang').click()")
        assert tab.eval("document.querySelector('#reply .reply-label').textContent") == \
            expected.reply.label_en
        assert tab.eval("document.documentElement.lang") == "en"
        assert tab.eval("document.getElementById('submit').textContent") == "Compute deadlines"
        # the workflow picture loaded (an <img>: no script inside it can run)
        assert tab.wait_for("document.getElementById('workflow').naturalWidth") > 0
        # the rulebook's limits with their sources, and the calendar
        tab.eval("document.querySelector('.tab[data-tab=\"limits\"]').click()")
        assert tab.eval("document.querySelectorAll('#limit-table tbody tr').length") == \
            len(limits_document(book)["limits"])
        tab.eval("(() => { const m = document.getElementById('month'); m.value = '2026-10'; "
                 "m.dispatchEvent(new Event('change')); return true; })()")
        holidays = tab.wait_for("[...document.querySelectorAll('#month-grid td.holiday')]"
                                ".map(td => td.dataset.date).join(',')")
        assert holidays.split(",") == [f"2026-10-0{d}" for d in range(1, 8)]
        assert tab.eval("document.querySelector('#month-grid td.makeup_workday').dataset.date"
                        ) == "2026-10-10"


def test_invalid_input_is_shown_as_its_problems(server: str,  # noqa: F811
                                                tmp_path: Path) -> None:
    with _browser(tmp_path / "profile") as target:
        tab = _Tab(target)
        tab.call("Page.navigate", url=f"{server}/")
        tab.wait_for(READY)
        # an event with no date: the browser's own check would stop it, so send it past that
        tab.eval("(() => { document.getElementById('received').value = '2026-03-02'; "
                 "document.getElementById('add-event').click(); "
                 "document.querySelector('.event-on').required = false; "
                 "document.getElementById('request-form').requestSubmit(); return true; })()")
        text = tab.wait_for("document.getElementById('problems').textContent")
        assert "$.events[0].on" in text
        assert tab.eval("document.getElementById('result').hidden") is True


HOSTILE = '<img src=x onerror="document.body.dataset.owned=1">'


def test_hostile_rulebook_text_is_shown_as_text(tmp_path: Path) -> None:
    """A rulebook's name and a fact's label with markup (rulebooks are edited by hand):
    shown as those characters, never run or turned into elements."""
    from demo_books import DEMO_HEAD
    from test_service_server import running_server

    rules = tmp_path / "rules"
    rules.mkdir()
    head = DEMO_HEAD.replace("id: demo", "id: moumou").replace(
        "name: 示例区", f"name: '示例区{HOSTILE}'")
    (rules / "moumou.yaml").write_text(
        head + f"facts:\n  hostile_fact: {{type: boolean, label: '{HOSTILE}'}}\n",
        encoding="utf-8")
    with running_server(tmp_path / "server.log", "--rules", str(rules)) as base, \
            _browser(tmp_path / "profile") as target:
        tab = _Tab(target)
        tab.call("Page.navigate", url=f"{base}/")
        tab.wait_for(READY)
        tab.eval("(() => { const s = document.getElementById('rulebook'); s.value = 'moumou'; "
                 "s.dispatchEvent(new Event('change')); return true; })()")
        assert tab.wait_for("document.body.dataset.ready === 'moumou'")
        label = tab.eval("document.querySelector('input.fact[value=\"hostile_fact\"]')"
                         ".parentElement.textContent")
        assert label.strip() == HOSTILE
        assert HOSTILE in tab.eval("document.getElementById('rulebook').selectedOptions[0]"
                                   ".textContent")
        assert tab.eval("document.querySelectorAll('img').length") == 1  # the workflow only
        assert tab.eval("document.body.dataset.owned || null") is None
