"""Every example under examples/ runs, and the README's Python block is the quickstart."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path: Path) -> None:
    runpy.run_path(str(path), run_name="__main__")


def test_readme_python_block_is_the_quickstart_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    example = (ROOT / "examples" / "quickstart.py").read_text(encoding="utf-8")
    body = example.split('from __future__ import annotations\n\n', 1)[1]
    assert block.group(1).strip() == body.strip()
