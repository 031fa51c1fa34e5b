"""The layers import only downward: the import-linter contracts in pyproject.toml hold.

    assistant.cli (entry) > benchmarks > ui > evals > assistant > ingest > vectorstore > prompts
    > kernel

An upward import (say `vectorstore` importing `assistant`, even lazily inside a function) makes
`lint-imports` name the chain, and this test fails with that report.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kernel", "vectorstore", "ingest", "prompts", "assistant", "ui", "evals", "benchmarks")


def _lint(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` over the packages under `root`, with its pyproject.toml's contracts."""
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(lint), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300, env=env
    )


def test_layers__every_import_linter_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_layers__a_lazy_upward_import_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    store = tmp_path / "vectorstore" / "store.py"
    upward = "\n\ndef _up():\n    import assistant.service\n"
    store.write_text(store.read_text(encoding="utf-8") + upward, encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "vectorstore.store -> assistant.service" in result.stdout
