"""Ledger papercuts of issue 13: str paths, dates shown as read on invalid rows, Chinese CSV
headers for ``audit --csv``."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING

from govdisclose.cli import main
from govdisclose.ledgers.reading import open_ledger, read_ledger

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

LEDGER = "id,received_on,replied_on\nA,2026年6月1日,2026年6月15日\nB,2026/6/1,不是日期\n"


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_read_ledger_and_open_ledger_take_a_str(tmp_path: Path) -> None:
    path = _ledger(tmp_path)
    assert [r.values["id"] for r in read_ledger(str(path)).rows] == ["A", "B"]
    assert open_ledger(str(path)).count == 2


def test_every_date_column_is_shown_as_read_even_on_an_invalid_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "national", str(_ledger(tmp_path)), "--as-of", "2026-07-01",
                 "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert (rows[0]["received_on"], rows[0]["replied_on"]) == ("2026-06-01", "2026-06-15")
    # row B is invalid (its reply date cannot be read): the date that could be read is ISO,
    # the one that could not is shown as written
    assert rows[1]["state"] == "invalid"
    assert (rows[1]["received_on"], rows[1]["replied_on"]) == ("2026-06-01", "不是日期")


def test_audit_csv_with_chinese_headers(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    out_en, out_zh = tmp_path / "en.csv", tmp_path / "zh.csv"
    assert main(["audit", "national", str(ledger), "--as-of", "2026-07-01", "--csv",
                 str(out_en)]) == 1
    assert main(["audit", "national", str(ledger), "--as-of", "2026-07-01", "--csv",
                 str(out_zh), "--csv-headers", "zh"]) == 1
    en = list(csv.reader(out_en.read_text(encoding="utf-8-sig").splitlines()))
    zh = list(csv.reader(out_zh.read_text(encoding="utf-8-sig").splitlines()))
    assert en[0][:3] == ["row", "line", "id"]
    assert zh[0][2:7] == ["编号", "状态", "收到申请日期", "答复期限", "答复日期"]
    assert zh[1:] == en[1:]  # only the header differs
