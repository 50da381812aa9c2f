"""Exchange benchmarks, printed by ci/benchmark.py: `run(record)` where record(name, value, target, unit="s").

Targets: importing 1,000 submission files under 10 s; group views for 1,000 submissions under 1 s; breakout groups
for 500 participants under 2 s; the session report (`r2kit session report`, end to end: papermill, charts, tables,
HTML) for 200 participants under 10 s. Synthetic fictional assessments with random answers, in a temporary
R2KIT_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .. import checklist
from ..assessment import FORMAT, FORMAT_VERSION

REGIONS = [
    "North Coast (fictional)",
    "Eastern Highlands (fictional)",
    "Southern Plains (fictional)",
    "Islands (fictional)",
]


def synthetic_documents(n: int, seed: int = 1) -> list[dict]:
    """`n` valid fictional assessment documents with random answers and regions (two assessors per corridor)."""
    rng = np.random.default_rng(seed)
    items = np.array(checklist.item_ids())
    codes = np.array(checklist.answer_codes())
    docs = []
    for i in range(n):
        corridor = f"BEN-{i // 2:04d}"
        level = rng.uniform(0.1, 0.9, size=len(items))  # a profile: strong somewhere, weak elsewhere
        scored = np.clip(np.rint(level * 3 + rng.normal(0, 0.6, size=len(items))), 0, 3).astype(int).astype(str)
        other = rng.random(len(items))
        answers = np.where(other < 0.04, "dk", scored)
        docs.append(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "corridor": {
                    "id": corridor,
                    "origin": f"Origin {i // 2}",
                    "destination": f"Destination {i // 2}",
                    "fictional": True,
                    "region": REGIONS[(i // 2) % len(REGIONS)],
                },
                "assessor": {"code": f"T-{i % 2 + 1}", "role": "government" if i % 2 == 0 else "civil_society"},
                "assessed_on": "2026-10-15",
                "answers": [
                    {"item_id": str(item), "answer": str(code), "confidence": "medium"}
                    for item, code in zip(items, answers, strict=True)
                    if code in codes
                ],
            }
        )
    return docs


def write_files(folder: Path, docs: list[dict]) -> list[Path]:
    """Write each document as <corridor>_<code>.json in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        path = folder / f"{doc['corridor']['id']}_{doc['assessor']['code']}.json"
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        paths.append(path)
    return paths


def run(record: Callable[..., None], files: int = 1000, grouped: int = 500) -> None:
    """Time the exchange's targets (`files` submissions imported, loaded and viewed; breakout groups for `grouped`
    participants) and report each through `record`. The defaults are the sizes the targets are set for."""
    from .. import groupviews as views
    from .. import matching
    from ..assessment import read_problems
    from .store import Store

    with tempfile.TemporaryDirectory(prefix="r2kit-bench-") as tmp:
        tmp = Path(tmp)
        paths = write_files(tmp / "files", synthetic_documents(files))
        read_problems(paths[0])  # one-off cost of loading the validator (jsonschema), as in any first import
        with Store(tmp / "home") as store:
            store.create_session("bench")
            start = time.perf_counter()
            outcomes = list(store.submit("bench", paths))
            elapsed = time.perf_counter() - start
            assert all(o.status == "stored" for o in outcomes), {o.status for o in outcomes}
            record(f"import {files:,} submission files into a session", elapsed, 10.0)

            start = time.perf_counter()
            answers, meta = store.answers("bench"), store.participants("bench")
            loaded = time.perf_counter() - start
            record(f"load {files:,} submissions from the store", loaded, 1.0)

        views.group_views(answers.head(780), meta.head(10))  # warm caches (data loading) outside the timing
        start = time.perf_counter()
        group = views.group_views(answers, meta, salt="bench")
        elapsed = time.perf_counter() - start
        assert len(group["labels"]) == files
        record(f"group views for {files:,} submissions", elapsed, 1.0)

        ids = pd.Series(meta["assessment_id"].iloc[:grouped])
        sub_answers, sub_meta = answers[answers["assessment_id"].isin(ids)], meta[meta["assessment_id"].isin(ids)]
        start = time.perf_counter()
        groups = matching.breakout_groups(sub_answers, 4, sub_meta)
        elapsed = time.perf_counter() - start
        assert len(groups) == grouped
        record(f"breakout groups of 4 for {grouped:,} participants", elapsed, 2.0)


def session_report(record: Callable[..., None], participants: int = 200) -> None:
    """Time `r2kit session report` for `participants` fictional participants, as a facilitator runs it (a fresh
    process: start-up, papermill, the kernel, charts, tables and the HTML), and report the widest PNG for slides."""
    from .store import Store

    with tempfile.TemporaryDirectory(prefix="r2kit-bench-report-") as tmp:
        tmp = Path(tmp)
        paths = write_files(tmp / "files", synthetic_documents(participants, seed=2))
        with Store(tmp / "home") as store:
            store.create_session("bench-report", title="Benchmark exchange (fictional)")
            assert all(o.status == "stored" for o in store.submit("bench-report", paths))
        env = {**os.environ, "R2KIT_HOME": str(tmp / "home")}
        cli = "from r2kit.cli import main; main()"  # what the `r2kit` command runs
        command = [sys.executable, "-c", cli, "session", "report", "bench-report", "-o", str(tmp / "report")]
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        assert done.returncode == 0, done.stdout + done.stderr
        record(f"session report for {participants} participants", elapsed, 10.0)
        widths = [png_width(p) for p in (tmp / "report" / "charts").glob("*.png")]
        record(f"widest chart PNG for slides ({participants} participants)", max(widths), 1600, "px")


def png_width(path: Path) -> int:
    """The width in pixels that a PNG file's header declares."""
    header = Path(path).read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    return int.from_bytes(header[16:20], "big")
