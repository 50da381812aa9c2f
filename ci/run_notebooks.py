"""Run every workshop notebook with papermill over a matrix of parameters, and time each against a floor.

Usage: python ci/run_notebooks.py [--quick] [--repeat N] [--out build/notebooks]
- every notebook with its defaults; notebook 03 for every sample corridor and a blank one; 05 and 06 for every
  sample corridor; 04 for every pair of assessors of one corridor (--quick: defaults only);
- executed notebooks go to build/notebooks/; any error names the notebook, the parameters and the failing cell,
  and the run goes on, so one report lists every failure; exit 1 if any failed;
- no run can hang: each cell may run R2KIT_CELL_TIMEOUT seconds (default r2kit.runner.CELL_TIMEOUT_S) and each
  kernel must start within R2KIT_KERNEL_START_TIMEOUT; a cell over the limit or a dead kernel is that run's failure;
- the floor notebook (ci/floor.ipynb) only imports r2kit, pandas, altair and ipywidgets; it is timed in the same
  run (before and after) and every notebook's time is printed as a ratio of it (target: at most 1.5x);
- `--repeat N` runs the whole list N times, so each notebook's ratio is a median over N runs (one run on a small
  virtual machine varies by about 0.1x).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TARGET_RATIO = 1.5


def matrix(quick: bool) -> list[tuple[str, dict]]:
    """(notebook name, parameters) pairs to run."""
    sys.path.insert(0, str(ROOT))
    import r2kit


    jobs = [(p.stem, {}) for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    if quick:
        return jobs
    answers = r2kit.load("sample_answers")
    for corridor in r2kit.load("corridors")["corridor_id"]:
        jobs.append(("03_corridor_gap_mapping", {"corridor": corridor, "assessor": "GOV-1"}))
        jobs.append(("05_from_gaps_to_actions", {"corridor": corridor, "assessor": "GOV-1"}))
        jobs.append(("06_covid19_focus", {"corridor": corridor, "assessor": "GOV-1"}))
    jobs.append(("03_corridor_gap_mapping", {"corridor": "blank", "participant_code": "NEW-TEAM"}))
    for corridor, group in answers.groupby("corridor_id"):
        codes = sorted(group["assessor_code"].unique())
        if len(codes) > 1:
            jobs.append(("04_peer_review_and_exchange", {"first": f"{corridor}_{codes[0]}",
                                                         "second": f"{corridor}_{codes[1]}",
                                                         "viewer": f"{corridor}_{codes[0]}"}))
    return [j for j in jobs if (NOTEBOOKS / f"{j[0]}.ipynb").exists()]


def run(name: str, params: dict, out: Path) -> tuple[float, str | None]:
    """Execute one notebook (with r2kit's cell and kernel-start limits); return its wall time and any error."""
    from r2kit.errors import R2kitError
    from r2kit.runner import run_notebook

    label = "_".join(f"{v}" for v in params.values()) or "defaults"
    target = out / f"{name}__{label}.ipynb"
    source = NOTEBOOKS / f"{name}.ipynb" if name != "floor" else ROOT / "ci" / "floor.ipynb"
    start = time.perf_counter()
    try:
        run_notebook(source, target, params, cwd=out, progress=False)
    except R2kitError as err:  # names the failing cell, the limit it ran over or the kernel's death
        return time.perf_counter() - start, str(err)
    except Exception as err:  # noqa: BLE001  (report and go on)
        return time.perf_counter() - start, f"{type(err).__name__}: {err}"
    return time.perf_counter() - start, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each notebook once, with its defaults")
    parser.add_argument("--repeat", type=int, default=1, help="run the list N times (ratios are medians)")
    parser.add_argument("--out", default=str(ROOT / "build" / "notebooks"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from tqdm import tqdm

    jobs = matrix(args.quick) * max(1, args.repeat)
    floors = [run("floor", {}, out)[0] for _ in range(2)]
    results = []
    for n, (name, params) in enumerate(tqdm(jobs, desc="notebooks", unit="run"), start=1):
        seconds, error = run(name, params, out)
        results.append((name, params, seconds, error))
        if n % 8 == 0:  # floor runs spread through the matrix, so a busy moment does not skew the ratios
            floors.append(run("floor", {}, out)[0])
    floors.append(run("floor", {}, out)[0])
    floor = statistics.median(floors)
    print(f"\nfloor (import r2kit, pandas, altair, ipywidgets): {floor:.2f} s (median of {len(floors)} runs)")
    print(f"{'notebook':<30} {'parameters':<44} {'seconds':>8} {'x floor':>8}")
    for name, params, seconds, error in results:
        shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
        print(f"{name:<30} {shown[:44]:<44} {seconds:8.2f} {seconds / floor:8.2f} {'FAILED' if error else ''}")
    print("\nper notebook (median over its parameter runs):")
    worst = 0.0
    for name in dict.fromkeys(r[0] for r in results):
        ratio = statistics.median(r[2] for r in results if r[0] == name) / floor
        worst = max(worst, ratio)
        print(f"  {name:<30} {ratio:5.2f}x {'over target' if ratio > TARGET_RATIO else ''}")
    print(f"slowest notebook: {worst:.2f}x the floor (target at most {TARGET_RATIO:g}x)")
    failed = [r for r in results if r[3]]
    for name, params, _, error in failed:
        print(f"FAILED {name} {params}: {error}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
