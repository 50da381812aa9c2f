"""Refresh bytes and hash of every resource in datasets/datapackage.json after a CSV changes.

Usage: python ci/refresh_datapackage.py [--check]
With --check it changes nothing and exits 1 when a recorded size or hash is stale (tests call this).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

DESCRIPTOR = Path(__file__).resolve().parent.parent / "datasets" / "datapackage.json"


def refresh(check: bool = False) -> list[str]:
    """Return the names of resources whose bytes/hash were stale (and fix them unless check)."""
    pkg = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    stale = []
    for res in pkg["resources"]:
        content = (DESCRIPTOR.parent / res["path"]).read_bytes()
        fresh = {"bytes": len(content), "hash": "md5:" + hashlib.md5(content).hexdigest()}
        if any(res.get(k) != v for k, v in fresh.items()):
            stale.append(res["name"])
            res.update(fresh)
    if stale and not check:
        DESCRIPTOR.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv
    stale = refresh(check)
    verb = "stale" if check else "refreshed"
    print(f"{verb}: {', '.join(stale)}" if stale else "datapackage.json is up to date")
    sys.exit(1 if (check and stale) else 0)
