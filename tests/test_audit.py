"""Ledger audits: every row kept, states and due dates worked out by hand, CI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.errors import LedgerError
from govdisclose.ledgers.audit import audit_ledger, parse_ledger_date
from govdisclose.ledgers.reading import read_ledger

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ledgers" / "huadian-2026.csv"
HEADER = "id,received_on,replied_on,supplement_requested_on,supplement_received_on," \
         "third_party_consulted_on,third_party_replied_on,extension_approved_on\n"


def audit_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["audit", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_example_ledger_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    # 桦甸 request.reply: 15 working days (依申请公开工作办法 第十条), 2026 holiday notice.
    code, out = audit_json(capsys, "huadian", str(EXAMPLE), "--as-of", "2026-11-20")
    assert code == 1
    rows = {r["id"]: r for r in out["rows"]}
    assert len(out["rows"]) == 7  # nothing dropped
    # 03-02 + 15: 03-03..06, 09..13, 16..20, 03-23.
    assert (rows["HD-001"]["due"], rows["HD-001"]["state"]) == ("2026-03-23", "answered_on_time")
    assert rows["HD-002"]["state"] == "answered_late"
    assert [v["code"] for v in rows["HD-002"]["violations"]] == ["reply.late"]
    # 09-28 + 15: 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, worked), 10-12..16, 10-19..23.
    assert (rows["HD-003"]["due"], rows["HD-003"]["state"]) == ("2026-10-23", "overdue")
    # Silent third party consulted 03-04: window to 03-25; 2 days counted before, 13 after:
    # 03-26, 27, 30, 31, 04-01..03, (清明) 04-07..10, 13, 14.
    assert rows["HD-004"]["due"] == "2026-04-14"
    assert rows["HD-005"]["state"] == "invalid" and "2026-02-30" in str(rows["HD-005"]["errors"])
    assert rows["HD-006"]["state"] == "invalid"
    # 2026/6/1 + 15 (端午 06-19 off): 06-02..05, 08..12, 15..18, 22, 23.
    assert rows["HD-007"]["due"] == "2026-06-23"
    assert out["summary"]["states"]["invalid"] == 2
    assert out["summary"]["ok"] is False


def test_a_clean_ledger_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + "A-1,2026-03-02,2026-03-20,,,,,\n", encoding="utf-8")
    assert main(["audit", "national", str(path), "--as-of", "2026-04-01"]) == 0


def test_unreadable_ledgers_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "national", str(tmp_path / "missing.csv")]) == 2
    no_columns = tmp_path / "bad.csv"
    no_columns.write_text("name,date\nx,2026-03-02\n", encoding="utf-8")
    assert main(["audit", "national", str(no_columns)]) == 2
    assert "received_on" in capsys.readouterr().err


def test_bom_gbk_and_chinese_headers(tmp_path: Path) -> None:
    text = "编号,收到申请日期,答复日期\nG-1,2026-03-02,2026-03-20\n"
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    assert read_ledger(bom).rows[0].values["id"] == "G-1"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    with pytest.raises(LedgerError, match="gbk"):
        read_ledger(gbk)
    ledger = read_ledger(gbk, encoding="gbk")
    assert ledger.columns == ("id", "received_on", "replied_on")
    assert main(["audit", "national", str(gbk), "--encoding", "gbk", "--as-of",
                 "2026-04-01"]) == 0


def test_xlsx_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["编号", "收到申请日期", "答复日期", "延期批准日期"])
    # Excel dates as real date cells. 09-28 + 20 = 10-30; extension approved 10-28 -> 11-27.
    ws.append(["X-1", datetime(2026, 9, 28), datetime(2026, 11, 20), datetime(2026, 10, 28)])
    ws.append(["X-2", "2026-09-28", None, None])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    code, out = audit_json(capsys, "national", str(path), "--as-of", "2026-11-30")
    assert code == 1
    x1, x2 = out["rows"]
    assert (x1["due"], x1["state"]) == ("2026-11-27", "answered_on_time")
    assert (x2["due"], x2["state"]) == ("2026-10-30", "overdue")
    assert x2["line"] == 3


def test_duplicate_ids_and_dates_in_several_forms(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "D-1,2026年3月2日,,,,,,\nD-1,2026.3.2,,,,,,\n", encoding="utf-8")
    result = audit_ledger(load_rulebook("national"), read_ledger(path),
                          as_of=parse_ledger_date("2026-03-05"))
    first, second = result.rows
    assert first.state == "open" and first.due == "2026-03-30"
    assert second.state == "invalid" and "line 2" in second.errors[0]["message_en"]


def test_csv_and_html_outputs(tmp_path: Path) -> None:
    csv_out, html_out = tmp_path / "a.csv", tmp_path / "a.html"
    assert main(["audit", "huadian", str(EXAMPLE), "--as-of", "2026-11-20", "--csv",
                 str(csv_out)]) == 1
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 7
    assert main(["audit", "huadian", str(EXAMPLE), "--as-of", "2026-11-20", "--html",
                 str(html_out)]) == 1
    page = html_out.read_text(encoding="utf-8")
    assert "HD-002" in page and "逾期答复" in page and "http" not in page


def test_parallel_audit_gives_the_same_rows(tmp_path: Path) -> None:
    lines = [HEADER.strip()]
    for i in range(25000):
        day = 1 + i % 28
        replied = f"2026-04-{day:02d}" if i % 3 else ""
        rid = f"P-{i % 24990}"  # a few repeats across chunks
        lines.append(f"{rid},2026-03-{day:02d},{replied},,,,,")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = read_ledger(path)
    book = load_rulebook("national")
    as_of = parse_ledger_date("2026-06-30")
    seen: list[tuple[int, int]] = []
    serial = audit_ledger(book, ledger, as_of=as_of, workers=1)
    parallel = audit_ledger(book, ledger, as_of=as_of, workers=2,
                            progress=lambda d, t: seen.append((d, t)))
    assert serial.rows == parallel.rows
    assert len(parallel.rows) == 25000
    assert sum(r.state == "invalid" for r in serial.rows) == 10
    assert seen[-1] == (25000, 25000)


def test_audit_json_matches_its_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from govdisclose._schema import validator

    _, out = audit_json(capsys, "huadian", str(EXAMPLE), "--as-of", "2026-11-20")
    assert [e.message for e in validator("audit").iter_errors(out)] == []


def test_a_row_awaiting_its_supplement_is_counted_and_fine(tmp_path: Path) -> None:
    # 条例 2019 第三十条: the reply period counts from receipt of the supplemented request, so a
    # row whose notice to supplement (2026-03-05) is still unanswered on 2026-06-30 is not
    # overdue: it waits for the applicant.  Every row keeps its place in the output.
    import contextlib
    import io
    import json

    from govdisclose._schema import validator
    from govdisclose.cli import main

    ledger = tmp_path / "ledger.csv"
    ledger.write_text("编号,收到申请日期,答复日期,告知补正日期,收到补正日期\n"
                      "S-1,2026-03-02,,2026-03-05,\nS-2,2026-03-02,2026-03-20,,\n",
                      encoding="utf-8")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["audit", "national", str(ledger), "--as-of", "2026-06-30", "--json"])
    result = json.loads(buffer.getvalue())
    assert code == 0
    assert [r["state"] for r in result["rows"]] == ["awaiting_supplement", "answered_on_time"]
    assert result["summary"]["states"]["awaiting_supplement"] == 1
    assert [e.message for e in validator("audit").iter_errors(result)] == []
