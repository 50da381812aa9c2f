"""nbval compares the committed results of the notebooks: prove that a changed scoring input fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "03_corridor_gap_mapping.ipynb"
CHANGE = ("import r2kit.checklist as _c\n_scores = dict(_c.score_of())\n_scores['2'] = 50.0  # was 66.7\n"
          "_c.score_of = lambda: _scores")


def nbval(path):
    cmd = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
           "--nbval-sanitize-with", str(ROOT / "ci" / "nbval_sanitize.cfg"), str(path)]
    return subprocess.run(cmd, cwd=path.parent, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})


@pytest.mark.slow
def test_nbval_fails_when_a_scoring_input_changes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert any(c.cell_type == "code" and c.outputs for c in nb.cells), "notebook 03 must be committed executed"
    same = tmp_path / "unchanged" / NOTEBOOK.name
    same.parent.mkdir()
    shutil.copy(NOTEBOOK, same)
    result = nbval(same)
    assert result.returncode == 0, result.stdout[-3000:]

    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "nb.setup()" in c.source)
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(CHANGE))
    changed = tmp_path / "changed" / NOTEBOOK.name
    changed.parent.mkdir()
    nbformat.write(nb, changed)
    result = nbval(changed)
    assert result.returncode != 0
    assert "Cell outputs differ" in result.stdout
    assert "nb.gap_profile(ws)" in result.stdout  # the gap profile is what changed


def _policy():
    import importlib.util

    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "ci" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_follow_the_policy():
    """Executed results kept; no widget state, timing metadata or huge bundles; a parameters cell in each."""
    policy = _policy()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert policy.problems(path) == [], path.name
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].source.startswith("# ") and "## Overview" in nb.cells[0].source, path.name
        assert any(c.cell_type == "code" and c.outputs for c in nb.cells), f"{path.name} is not executed"


def test_the_policy_check_catches_widget_state_and_missing_parameters(tmp_path):
    policy = _policy()
    nb = nbformat.read(ROOT / "notebooks" / "01_principles.ipynb", as_version=4)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    found = " ".join(policy.problems(bad))
    assert "widget state" in found and "parameters" in found
