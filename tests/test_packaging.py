"""The wheel carries rules/ and schemas/, and the package finds them in one place."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from govdisclose._paths import calendars_dir, data_dir, rules_dir, schemas_dir

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_package_finds_its_data() -> None:
    assert (rules_dir() / "national.yaml").is_file()
    assert (schemas_dir() / "rulebook.schema.json").is_file()
    assert (calendars_dir() / "2026.yaml").is_file()
    assert rules_dir().parent == data_dir() == schemas_dir().parent


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="needs the source tree")
def test_the_built_wheel_contains_rules_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("govdisclose-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # every file under rules/: the rulebooks and the source texts they cite (rules/sources/)
    source_rules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*")
                    if p.is_file()}
    source_schemas = {p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.json")}
    for rel in source_rules | source_schemas:
        assert f"govdisclose/_data/{rel}" in names, rel
    assert "govdisclose/py.typed" in names
    # the HTML and SVG templates the outputs render (issue 11: autoescaped pages)
    templates = ROOT / "src" / "govdisclose" / "outputs" / "templates"
    shipped = {p.relative_to(ROOT / "src").as_posix() for p in templates.glob("*.j2")}
    assert "govdisclose/outputs/templates/report.html.j2" in shipped
    assert shipped <= names, sorted(shipped - names)
    assert not any(n.startswith("rules/") or n.startswith("schemas/") for n in names)
