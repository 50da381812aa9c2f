"""Execute the workshop notebooks in place so that their committed outputs are current (nbval compares them).

Usage: python ci/execute_notebooks.py [NOTEBOOK ...]     (default: every notebooks/*.ipynb)
Run it after changing a notebook, the data or an analysis; commit the result. It strips what must not be committed
(widget state, execution timestamps, papermill metadata) so that diffs show only real changes; `--check` fails when
a committed notebook carries any of that (tests call it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MAX_OUTPUT_BYTES = 600_000  # per notebook: no huge embedded bundles in git


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state, widget views, timing and papermill metadata; keep results and execution counts.

    A widget view cannot be drawn from a committed file (its state is not saved), so a reader would only see its
    text repr; the widget appears when the cell runs.
    """
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
            for output in cell.outputs:
                output.get("metadata", {}).pop("papermill", None)
    return nb


def problems(path: Path) -> list[str]:
    """What a committed notebook must not carry."""
    nb = nbformat.read(path, as_version=4)
    found = []
    if "widgets" in nb.metadata:
        found.append("saved widget state (metadata.widgets)")
    if "papermill" in nb.metadata or any("papermill" in c.metadata or "execution" in c.metadata for c in nb.cells):
        found.append("papermill or execution timing metadata")
    if any(WIDGET_VIEW in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs):
        found.append("widget views (shown as text reprs until run)")
    size = sum(len(nbformat.writes(nbformat.from_dict({"cells": [c], "metadata": {}, "nbformat": 4,
                                                         "nbformat_minor": 5}))) for c in nb.cells)
    if size > MAX_OUTPUT_BYTES:
        found.append(f"{size / 1e3:.0f} KB of cells (limit {MAX_OUTPUT_BYTES / 1e3:.0f} KB)")
    if not any(c.metadata.get("tags") and "parameters" in c.metadata["tags"] for c in nb.cells):
        found.append("no cell tagged 'parameters'")
    return found


def execute(path: Path) -> str | None:
    """Execute a notebook in place, within r2kit's cell and kernel-start limits; return why it failed, or None."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    sys.path.insert(0, str(ROOT))
    from r2kit.runner import KERNEL_ARGS, CellProgress, cell_timeout, failure, kernel_start_timeout

    nb = nbformat.read(path, as_version=4)
    progress, timeout, start_timeout = CellProgress(), cell_timeout(), kernel_start_timeout()
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=start_timeout,
        kernel_name="python3",
        shutdown_kernel="immediate",
        extra_arguments=KERNEL_ARGS,
        on_cell_start=progress,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as err:
        return f"{progress.current()} failed: {err.ename}: {err.evalue}"
    except Exception as err:  # noqa: BLE001  (a cell over the limit, a dead kernel: say so and go on)
        return failure(path.name, err, progress, timeout, start_timeout)
    nbformat.write(clean(nb), path)
    return None


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        bad = {p.name: problems(p) for p in sorted(NOTEBOOKS.glob("*.ipynb"))}
        bad = {k: v for k, v in bad.items() if v}
        for name, found in bad.items():
            print(f"{name}: {'; '.join(found)}")
        return 1 if bad else 0
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    failed = 0
    for path in paths:
        print(f"executing {path.name}", flush=True)
        error = execute(path.resolve())
        if error:
            failed += 1
            print(f"FAILED {path.name} (left unchanged): {error}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
