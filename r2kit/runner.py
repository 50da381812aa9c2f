"""Notebook runs: papermill executes parameterised notebooks, nbconvert turns them into self-contained HTML.

Used by `r2kit session report`, `r2kit report` and CI. papermill and nbconvert are imported when first used, so
that `import r2kit` and `r2kit --help` stay fast. HTML reports need no network: input cells are hidden, charts are
inline SVG, and the scripts nbconvert would fetch from a CDN (require.js, MathJax) are left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .errors import R2kitError

KERNEL = "python3"
# Kernels run quietly: their own start-up warnings (ipykernel 7.4 warns on every start that its local TCP sockets
# are unencrypted) would appear dozens of times in a run and hide real problems. Errors still show, and warnings
# raised by the notebooks' code still reach their cells.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
# Limits that keep a run from hanging: a report cell takes seconds, so one that runs for minutes has stopped answering.
CELL_TIMEOUT_S = 300  # per cell; R2KIT_CELL_TIMEOUT overrides it (e.g. on a slow or crowded hub)
KERNEL_START_TIMEOUT_S = 60  # R2KIT_KERNEL_START_TIMEOUT overrides it
# A finished kernel is killed at once (every output is in by then; a stuck one must not delay us). When coverage is
# measuring the kernels (`make coverage` sets COVERAGE_PROCESS_CONFIG), it is asked to exit, so its figures are saved.
_MEASURED = bool(os.environ.get("COVERAGE_PROCESS_CONFIG") or os.environ.get("COVERAGE_PROCESS_START"))
KERNEL_SHUTDOWN = "graceful" if _MEASURED else "immediate"
# Scripts that would load from a CDN (or nowhere): remote or empty src, and the module that imports mermaid.
_REMOTE_SCRIPTS = [
    re.compile(r"<script[^>]*\ssrc=(?:\"\"|''|[\"']?https?://[^>]*)>\s*</script>\s*", re.I),
    re.compile(r"<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>\s*", re.S),
]


def run_notebook(
    notebook: str | os.PathLike,
    output: str | os.PathLike,
    parameters: Mapping | None = None,
    cwd: str | os.PathLike | None = None,
    progress: bool = True,
    timeout: int | None = None,
    start_timeout: int | None = None,
) -> Path:
    """Execute `notebook` with `parameters` (papermill, kernel python3) in `cwd`; write and return `output`.

    Each cell may run `timeout` seconds (default cell_timeout()) and the kernel must start within `start_timeout`
    (default kernel_start_timeout()), so a run never hangs. Raises R2kitError naming the notebook and the failing
    cell (its number and first line) with the error, the limit it exceeded, or the kernel's death.
    """
    notebook, output = Path(notebook), Path(output)
    if not notebook.is_file():
        raise R2kitError(f"Notebook {notebook} not found.")
    try:
        import papermill
    except ImportError:
        raise R2kitError(
            'Running notebooks needs papermill: pip install "r2kit[workshop]" (or pip install papermill).'
        ) from None
    from .exchange.folders import make_dirs

    make_dirs(output.parent)  # reports hold participants' answers: folders r2kit creates are private
    cwd = Path(cwd) if cwd is not None else output.parent
    timeout, start_timeout = timeout or cell_timeout(), start_timeout or kernel_start_timeout()
    progress_cells = CellProgress()
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=dict(parameters or {}),
            kernel_name=KERNEL,
            cwd=str(cwd),
            progress_bar=progress,
            execution_timeout=timeout,
            start_timeout=start_timeout,
            request_save_on_cell_execute=False,
            on_cell_start=progress_cells,
            shutdown_kernel=KERNEL_SHUTDOWN,
            extra_arguments=KERNEL_ARGS,
        )
    except papermill.PapermillExecutionError as err:
        line = next((s for s in (err.source or "").splitlines() if s.strip()), "").strip()[:80]
        raise R2kitError(
            f"Notebook {notebook.name} failed in cell {_source_position(output, err.cell_index)} ({line!r}): "
            f"{err.ename}: {err.evalue}. The executed notebook, with the error, is {output}."
        ) from None
    except R2kitError:
        raise
    except Exception as err:  # kernel missing or died, unreadable notebook, timeout ...
        raise R2kitError(failure(notebook.name, err, progress_cells, timeout, start_timeout)) from None
    return output


def cell_timeout() -> int:
    """Seconds one cell may run: R2KIT_CELL_TIMEOUT if set, else CELL_TIMEOUT_S."""
    return _seconds("R2KIT_CELL_TIMEOUT", CELL_TIMEOUT_S)


def kernel_start_timeout() -> int:
    """Seconds a kernel may take to start: R2KIT_KERNEL_START_TIMEOUT if set, else KERNEL_START_TIMEOUT_S."""
    return _seconds("R2KIT_KERNEL_START_TIMEOUT", KERNEL_START_TIMEOUT_S)


def _seconds(variable: str, default: int) -> int:
    """A positive number of seconds from an environment variable, or the default when it is unset."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    try:
        seconds = int(float(value))
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise R2kitError(f"{variable}={value!r} is not a number of seconds; set it like {variable}={default}.")
    return seconds


