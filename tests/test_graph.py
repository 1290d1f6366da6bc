"""Workflow graphs: exactly the rulebook's steps and ``next`` entries, in Mermaid and DOT."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from govdisclose import list_rulebooks, load_rulebook
from govdisclose.cli import main
from govdisclose.cli.args import latest_effective_date
from govdisclose.outputs.graph import (
    Edge,
    Graph,
    Node,
    Removed,
    UnknownWorkflowError,
    describe_condition,
    format_amount,
    workflow_graph,
)
from govdisclose.rulebook.conditions import All, Any_, Compare, Not

BOOKS = list_rulebooks()
KINDS = ("request", "item")

MERMAID_NODE = re.compile(r'^    (s_[a-z][a-z0-9_]*)\["([^"]*)"\]$')
MERMAID_EDGE = re.compile(r"^    (s_[a-z][a-z0-9_]*) --> (s_[a-z][a-z0-9_]*)$")
MERMAID_START = re.compile(r"^    start_marker ==> (s_[a-z][a-z0-9_]*)$")
DOT_EDGE = re.compile(r'^    "([a-z][a-z0-9_]*)" -> "([a-z][a-z0-9_]*)";$')
SVG = "{http://www.w3.org/2000/svg}"


def _graph(book_id: str, kind: str) -> Graph:
    book = load_rulebook(book_id)
    return workflow_graph(book, kind, latest_effective_date(book))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("book_id", BOOKS)
def test_every_step_is_a_node_and_every_next_an_edge(book_id: str, kind: str) -> None:
    book = load_rulebook(book_id)
    on = latest_effective_date(book)
    workflow = book.workflows[kind]
    graph = workflow_graph(book, kind, on)

    assert [n.id for n in graph.nodes] == [s.id for s in workflow.steps]
    assert Counter(graph.edges) == Counter(Edge(s.id, t) for s in workflow.steps for t in s.next)
    assert graph.start == workflow.start
    assert [n.id for n in graph.nodes if n.start] == [workflow.start]
    for node, step in zip(graph.nodes, workflow.steps, strict=True):
        assert node.label == step.label
        assert node.text.startswith(step.label)
        assert node.conditional == (step.when is not None)
        if step.role:
            assert f"({book.roles[step.role].label})" in node.lines
        assert node.limit == step.limit
        if step.limit:
            resolved = book.limit(step.limit, on)
            assert node.limit_text is not None
            assert f"{format_amount(resolved.amount)}{resolved.unit.zh}" in node.limit_text
        else:
            assert node.limit_text is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("book_id", BOOKS)
def test_mermaid_has_one_line_per_node_and_per_edge(book_id: str, kind: str) -> None:
    graph = _graph(book_id, kind)
    lines = graph.to_mermaid().splitlines()
    assert lines[0] == "flowchart TD"

    nodes: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    starts: list[str] = []
    other: list[str] = []
    for line in lines[1:]:
        if m := MERMAID_NODE.match(line):
            assert m.group(1) not in nodes
            nodes[m.group(1)] = m.group(2)
        elif m := MERMAID_EDGE.match(line):
            edges.append((m.group(1), m.group(2)))
        elif m := MERMAID_START.match(line):
            starts.append(m.group(1))
        else:
            other.append(line)
    assert list(nodes) == [f"s_{n.id}" for n in graph.nodes]
    assert Counter(edges) == Counter((f"s_{e.source}", f"s_{e.target}") for e in graph.edges)
    assert starts == [f"s_{graph.start}"]
    # Everything else is a comment, the start marker, or styling.
    for line in other:
        assert line.startswith(("    %%", '    start_marker(["', "    classDef ", "    class ")), line
    conditional = [f"s_{n.id}" for n in graph.nodes if n.conditional]
    class_lines = [x for x in other if x.endswith(" conditional") and x.startswith("    class ")]
    if conditional:
        assert class_lines == [f"    class {','.join(conditional)} conditional"]
    for node in graph.nodes:
        assert _unescape_mermaid(nodes[f"s_{node.id}"]) == node.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("book_id", BOOKS)
def test_dot_has_one_line_per_edge_and_renders(book_id: str, kind: str) -> None:
    graph = _graph(book_id, kind)
    text = graph.to_dot()
    assert text.startswith("digraph ")
    assert text.rstrip().endswith("}")
    edges = [(m.group(1), m.group(2)) for line in text.splitlines()
             if (m := DOT_EDGE.match(line))]
    assert Counter(edges) == Counter((e.source, e.target) for e in graph.edges)
    assert text.count('"__start__" -> ') == 1

    svg = _render_dot(text)
    if svg is None:
        return
    root = ET.fromstring(svg)
    groups = Counter(g.get("class") for g in root.iter(f"{SVG}g"))
    assert groups["node"] == len(graph.nodes) + 1  # the start marker too
    assert groups["edge"] == len(graph.edges) + 1


def _render_dot(text: str) -> str | None:
    """The SVG graphviz makes of ``text``, or None where graphviz is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    result = subprocess.run([dot, "-Tsvg"], input=text.encode("utf-8"), capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")


def _unescape_mermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.replace("<br/>", "\n"))


