"""``govdisclose serve`` as a real server process on 127.0.0.1, called with httpx.

Also the helper the other service tests share (:func:`running_server`).  Skipped when the
``serve`` extra (starlette, uvicorn, httpx) is not installed; CI installs it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
pytest.importorskip("uvicorn", reason="the serve extra is not installed")
httpx = pytest.importorskip("httpx", reason="the serve extra is not installed")

from govdisclose.outputs import documents  # noqa: E402
from govdisclose.rulebook.loading import bundled_library  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: How long a server may take to start (loading every rulebook): a bound on waiting, never
#: an assertion about speed.
START_WAIT = 90.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_command(port: int, *extra: str) -> list[str]:
    """``python -m govdisclose serve`` once the command is registered in cli/main.py; until
    then the same command run from its module (cli/serve.py)."""
    from govdisclose.cli.main import COMMANDS

    if "serve" in COMMANDS:
        return [sys.executable, "-m", "govdisclose", "serve", "--port", str(port), *extra]
    code = ("import argparse, sys\n"
            "from govdisclose.cli.serve import COMMANDS\n"
            "command = COMMANDS['serve']\n"
            "parser = argparse.ArgumentParser(prog='govdisclose serve')\n"
            "command.configure(parser)\n"
            "sys.exit(command.run(parser.parse_args(sys.argv[1:])))\n")
    return [sys.executable, "-c", code, "--port", str(port), *extra]


@contextlib.contextmanager
def running_server(log: Path, *extra: str) -> Iterator[str]:
    """A server process on a free loopback port; its base URL.  Stopped (by its own pid) at
    the end; its log is kept in ``log``."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(serve_command(port, "--log-level", "warning", *extra),
                                   stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_WAIT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n"
                            f"{log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start within {START_WAIT} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("serve") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("serve-capped") / "server.log",
                        "--max-body-bytes", "4000", "--max-ledger-rows", "3") as base:
        yield base


def _problems(response: httpx.Response) -> list[dict[str, object]]:
    body = response.json()
    assert set(body) == {"status", "error", "message_zh", "message_en", "problems"}
    assert body["status"] == response.status_code
    assert "Traceback" not in response.text
    problems: list[dict[str, object]] = body["problems"]
    return problems


def test_healthz_and_security_headers(server: str) -> None:
    r = httpx.get(f"{server}/healthz")
    assert r.json() == {"status": "ok"}
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers  # no CORS unless configured
    assert "server" not in r.headers


def test_bodies_are_what_the_cli_prints(server: str) -> None:
    r = httpx.get(f"{server}/v1/rulebooks")
    assert r.text == documents.render_json(documents.rulebooks_document(bundled_library()))
    from govdisclose.rulebook.loading import load_rulebook

    r = httpx.get(f"{server}/v1/rulebooks/huadian/limits", params={"on": "2026-01-05"})
    from datetime import date

    assert r.text == documents.render_json(documents.limits_document(
        load_rulebook("huadian"), date(2026, 1, 5)))


def test_deadline_across_national_day(server: str) -> None:
    r = httpx.get(f"{server}/v1/rulebooks/national/deadline/request.reply",
                  params={"from": "2026-09-28"})
    assert r.status_code == 200
    body = r.json()
    assert (body["rulebook"], body["due"], body["provisional"]) == ("national", "2026-10-30",
                                                                    False)
    assert any(step["code"] == "calendar.makeup_workday" for step in body["trace"])


def test_provisional_deadline_past_the_data(server: str) -> None:
    url = f"{server}/v1/rulebooks/national/deadline/request.reply"
    refused = httpx.get(url, params={"from": "2027-09-28"})
    assert refused.status_code == 422
    assert _problems(refused)[0]["code"] == "calendar.coverage"
    r = httpx.get(url, params={"from": "2027-09-28", "provisional": "true"})
    assert r.status_code == 200
    assert r.json()["provisional"] is True


def test_workdays(server: str) -> None:
    r = httpx.get(f"{server}/v1/workdays", params={"from": "2026-09-28", "n": "20"})
    assert r.json()["due"] == "2026-10-30"


