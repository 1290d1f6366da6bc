"""The CI helpers shipped for other repositories: pre-commit hooks and the example workflow."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from govdisclose._hooks import main as hook_main

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hooks_are_well_formed() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"] for h in hooks}
    assert ids == {"govdisclose-validate", "govdisclose-test", "govdisclose-audit"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)


def test_example_workflow_is_yaml_with_the_audit_step() -> None:
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "ledger-audit.yml").read_text("utf-8"))
    steps = flow["jobs"]["audit"]["steps"]
    assert any("govdisclose audit" in s.get("run", "") for s in steps)


def test_audit_hook_checks_every_file_and_returns_the_worst(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("id,received_on,replied_on\nA,2026-03-02,2026-03-10\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    shutil.copy(ROOT / "examples" / "ledgers" / "huadian-2026.csv", bad)
    assert hook_main(["audit", "huadian", "--as-of", "2026-11-20", str(good)]) == 0
    assert hook_main(["audit", "huadian", "--as-of", "2026-11-20", str(good), str(bad)]) == 1
    assert hook_main(["audit"]) == 2