NASTY = 'he said "no" [a] (b) {c} <d> #e; &f `g` \\h | i\nsecond line'


def _nasty_graph() -> Graph:
    nodes = (Node("first", NASTY, None, None, None, None, None, None, start=True),
             Node("end", "end ]\" -->", None, "x", 'role "r"', None, None, 'k = "v"',
                  start=False))
    return Graph("nasty", "测试", "request", date(2026, 1, 1), "first", nodes,
                 (Edge("first", "end"),))


def test_mermaid_escapes_quotes_brackets_markup_and_newlines() -> None:
    graph = _nasty_graph()
    lines = graph.to_mermaid().splitlines()
    defined = {m.group(1): m.group(2) for line in lines if (m := MERMAID_NODE.match(line))}
    assert set(defined) == {"s_first", "s_end"}  # "end" is a Mermaid keyword: prefixed
    for label in defined.values():
        assert '"' not in label
        assert "<" not in label.replace("<br/>", "")
        assert ">" not in label.replace("<br/>", "")
    assert _unescape_mermaid(defined["s_first"]) == NASTY
    assert _unescape_mermaid(defined["s_end"]) == graph.node("end").text
    assert [line for line in lines if MERMAID_EDGE.match(line)] == ["    s_first --> s_end"]


def test_dot_escapes_quotes_backslashes_and_newlines() -> None:
    graph = _nasty_graph()
    text = graph.to_dot()
    assert '\\"no\\"' in text
    assert "\\\\h" in text
    assert "\nsecond line" not in text  # the newline is written as \n inside the string
    svg = _render_dot(text)
    if svg is None:
        pytest.skip("graphviz (dot) is not installed; the structure was checked above")
    root = ET.fromstring(svg)
    for node in graph.nodes:
        group = next(g for g in root.iter(f"{SVG}g")
                     if g.get("class") == "node" and g.findtext(f"{SVG}title") == node.id)
        rendered = [t.text or "" for t in group.iter(f"{SVG}text")]
        assert rendered == node.text.split("\n")


def test_conditions_are_written_in_words() -> None:
    major = Compare("major", "equals", True)
    assert describe_condition(major) == "major = true"
    assert describe_condition(Compare("attribute", "in", ("proactive", "partial"))) == \
        "attribute ∈ {proactive, partial}"
    assert describe_condition(Compare("grounds", "is_set", False)) == "grounds is not set"
    assert describe_condition(Compare("pages", "ge", 100)) == "pages ≥ 100"
    either = Any_((major, Compare("clear", "equals", False)))
    assert describe_condition(Not(either)) == "not (major = true or clear = false)"
    assert describe_condition(All((either, Compare("n", "lt", 3)))) == \
        "(major = true or clear = false) and n < 3"
    assert describe_condition(All(())) == "always"


def test_an_inherited_workflow_says_where_it_comes_from() -> None:
    assert _graph("kuancheng", "request").defined_in == "national"
    assert "%% 流程沿用规则集 national" in _graph("kuancheng", "request").to_mermaid()
    assert _graph("kuancheng", "item").defined_in == "kuancheng"
    assert "流程沿用" not in _graph("kuancheng", "item").to_mermaid()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("book_id", BOOKS)
def test_removed_parent_steps_are_comments_not_nodes(book_id: str, kind: str) -> None:
    workflow = load_rulebook(book_id).workflows[kind]
    graph = _graph(book_id, kind)
    assert [(r.id, r.label, r.reason) for r in graph.removed] == [
        (r.step, r.label, r.reason) for r in workflow.removals]
    assert not {r.id for r in graph.removed} & {n.id for n in graph.nodes}
    mermaid, dot = graph.to_mermaid().splitlines(), graph.to_dot().splitlines()
    for r in graph.removed:
        assert [x for x in mermaid if x.startswith(f"    %% - {r.id}（")] == [
            f"    %% - {r.text}"]
        assert [x for x in dot if x.startswith(f"    // - {r.id}（")] == [f"    // - {r.text}"]
    heading = "上级流程中本级删去的环节 / parent steps removed here:"
    assert (f"    %% {heading}" in mermaid) == bool(graph.removed)
    assert (f"    // {heading}" in dot) == bool(graph.removed)