class CellProgress:
    """The code cells a run has started (an nbclient on_cell_start hook), to name the cell a run stopped in."""

    def __init__(self) -> None:
        self.started: list[tuple[int, bool, str]] = []  # (index, injected by papermill, first line)

    def __call__(self, cell, cell_index: int, **_) -> None:
        injected = "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        line = next((s for s in cell.get("source", "").splitlines() if s.strip()), "").strip()
        self.started.append((cell_index, injected, line[:60] + ("..." if len(line) > 60 else "")))

    def current(self) -> str | None:
        """'cell N ('first line')' of the cell running last, numbered as in the original notebook; None if none."""
        if not self.started:
            return None
        index, _, line = self.started[-1]
        injected = sum(i < index and inj for i, inj, _ in self.started)
        return f"cell {index + 1 - injected} ({line!r})"


def failure(name: str, err: BaseException, progress: CellProgress, timeout: int, start_timeout: int) -> str:
    """A plain sentence for a run that failed outside its cells' code: a cell over the limit, a dead kernel ..."""
    kind = type(err).__name__
    cell = progress.current()
    if kind == "CellTimeoutError" and cell:
        return (
            f"Notebook {name} stopped answering: {cell} ran longer than {timeout} s, so the run was stopped. "
            f"If it only needs longer (a slow or busy machine), set R2KIT_CELL_TIMEOUT to more seconds."
        )
    if kind == "DeadKernelError":
        where = f"while running {cell}" if cell else "before running any cell"
        return (
            f"Notebook {name} stopped answering: its Python kernel died {where} "
            f"(out of memory, or the process was killed)."
        )
    if not cell and (isinstance(err, TimeoutError) or "didn't respond" in str(err)):
        return (
            f"Notebook {name} could not be run: its Python kernel did not start within {start_timeout} s "
            f"(a very busy machine? set R2KIT_KERNEL_START_TIMEOUT to wait longer)."
        )
    return f"Notebook {name} could not be run: {kind}: {err}"


def _source_position(executed: Path, index: int) -> int:
    """1-based position of a cell in the original notebook (papermill inserts an injected-parameters cell)."""
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells[:index]
    except Exception:  # the position is a courtesy: never hide the real error
        return index + 1
    return index + 1 - sum("injected-parameters" in c.metadata.get("tags", []) for c in cells)


def notebook_to_html(executed: str | os.PathLike, html_path: str | os.PathLike, title: str | None = None) -> Path:
    """Write an executed notebook as one self-contained HTML file (no code cells, no CDN scripts); return its path."""
    try:
        import nbformat
        from nbconvert import HTMLExporter
    except ImportError:
        raise R2kitError(
            'HTML reports need nbconvert: pip install "r2kit[workshop]" (or pip install nbconvert).'
        ) from None
    executed, html_path = Path(executed), Path(html_path)
    nb = nbformat.read(executed, as_version=4)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_notebook_node(nb)
    for pattern in _REMOTE_SCRIPTS:
        body = pattern.sub("", body)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


@dataclass
class Job:
    """One notebook run: the notebook, where the executed copy goes, its parameters, and optionally an HTML file."""

    name: str
    notebook: Path
    output: Path
    parameters: dict = field(default_factory=dict)
    html: Path | None = None
    cwd: Path | None = None
    title: str | None = None


@dataclass
class Summary:
    """What `run_many` did: the jobs that succeeded (with their outputs) and those that failed (with why)."""

    succeeded: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no job failed."""
        return not self.failed

    def __str__(self) -> str:
        lines = [f"{len(self.succeeded)} succeeded, {len(self.failed)} failed"]
        lines += [f"  ok     {name}: {path}" for name, path in sorted(self.succeeded.items())]
        lines += [f"  FAILED {name}: {why}" for name, why in sorted(self.failed.items())]
        return "\n".join(lines)


def run_job(job: Job) -> Path:
    """Run one job (no progress bar of its own) and return the HTML path, or the executed notebook's."""
    executed = run_notebook(job.notebook, job.output, job.parameters, cwd=job.cwd, progress=False)
    return notebook_to_html(executed, job.html, job.title) if job.html else executed


def run_many(jobs: Iterable[Job], workers: int | None = None, progress: bool = True) -> Summary:
    """Run jobs in parallel (processes, one per core by default) with a progress bar; never stops at a failure."""
    from tqdm.auto import tqdm

    jobs = list(jobs)
    summary = Summary()
    if not jobs:
        return summary
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    bar = tqdm(total=len(jobs), desc="Reports", unit="report", disable=not progress)
    if workers == 1:
        for job in jobs:
            _collect(summary, job, lambda j=job: run_job(j))
            bar.update(1)
        bar.close()
        return summary
    import multiprocessing

    # spawn: a fresh interpreter per worker, safe with the kernels' ZeroMQ sockets on every platform.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            _collect(summary, futures[future], future.result)
            bar.update(1)
    bar.close()
    return summary


def _collect(summary: Summary, job: Job, result) -> None:
    try:
        summary.succeeded[job.name] = result()
    except R2kitError as err:
        summary.failed[job.name] = str(err)
    except Exception as err:  # a worker that crashed still gets a line in the summary
        summary.failed[job.name] = f"{type(err).__name__}: {err}"