@pytest.mark.parametrize(("query", "code", "path"), [
    ({"from": "2026-02-30", "n": "1"}, "query.date", "$.from"),
    ({"n": "1"}, "query.missing", "$.from"),
    ({"from": "2026-01-01", "n": "-1"}, "query.count", "$.n"),
    ({"from": "2026-01-01", "n": "99999999"}, "query.count", "$.n"),
    ({"from": "2026-01-01", "n": "1", "provisional": "yes"}, "query.boolean", "$.provisional"),
])
def test_bad_query_is_400_with_the_parameter_named(server: str, query: dict[str, str],
                                                   code: str, path: str) -> None:
    r = httpx.get(f"{server}/v1/workdays", params=query)
    assert r.status_code == 400
    problems = _problems(r)
    assert (problems[0]["code"], problems[0]["path"]) == (code, path)
    assert problems[0]["message_zh"] and problems[0]["message_en"]


def test_evaluate_the_readme_example(server: str) -> None:
    body = (EXAMPLES / "request.json").read_bytes()
    r = httpx.post(f"{server}/v1/rulebooks/national/evaluate", params={"as_of": "2026-04-20"},
                   content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200
    outcome = r.json()
    assert outcome["status"]["state"] == "answered_on_time"
    assert outcome["reply"]["label"] == "部分公开"
    completed = subprocess.run([sys.executable, "-m", "govdisclose", "evaluate", "national",
                                str(EXAMPLES / "request.json"), "--as-of", "2026-04-20",
                                "--json"], capture_output=True, check=True, cwd=ROOT)
    assert r.content == completed.stdout


def test_plan_an_item(server: str) -> None:
    item = EXAMPLES / "huadian" / "item-policy-document.yaml"
    from govdisclose._yaml import load_yaml_file

    body = json.dumps(load_yaml_file(item).data, ensure_ascii=False).encode("utf-8")
    r = httpx.post(f"{server}/v1/rulebooks/huadian/plan", content=body)
    assert r.status_code == 200
    assert r.json()["kind"] == "item"


def test_invalid_request_is_422_with_located_problems(server: str) -> None:
    body = b'{"id": "X",\n "received_on": "2026-03-02",\n "events": [{"type": "replied"}]}'
    r = httpx.post(f"{server}/v1/rulebooks/national/evaluate", params={"as_of": "2026-04-20"},
                   content=body)
    assert r.status_code == 422
    problem = _problems(r)[0]
    assert (problem["code"], problem["path"], problem["line"]) == ("schema.required",
                                                                   "$.events[0]", 3)


@pytest.mark.parametrize("body", [b"{", b"[1, 2]", b"\xff\xfe\x00", b"", b"[" * 5000])
def test_broken_bodies_are_4xx(server: str, body: bytes) -> None:
    r = httpx.post(f"{server}/v1/rulebooks/national/evaluate", content=body)
    assert 400 <= r.status_code < 500
    assert _problems(r)


def test_rulebooks_by_id_only_never_a_path(server: str) -> None:
    for ident in ["nope", "..%2F..%2Fetc%2Fpasswd", "national.yaml", "/etc/passwd"]:
        r = httpx.get(f"{server}/v1/rulebooks/{ident}/limits")
        assert r.status_code == 404, ident
        _problems(r)


def test_unknown_route_and_method(server: str) -> None:
    assert httpx.get(f"{server}/v2/nothing").status_code == 404
    r = httpx.delete(f"{server}/v1/rulebooks")
    assert r.status_code == 405
    _problems(r)


def test_audit_a_csv_ledger(server: str) -> None:
    ledger = EXAMPLES / "ledgers" / "huadian-2026.csv"
    r = httpx.post(f"{server}/v1/rulebooks/huadian/audit", params={"as_of": "2026-11-20"},
                   content=ledger.read_bytes(), headers={"content-type": "text/csv"})
    assert r.status_code == 200
    body = r.json()
    assert body["ledger"] == "ledger.csv"
    assert len(body["rows"]) == body["summary"]["rows"] > 0


def test_caps_refuse_large_bodies_and_ledgers(capped: str) -> None:
    big = json.dumps({"id": "X", "received_on": "2026-03-02", "title": "长" * 4000})
    r = httpx.post(f"{capped}/v1/rulebooks/national/evaluate", content=big.encode())
    assert r.status_code == 413
    assert _problems(r)[0]["code"] == "body.too_large"
    ledger = (EXAMPLES / "ledgers" / "huadian-2026.csv").read_bytes()
    r = httpx.post(f"{capped}/v1/rulebooks/huadian/audit", content=ledger)
    assert r.status_code == 413
    assert _problems(r)[0]["code"] == "ledger.too_many_rows"


def test_a_bad_charset_is_415(server: str) -> None:
    r = httpx.post(f"{server}/v1/rulebooks/huadian/audit", content=b"a,b\n",
                   headers={"content-type": "text/csv; charset=klingon"})
    assert r.status_code == 415


def test_the_page_and_its_files_are_served_with_a_content_policy(server: str) -> None:
    page = httpx.get(f"{server}/")
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for name in ("app.js", "app.css"):
        assert httpx.get(f"{server}/{name}").status_code == 200
    text = page.text + httpx.get(f"{server}/app.js").text
    assert "http://" not in text.replace("http://www.w3.org", "")
    assert "https://" not in text
    assert "innerHTML" not in text.replace("no innerHTML", "")


def test_workflow_picture_is_an_svg_document(server: str) -> None:
    import xml.etree.ElementTree as ET

    r = httpx.get(f"{server}/v1/rulebooks/huadian/workflow.svg", params={"kind": "request"})
    assert r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert httpx.get(f"{server}/v1/rulebooks/huadian/workflow.svg",
                     params={"kind": "x"}).status_code == 400


def test_audit_an_xlsx_ledger_gives_the_rows_of_the_same_csv(server: str,
                                                             tmp_path: Path) -> None:
    import csv

    from openpyxl import Workbook

    source = EXAMPLES / "ledgers" / "huadian-2026.csv"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    xlsx = tmp_path / "台账.xlsx"
    workbook.save(xlsx)
    url = f"{server}/v1/rulebooks/huadian/audit"
    from_csv = httpx.post(url, params={"as_of": "2026-11-20"}, content=source.read_bytes())
    from_xlsx = httpx.post(url, params={"as_of": "2026-11-20"}, content=xlsx.read_bytes(),
                           headers={"content-type": "application/vnd.openxmlformats-"
                                    "officedocument.spreadsheetml.sheet"})
    assert from_xlsx.status_code == 200, from_xlsx.text
    assert from_xlsx.json()["ledger"] == "ledger.xlsx"
    states = [(r["id"], r["state"], r["due"]) for r in from_xlsx.json()["rows"]]
    assert states == [(r["id"], r["state"], r["due"]) for r in from_csv.json()["rows"]]
    not_xlsx = httpx.post(url, content=b"a,b\n", headers={
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    assert not_xlsx.status_code == 415


def test_unknown_rulebook_words_its_suggestion_in_both_languages(server: str) -> None:
    r = httpx.get(f"{server}/v1/rulebooks/huadain/limits")
    assert r.status_code == 404
    problem = _problems(r)[0]
    assert problem["code"] == "rulebook.unknown"
    assert problem["message_zh"] == "没有名为 'huadain' 的规则集；是否指 'huadian'？"
    assert problem["message_en"] == "unknown rulebook 'huadain'; did you mean 'huadian'?"


def test_a_broken_rulebook_stops_the_start_with_its_located_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nname: 坏\nextends: national\n",
                                          encoding="utf-8")
    done = subprocess.run(serve_command(_free_port(), "--rules", str(tmp_path)),
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 1
    assert "broken.yaml:1:1" in done.stderr
    assert "sources" in done.stderr


def test_a_rules_path_that_is_not_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(serve_command(_free_port(), "--rules", str(tmp_path / "none")),
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 2
    assert "not a directory" in done.stderr