def test_huadian_says_which_national_steps_it_leaves_out() -> None:
    graph = _graph("huadian", "request")
    assert [r.id for r in graph.removed] == ["intake", "supplement", "consult_agency", "decide"]
    assert all(r.reason and r.sources for r in graph.removed)


def test_removal_comments_stay_one_line_each() -> None:
    removed = (Removed("gone", "旧\n环节", None, "理由 %%{init: {}}%%\n第二行", ("《甲》\n第一条",)),)
    graph = Graph("nasty", "测试", "request", date(2026, 1, 1), "a",
                  (Node("a", "甲", None, None, None, None, None, None, start=True),), (),
                  removed=removed)
    mermaid = graph.to_mermaid().splitlines()
    assert "    %% - gone（旧 环节）：理由 %{init: {}}% 第二行（《甲》 第一条）" in mermaid
    assert not any("%%{" in line for line in mermaid)
    dot = graph.to_dot()
    assert "    // - gone（旧 环节）：理由 %{init: {}}% 第二行（《甲》 第一条）\n" in dot
    svg = _render_dot(dot)
    if svg is not None:
        assert "gone" not in svg


def test_conditional_steps_carry_their_condition() -> None:
    graph = _graph("changchun-new-area.sasac", "item")
    assert graph.node("principal_approval").condition == "major = true"
    assert "条件 if: major = true" in graph.node("principal_approval").lines
    assert graph.node("draft").condition is None


def test_depths_are_longest_paths_from_the_start() -> None:
    for book_id in BOOKS:
        for kind in KINDS:
            graph = _graph(book_id, kind)
            depth = graph.depths()
            assert depth[graph.start] == 0
            assert not graph.back_edges()  # no bundled workflow loops
            for edge in graph.edges:
                assert depth[edge.target] > depth[edge.source]
            for node in graph.nodes:  # reached by its deepest predecessor
                preds = [depth[e.source] for e in graph.edges if e.target == node.id]
                if preds:
                    assert depth[node.id] == max(preds) + 1


def test_a_cycle_is_kept_as_an_edge_but_does_not_break_depths() -> None:
    nodes = tuple(Node(n, n, None, None, None, None, None, None, start=n == "a") for n in "abc")
    edges = (Edge("a", "b"), Edge("b", "c"), Edge("c", "a"))
    graph = Graph("loop", "环", "request", date(2026, 1, 1), "a", nodes, edges)
    assert graph.back_edges() == {Edge("c", "a")}
    assert graph.depths() == {"a": 0, "b": 1, "c": 2}
    assert len([x for x in graph.to_mermaid().splitlines() if MERMAID_EDGE.match(x)]) == 3


def test_limits_follow_the_date_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "national"]) == 0
    assert "时限 request.reply：20个工作日" in capsys.readouterr().out
    assert main(["graph", "national", "--on", "2010-01-01"]) == 0
    assert "时限 request.reply：15个工作日" in capsys.readouterr().out  # the 2008 regulation


def test_cli_formats_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "huadian"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD\n")
    assert out == _graph("huadian", "request").to_mermaid()

    assert main(["graph", "yangquan", "--kind", "item", "--format", "dot"]) == 0
    assert capsys.readouterr().out == _graph("yangquan", "item").to_dot()

    assert main(["graph", "no-such-book"]) == 1
    assert "error:" in capsys.readouterr().err

    for bad in (["graph", "national", "--kind", "appeal"], ["graph", "national", "--format", "png"],
                ["graph", "national", "--on", "2026-13-01"], ["graph"]):
        with pytest.raises(SystemExit) as exc:
            main(bad)
        assert exc.value.code == 2
        capsys.readouterr()


def test_a_book_without_the_workflow_is_a_clear_error(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text('id: bare\nname: 无流程\nsources:\n  doc: {title: 某文件, number: null, '
                    "date: null}\n", encoding="utf-8")
    book = load_rulebook(path)
    with pytest.raises(UnknownWorkflowError) as exc:
        workflow_graph(book, "request", date(2026, 1, 1))
    assert "'bare'" in str(exc.value)
    assert "依申请公开办理流程" in str(exc.value)

    assert main(["graph", str(path), "--kind", "item"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: rulebook 'bare' has no 'item' workflow")
    assert "主动公开审核发布流程" in err
