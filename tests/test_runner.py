"""Notebook runs cannot hang: a cell over the time limit or a dead kernel is a plain failure of that run."""

from __future__ import annotations

import stat
import sys
import time
from pathlib import Path

import nbformat
import pytest

from r2kit.errors import R2kitError
from r2kit.runner import CellProgress, Job, failure, run_many, run_notebook

pytest.importorskip("papermill")


def notebook(path: Path, *sources: str) -> Path:
    """A tiny notebook whose first cell is tagged 'parameters'."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


HANGS = ("x = 1", "print('ready')", "import time\ntime.sleep(120)", "print('never')")


def test_a_cell_that_runs_longer_than_the_limit_is_stopped_and_named(tmp_path):
    started = time.monotonic()
    with pytest.raises(R2kitError, match=r"stopped answering: cell 3 \('import time'\) ran longer than 2 s"):
        run_notebook(notebook(tmp_path / "hangs.ipynb", *HANGS), tmp_path / "out.ipynb", {"x": 2}, timeout=2)
    assert time.monotonic() - started < 15


def test_the_limit_comes_from_r2kit_cell_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv("R2KIT_CELL_TIMEOUT", "2")
    with pytest.raises(R2kitError, match="ran longer than 2 s.*R2KIT_CELL_TIMEOUT"):
        run_notebook(notebook(tmp_path / "hangs.ipynb", *HANGS), tmp_path / "out.ipynb", progress=False)
    monkeypatch.setenv("R2KIT_CELL_TIMEOUT", "soon")
    with pytest.raises(R2kitError, match="R2KIT_CELL_TIMEOUT='soon' is not a number of seconds"):
        run_notebook(notebook(tmp_path / "hangs.ipynb", *HANGS), tmp_path / "out.ipynb", progress=False)


def test_a_kernel_that_dies_is_a_failure_not_a_hang(tmp_path):
    started = time.monotonic()
    dies = notebook(tmp_path / "dies.ipynb", "x = 1", "import os; os._exit(1)", "print('never')")
    with pytest.raises(R2kitError, match=r"kernel died while running cell 2 \('import os; os._exit\(1\)'\)"):
        run_notebook(dies, tmp_path / "out.ipynb", progress=False, timeout=30)
    assert time.monotonic() - started < 15


def test_a_kernel_that_does_not_start_in_time_is_said_plainly():
    message = failure("03.ipynb", RuntimeError("Kernel didn't respond in 60 seconds"), CellProgress(), 300, 60)
    assert message.startswith("Notebook 03.ipynb could not be run: its Python kernel did not start within 60 s")


def test_run_many_goes_on_when_one_job_hangs(tmp_path, monkeypatch):
    monkeypatch.setenv("R2KIT_CELL_TIMEOUT", "2")  # the spawned workers inherit it
    good = notebook(tmp_path / "good.ipynb", "x = 1", "print(x)")
    hangs = notebook(tmp_path / "hangs.ipynb", *HANGS)
    jobs = [Job("hangs", hangs, tmp_path / "out" / "hangs.ipynb"), Job("good", good, tmp_path / "out" / "good.ipynb")]
    started = time.monotonic()
    summary = run_many(jobs, workers=2, progress=False)
    assert list(summary.succeeded) == ["good"] and list(summary.failed) == ["hangs"]
    assert "ran longer than 2 s" in summary.failed["hangs"]
    assert time.monotonic() - started < 30


@pytest.mark.skipif(sys.platform == "win32", reason="Unix modes")
def test_a_folder_made_for_the_executed_notebook_is_private(tmp_path, monkeypatch):
    monkeypatch.delenv("R2KIT_SHARED_GROUP", raising=False)
    out = tmp_path / "reports" / "demo" / "out.ipynb"
    run_notebook(notebook(tmp_path / "good.ipynb", "x = 1", "print(x)"), out, progress=False)
    assert out.is_file()
    for folder in (out.parent, out.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_run_is_quiet_when_nothing_is_wrong_but_the_notebooks_own_warnings_still_show(tmp_path, capfd):
    source = notebook(tmp_path / "quiet.ipynb", "x = 1", "import warnings\nwarnings.warn('a real warning')")
    executed = run_notebook(source, tmp_path / "out.ipynb", {"x": 2}, progress=False)
    err = capfd.readouterr().err
    assert "without encryption" not in err and "WARNING" not in err, err
    outputs = nbformat.read(executed, as_version=4).cells[-1].outputs
    assert any("a real warning" in out.get("text", "") for out in outputs)
