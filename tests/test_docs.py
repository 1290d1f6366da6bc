"""Docs generated from the rulebooks stay in step with them."""

from __future__ import annotations

import re
from pathlib import Path

from govdisclose import list_rulebooks
from govdisclose._docgen import jurisdictions_markdown, readme_table

ROOT = Path(__file__).resolve().parent.parent


def test_readme_rulebook_table_matches_the_bundled_books() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- rulebooks:start -->\n(.*?)\n<!-- rulebooks:end -->", readme, re.S)
    assert table is not None
    assert table.group(1) == readme_table(), "run: python -m govdisclose._docgen"
    for book_id in list_rulebooks():
        assert f"| `{book_id}` |" in table.group(1)


def test_jurisdictions_doc_is_generated_from_the_books() -> None:
    doc = (ROOT / "docs" / "jurisdictions.md").read_text(encoding="utf-8")
    assert doc == jurisdictions_markdown(), "run: python -m govdisclose._docgen"


def test_docs_name_every_cli_command() -> None:
    from govdisclose.cli.main import COMMANDS, build_parser

    build_parser()  # registers the engine's commands too
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"govdisclose {name}" in readme, name


def test_quickstart_commands_and_python_run(tmp_path: Path, monkeypatch, capsys) -> None:
    import shlex

    from govdisclose.cli import main

    text = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    ran = 0
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        commands = [c.strip() for raw in block.splitlines()
                    for c in raw.split("#")[0].split("&&")]
        for line in commands:
            if not line.startswith("govdisclose "):
                continue
            argv = shlex.split(line)[1:]
            if "--ics" in argv:
                argv[argv.index("--ics") + 1] = str(tmp_path / "out.ics")
            expected = 1 if argv[0] == "audit" else 0
            assert main(argv) == expected, line
            ran += 1
    assert ran >= 8
    capsys.readouterr()
    (python,) = re.findall(r"```python\n(.*?)```", text, re.S)
    exec(compile(python, "quickstart.md", "exec"), {})
    out = capsys.readouterr().out
    assert "2026-10-30" in out and "not_this_agency 能够确定负责公开" in out
