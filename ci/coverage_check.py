"""Check that every r2kit module is at least 85% covered, counting code run inside notebook kernels.

Usage: python ci/coverage_check.py [--min 85]   (after `coverage run ...` and `coverage combine`)
`make test` measures the papermill matrix and the test suite with coverage's `patch = subprocess` (see
pyproject.toml), so reports and notebook helpers, which run only inside kernels, count too. Prints each module's
figure, lowest first, and exits 1 naming every module under the minimum.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent


def module_coverage() -> dict[str, float]:
    """Percent of statements run, per module of r2kit (relative path -> percent)."""
    cov = coverage.Coverage(config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    figures = {}
    for path in sorted((ROOT / "r2kit").rglob("*.py")):
        _, statements, _, missing, _ = cov.analysis2(str(path))
        if statements:
            figures[str(path.relative_to(ROOT))] = 100.0 * (len(statements) - len(missing)) / len(statements)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=85.0, help="minimum percent for every module (default 85)")
    args = parser.parse_args()
    figures = module_coverage()
    if not figures:
        print("coverage_check: no coverage data; run the tests under coverage first (make test).")
        return 1
    below = {name: pct for name, pct in figures.items() if pct < args.min}
    print(f"Coverage per module (tests and notebook kernels), lowest first; minimum {args.min:.0f}%:")
    for name, pct in sorted(figures.items(), key=lambda item: item[1]):
        print(f"  {pct:5.1f}%  {name}{'   <- below the minimum' if name in below else ''}")
    if below:
        print(f"{len(below)} module(s) under {args.min:.0f}%: {', '.join(sorted(below))}")
        return 1
    print(f"every module of r2kit is at least {args.min:.0f}% covered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
