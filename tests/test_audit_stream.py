"""The streaming audit (issue 12, point 3): the same bytes as the in-memory audit, whatever
the number of workers; bounded read-ahead; a ledger refused before any output."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from pathlib import Path

import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.errors import LedgerError
from govdisclose.ledgers import audit_stream, reading
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.audit_stream import audit_chunks, audit_parts, can_fork
from govdisclose.ledgers.csv_records import csv_records
from govdisclose.ledgers.reading import open_ledger, read_ledger
from govdisclose.outputs import audit_csv, audit_json, audit_text, render_audit_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ledgers" / "huadian-2026.csv"
HEADER = "id,received_on,replied_on,supplement_requested_on,third_party_consulted_on\n"
AS_OF = date(2026, 6, 30)


def _ledger(tmp_path: Path, rows: int = 700) -> Path:
    """Rows with ids repeated inside a chunk and across chunks, invalid rows, blank lines."""
    lines = [HEADER.strip()]
    for i in range(rows):
        day = 1 + i % 28
        replied = f"2026-04-{day:02d}" if i % 3 else ""
        rid = f"P-{i % 650}" if i % 50 else f"P-{i}-twice"  # repeats far apart
        lines.append(f"{rid},2026-03-{day:02d},{replied},,")
        if i % 97 == 0:
            lines.append(f"{rid},2026-03-{day:02d},,,")  # a repeat in the same chunk
        if i % 211 == 0:
            lines.append(",,,,")  # a blank line is not a row
        if i % 233 == 0:
            lines.append(f"Q-{i},2026-02-30,,,")  # an impossible date: invalid, kept
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of 64 rows and workers from 100 rows: a small ledger goes through the pool.
    monkeypatch.setattr(audit_stream, "CHUNK_ROWS", 64)
    monkeypatch.setattr(audit_stream, "PARALLEL_FROM", 100)


def _cli(*args: str) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["audit", *args])
    return code, buffer.getvalue()


@pytest.mark.skipif(not can_fork(), reason="workers fork (POSIX)")
@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("fmt", ["json", "text", "csv", "html"])
def test_every_output_is_the_same_serial_and_parallel(tmp_path: Path, fmt: str) -> None:
    ledger = _ledger(tmp_path)
    outputs = {}
    for workers in ("1", "2"):
        args = ["national", str(ledger), "--as-of", "2026-06-30", "--workers", workers]
        target = tmp_path / f"out-{workers}.{fmt}"
        if fmt == "json":
            args.append("--json")
        elif fmt in ("csv", "html"):
            args += [f"--{fmt}", str(target)]
        code, printed = _cli(*args)
        assert code == 1
        outputs[workers] = (printed, target.read_bytes() if target.exists() else b"")
    assert outputs["1"] == outputs["2"]
    # and the same as the in-memory audit and writers
    result = audit_ledger(load_rulebook("national"), read_ledger(ledger), as_of=AS_OF)
    assert sum(r.state == "invalid" for r in result.rows) > 10  # the repeats were found
    printed, written = outputs["2"]
    if fmt == "json":
        assert printed == audit_json(result)
    else:
        assert printed == audit_text(result)
    if fmt == "csv":
        assert written == audit_csv(result).encode("utf-8-sig")
    if fmt == "html":
        assert written == render_audit_html(result).encode("utf-8")


@pytest.mark.skipif(not can_fork(), reason="workers fork (POSIX)")
@pytest.mark.usefixtures("small_chunks")
def test_parallel_chunks_keep_order_and_repeats(tmp_path: Path) -> None:
    ledger = open_ledger(_ledger(tmp_path))
    book = load_rulebook("national")
    serial = [r for c in audit_chunks(book, ledger, as_of=AS_OF, workers=1) for r in c]
    progress: list[tuple[int, int]] = []
    parallel = [r for c in audit_chunks(book, ledger, as_of=AS_OF, workers=2,
                                        progress=lambda d, t: progress.append((d, t)))
                for r in c]
    assert parallel == serial
    assert [r.number for r in parallel] == list(range(1, ledger.count + 1))
    repeated = [r for r in serial if r.errors and "repeats" in r.errors[0]["message_en"]]
    # a repeat inside one chunk and a repeat of an id first seen chunks before
    assert any(r.line - int(r.errors[0]["message_en"].split()[-1]) < 3 for r in repeated)
    assert any(r.line - int(r.errors[0]["message_en"].split()[-1]) > 200 for r in repeated)
    assert progress[-1] == (ledger.count, ledger.count)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_are_read_a_few_chunks_ahead_only(workers: int) -> None:
    # Memory stays bounded: when the first chunk's results come out, at most two chunks per
    # worker have been taken from the ledger.
    book = load_rulebook("national")
    ledger = read_ledger(EXAMPLE)
    taken = 0

    def rows():
        nonlocal taken
        for _ in range(40):
            for row in ledger.rows:
                taken += 1
                yield row

    parts = audit_parts(book, rows(), as_of=AS_OF, render=len, workers=workers, total=10**6,
                        chunk_rows=7)
    assert next(parts) == 7
    assert taken <= 7 * 2 * workers
    parts.close()


def test_a_refused_ledger_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The row limit is found before the first row is audited: no half report, exit 2.
    monkeypatch.setattr(reading, "MAX_LEDGER_ROWS", 500)
    ledger = _ledger(tmp_path)
    buffer, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        assert main(["audit", "national", str(ledger), "--as-of", "2026-06-30", "--json"]) == 2
    assert buffer.getvalue() == ""
    assert "split the ledger" in errors.getvalue()
    target = tmp_path / "out.csv"
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        assert main(["audit", "national", str(ledger), "--csv", str(target)]) == 2
    assert not target.exists()


def test_a_ledger_changed_after_its_check_is_refused(tmp_path: Path) -> None:
    path = _ledger(tmp_path, rows=5)
    ledger = open_ledger(path)
    path.write_text("编号,收到申请日期,备注\nA,2026-03-02,x\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="changed"):
        list(ledger.rows())


HOSTILE = [
    HEADER + "1,2026-03-02,2026-03-10,,\n\n2,2026-03-03,,,\r\n3,2026-03-04,,,\r",
    HEADER + "1,2026-03-02," + "x" * 140_000 + ",,\n2,2026-03-03,,,\n",
    HEADER + "1,2026-03-02,\x00,,\n2,2026-03-03,,,\n",
    HEADER + '1,2026-03-02,"2026-03-10\n",,\n"2",2026-03-03,"a ""b""",,\n3,"x" ,,,\n',
    HEADER + '1,2026-03-02,"x\n' + "".join(f"{i},2026-03-02,,,\n" for i in range(2, 400)),
    HEADER + '1,2026-03-02,"' + "line\n" * 30_000 + '",,\n2,2026-03-03,,,\n',
    HEADER + '1,2026-03-02,"a"b"c,,\n2,"2026-03-03\n',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_stream_reads_what_read_ledger_reads(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8", newline="")
    ledger = open_ledger(path)
    rows = read_ledger(path).rows
    assert tuple(ledger.rows()) == rows
    assert ledger.count == len(rows)
    assert ledger.quoted == ('"' in text)


@pytest.mark.parametrize("text", [t for t in HOSTILE if '"' not in t])
def test_a_file_without_quotes_reads_the_same_line_by_line(text: str) -> None:
    def problem(file: str, line: int, column: str) -> reading.Problem:
        return reading.Problem("ledger.field_too_long", "长", "long", file, line, None,
                               (column,))

    def records(quoted: bool) -> list[object]:
        lines = io.StringIO(text, newline="")
        return list(csv_records(lines, "f.csv", problem, quoted=quoted))

    assert records(quoted=False) == records(quoted=True)


REFUSED = [
    HEADER + "".join(f"{i},2026-03-02," + "x" * 140_000 + ",,\n" for i in range(4)),
    HEADER + "".join(f'{i},2026-03-02,"' + "x" * 140_000 + '",,\n' for i in range(4)),
    HEADER + "1,2026-03-02,,,\n , ,,,\n\n2,2026-03-02,,,\n3,2026-03-02,,,\n4,2026-03-02,,,\n",
    HEADER + '1,"2026-03-02",,,\n2,2026-03-02,,,\n\n3,2026-03-02,,,\n4,2026-03-02,,,\n',
]


@pytest.mark.parametrize("text", REFUSED)
def test_the_stream_refuses_what_read_ledger_refuses(tmp_path: Path, text: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclose.ledgers import csv_records as records

    monkeypatch.setattr(records, "MAX_CSV_ERRORS", 2)
    monkeypatch.setattr(reading, "MAX_LEDGER_ROWS", 3)
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(LedgerError) as whole:
        read_ledger(path)
    with pytest.raises(LedgerError) as streamed:
        open_ledger(path)
    assert str(streamed.value) == str(whole.value)
    monkeypatch.setattr(reading, "MAX_LEDGER_ROWS", 4)
    monkeypatch.setattr(records, "MAX_CSV_ERRORS", 4)
    assert open_ledger(path).count == len(read_ledger(path).rows) == 4


def test_the_library_stream_writes_the_same_bytes(tmp_path: Path) -> None:
    from govdisclose.ledgers.audit import audit_stream
    from govdisclose.outputs.csv_files import write_audit_csv_stream
    from govdisclose.outputs.html_audit import write_audit_html_stream
    from govdisclose.outputs.json_files import write_audit_json_stream
    from govdisclose.outputs.text import write_audit_text_stream

    book = load_rulebook("huadian")
    result = audit_ledger(book, read_ledger(EXAMPLE), as_of=date(2026, 11, 20))

    def stream():  # a fresh stream for each writer
        return audit_stream(book, open_ledger(EXAMPLE), as_of=date(2026, 11, 20))

    head, chunks = stream()
    out = io.StringIO()
    assert write_audit_json_stream(head, chunks, out).summary() == result.summary
    assert out.getvalue() == audit_json(result)
    head, chunks = stream()
    out = io.StringIO()
    assert not write_audit_text_stream(head, chunks, out).ok
    assert out.getvalue() == audit_text(result)
    head, chunks = stream()
    out = io.StringIO(newline="")
    write_audit_csv_stream(chunks, out)
    assert out.getvalue() == audit_csv(result)
    head, chunks = stream()
    write_audit_html_stream(head, chunks, tmp_path / "a.html")
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == render_audit_html(result)


def test_a_ledger_changed_during_the_audit_leaves_no_half_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the audit reads a streamed ledger's rows as read (raw_rows), serial or parallel
    rows = reading.LedgerStream.raw_rows

    def changed(self: reading.LedgerStream):
        for i, row in enumerate(rows(self)):
            if i == 3:
                raise LedgerError("the ledger changed while it was read")
            yield row

    monkeypatch.setattr(reading.LedgerStream, "raw_rows", changed)
    target = tmp_path / "out.csv"
    errors = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        code = main(["audit", "huadian", str(EXAMPLE), "--as-of", "2026-11-20", "--csv",
                     str(target)])
    assert code == 2
    assert "changed" in errors.getvalue()
    assert not target.exists()


@pytest.mark.parametrize("streamed", [True, False])
def test_the_collector_is_relaxed_while_a_chunk_is_audited_and_restored_between(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool) -> None:
    import gc

    path = _ledger(tmp_path, rows=300)
    during: list[tuple[int, ...]] = []
    audit_raw, audit_row = audit_stream._audit_raw, audit_stream.audit_row

    def watched_raw(*args, **kw):  # type: ignore[no-untyped-def]
        during.append(gc.get_threshold())
        return audit_raw(*args, **kw)

    def watched_row(*args, **kw):  # type: ignore[no-untyped-def]
        during.append(gc.get_threshold())
        return audit_row(*args, **kw)

    monkeypatch.setattr(audit_stream, "_audit_raw", watched_raw)
    monkeypatch.setattr(audit_stream, "audit_row", watched_row)
    before = gc.get_threshold()
    rows = open_ledger(path) if streamed else read_ledger(path).rows
    between = []
    for _ in audit_parts(load_rulebook("national"), rows, as_of=AS_OF, render=len,
                         chunk_rows=100):
        between.append(gc.get_threshold())  # the caller's code runs under its own
    assert between and set(between) == {before}
    assert during and set(during) == {audit_stream._WORKER_GC_THRESHOLD}
    assert gc.get_threshold() == before


def test_audits_in_threads_leave_the_collector_as_they_found_it(tmp_path: Path) -> None:
    import gc
    import threading

    path = _ledger(tmp_path, rows=400)
    before = gc.get_threshold()
    book = load_rulebook("national")
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        for _ in range(8):
            list(audit_parts(book, open_ledger(path), as_of=AS_OF, render=len, chunk_rows=50))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.get_threshold() == before
