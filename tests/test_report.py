"""The HTML report: self-contained, complete, and right as a browser renders it."""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from govdisclose import list_rulebooks, load_rulebook, official_calendar
from govdisclose.cli import main
from govdisclose.outputs.graph import format_amount, workflow_graph
from govdisclose.outputs.html_report import render_report, report_date, write_report
from govdisclose.outputs.svg import workflow_svg

BOOKS = list_rulebooks()
YEAR = 2026  # has a holiday file under rules/calendars/ (国庆节 10-01..07, 10-10 worked)
SVG_NS = "{http://www.w3.org/2000/svg}"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}
# SVG shapes written as self-closing tags inside the inline pictures.
SELF_CLOSING = {"rect", "path", "polyline", "line"}


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _need_chromium() -> str:
    browser = _chromium()
    if browser is None:
        if os.environ.get("GOVDISCLOSE_REQUIRE_CHROMIUM"):
            pytest.fail("GOVDISCLOSE_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("/usr/bin/chromium is not installed: the rendered-page test runs in CI, "
                    "which installs it (.ci/run); locally: apt-get install chromium")
    return browser


def _run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               *args]
    try:
        result = subprocess.run(command, capture_output=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish in 180 s: {' '.join(command)}")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return result


class _TextCollector(HTMLParser):
    """The page's visible text, and the text inside each inline SVG picture."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.svgs: list[list[str]] = []
        self._svg_depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            if self._svg_depth == 0:
                self.svgs.append([])
            self._svg_depth += 1
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._svg_depth:
            self.svgs[-1].append(data)


class _Balance(HTMLParser):
    """Every element that is opened is closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and tag not in SELF_CLOSING:
            self.errors.append(f"<{tag}/> written self-closing")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    return {book_id: write_report(load_rulebook(book_id), YEAR, root / book_id)
            for book_id in BOOKS}


@pytest.mark.parametrize("book_id", BOOKS)
def test_the_page_is_self_contained(reports: dict[str, Path], book_id: str) -> None:
    path = reports[book_id]
    assert path == path.parent / "index.html"
    assert sorted(p.name for p in path.parent.iterdir()) == ["index.html"]
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page
    # No resource is fetched: nothing points at the network, no script, no stylesheet link,
    # and CSS url() only ever names a marker inside the page.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert not re.search(r"url\(\s*(?!#)", page)
    balance = _Balance()
    balance.feed(page)
    balance.close()
    assert balance.errors == []
    assert balance.stack == []


@pytest.mark.parametrize("book_id", BOOKS)
def test_the_page_holds_every_part_of_the_book(reports: dict[str, Path], book_id: str) -> None:
    book = load_rulebook(book_id)
    page = reports[book_id].read_text(encoding="utf-8")
    on = report_date(YEAR)
    assert book.name in page
    for ancestor in book.chain:
        assert f"（{ancestor}）" in page
    for key, limit in book.limits_on(on).items():
        assert f"<code>{key}</code>" in page
        assert f"{format_amount(limit.amount)}{limit.unit.zh}" in page
    for key in book.policies:
        assert f"<code>{key}</code>" in page
    reviews = [c.review for lim in book.limits_on(on).values() for c in lim.cites if c.review]
    assert page.count("⚠ 待法律审核 review:") >= len(reviews)
    for note in book.review_notes:
        assert note.topic.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert page.count('<svg class="workflow"') == len(book.workflows)
    assert page.count("<summary>Mermaid 源码 / Mermaid source</summary>") == len(book.workflows)
    assert page.count('<section class="month"') == 12


@pytest.mark.parametrize("book_id", BOOKS)
def test_the_page_lists_the_parent_steps_a_workflow_leaves_out(reports: dict[str, Path],
                                                               book_id: str) -> None:
    book = load_rulebook(book_id)
    page = reports[book_id].read_text(encoding="utf-8")
    removals = [r for w in book.workflows.values() for r in w.removals]
    assert page.count('<div class="removed">') == sum(
        1 for w in book.workflows.values() if w.removals)
    for r in removals:
        item = page.split(f"<li><code>{r.step}</code> ", 1)[1].split("</li>", 1)[0]
        assert item.startswith(html.escape(r.label))
        assert f"理由 reason：{html.escape(r.reason)}" in item
        assert all(f'<span class="cite">{html.escape(c.text)}</span>' in item for c in r.cites)
    own = [w for w in book.workflows.values() if w.removals and w.book == book_id]
    assert page.count("parent steps removed here</span></h4>") == len(own)


@pytest.mark.parametrize("kind", ["request", "item"])
@pytest.mark.parametrize("book_id", BOOKS)
def test_workflow_pictures_draw_every_step_and_edge_without_overlaps(book_id: str,
                                                                     kind: str) -> None:
    graph = workflow_graph(load_rulebook(book_id), kind, report_date(YEAR))
    svg = ET.fromstring(workflow_svg(graph, "wf").replace("<svg ", f'<svg xmlns="{SVG_NS[1:-1]}" ', 1))
    groups = [g for g in svg.iter(f"{SVG_NS}g") if g.get("data-step")]
    assert [g.get("data-step") for g in groups] == [n.id for n in graph.nodes]
    lines = [p for p in svg.iter(f"{SVG_NS}polyline") if "edge" in (p.get("class") or "")]
    assert sorted((p.get("data-from"), p.get("data-to")) for p in lines) == \
        sorted((e.source, e.target) for e in graph.edges)

    boxes = []
    for group, node in zip(groups, graph.nodes, strict=True):
        rect = group.find(f"{SVG_NS}rect")
        assert rect is not None
        box = tuple(float(rect.get(k, "0")) for k in ("x", "y", "width", "height"))
        boxes.append(box)
        assert (rect.get("stroke-dasharray") is not None) == node.conditional
        shown = _squash("".join(t.text or "" for t in group.iter(f"{SVG_NS}tspan")))
        assert _squash(node.label) in shown
    for i, (x, y, w, h) in enumerate(boxes):  # no two boxes overlap
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
    for line in lines:  # no arrow runs through a box
        points = [tuple(map(float, p.split(","))) for p in (line.get("points") or "").split()]
        for (ax, ay), (bx, by) in pairwise(points):
            for step in range(51):
                px, py = ax + (bx - ax) * step / 50, ay + (by - ay) * step / 50
                for x, y, w, h in boxes:
                    assert not (x + 0.5 < px < x + w - 0.5 and y + 0.5 < py < y + h - 0.5)


def test_a_year_the_calendar_does_not_cover_is_said_so() -> None:
    book = load_rulebook("huadian")
    year = official_calendar().last_year + 1
    page = render_report(book, year)
    assert f"本日历未收录 {year} 年的法定节假日安排" in page
    assert f"no official holiday schedule for {year}" in page
    assert '<section class="month"' not in page
    # Everything else is still there.
    assert "<code>request.reply</code>" in page
    assert '<svg class="workflow"' in page
    assert f"{year} 年定期义务" in page


def test_the_page_does_not_depend_on_when_it_is_made() -> None:
    book = load_rulebook("changchun-new-area.sasac")
    assert render_report(book, YEAR) == render_report(book, YEAR)


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site" / "national"
    assert main(["report", "national", "-o", str(out), "--year", "2025"]) == 0
    assert capsys.readouterr().out.strip() == str(out / "index.html")
    assert "2025 年工作日历" in (out / "index.html").read_text(encoding="utf-8")

    assert main(["report", "kuancheng", "-o", str(tmp_path / "default")]) == 0
    capsys.readouterr()
    latest = official_calendar().last_year
    page = (tmp_path / "default" / "index.html").read_text(encoding="utf-8")
    assert f"{latest} 年工作日历" in page

    assert main(["report", "no-such-book", "-o", str(tmp_path / "x")]) == 1
    assert "error:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["report", "national"])  # -o is required
    assert exc.value.code == 2


@pytest.mark.parametrize("book_id", BOOKS)
def test_chromium_renders_the_page(reports: dict[str, Path], book_id: str,
                                   tmp_path: Path) -> None:
    browser = _need_chromium()
    book = load_rulebook(book_id)
    url = reports[book_id].resolve().as_uri()

    dom = _run_chromium(browser, tmp_path / "profile-dom", "--dump-dom", url)
    parsed = _TextCollector()
    parsed.feed(dom.stdout.decode("utf-8"))
    text = "".join(parsed.text)
    assert book.name in text
    assert "request.reply" in text
    assert "国庆节" in text
    assert "调休上班" in text
    reply = book.limit("request.reply", report_date(YEAR))
    assert f"{format_amount(reply.amount)}{reply.unit.zh}" in text
    assert len(parsed.svgs) == len(book.workflows)
    request_picture = _squash("".join(parsed.svgs[0]))
    graph = workflow_graph(book, "request", report_date(YEAR))
    for node in graph.nodes:
        assert _squash(node.label) in request_picture

    shot = tmp_path / "page.png"
    _run_chromium(browser, tmp_path / "profile-shot", "--hide-scrollbars",
                  "--window-size=1280,2400", f"--screenshot={shot}", url)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2400)
    assert len(data) > 50_000  # a blank page of this size compresses to a few kilobytes
