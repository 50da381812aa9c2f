"""What deleting a session or a participant removes, and finishing a deletion another process kept unfinished.

A deletion removes the rows (SQLite's secure_delete zeroes them), the kept rejected files and the reports, then
empties the write-ahead log so that no deleted text stays in the database files. If another process holds the store
open, the log cannot be emptied: the deletion is noted in `<home>/unfinished-deletions.json` and running the same
deletion again, once that process has closed, finishes it.

The functions take a Store; `Store.delete_session` and `Store.remove_participant` call them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .. import atomic
from ..errors import R2kitError, unknown
from .folders import file_mode
from .names import check_name

CHECKPOINT_WAIT_S = 2.0  # how long a deletion waits for other readers before saying the store is held open
UNFINISHED_NAME = "unfinished-deletions.json"  # deletions another process kept from finishing, to run again


def delete_session(store, name: str) -> dict:
    """Delete everything of a session: its submissions, every version, rejected files and reports.

    Returns what was deleted, `held_open` (another process kept the deleted text in the database files) and
    `remains` (plain descriptions of what is left); running it again once that process closed finishes the job.
    """
    check_name(name)
    with store._write() as conn:
        found = conn.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone() is not None
        counts = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT corridor_id || '/' || assessor_code) FROM submissions WHERE session = ?",
            (name,),
        ).fetchone()
        conn.execute("DELETE FROM sessions WHERE name = ?", (name,))  # cascades to submissions and answers
    rejected = len(store.rejected(name))
    reports = store.reports_dir(name).exists()
    remains = remove_paths([store.rejected_dir(name), store.reports_dir(name)])
    held_open = finish(store, ["session", name], found)
    remains += [held_open_text(store)] if held_open else []
    return {
        **{"found": found, "versions": counts[0], "participants": counts[1], "rejected": rejected},
        **{"reports": reports, "held_open": held_open, "remains": remains},
    }


def remove_participant(store, name: str, assessment_id: str) -> dict:
    """Delete one participant (corridor/code) from a session: every version, their rejected files, the reports.

    The session's reports show every participant, so they are deleted (to be run again). Returns `versions`,
    `rejected`, `reports` (a reports folder was deleted), `held_open` and `remains`, as delete_session does.
    """
    store.session(name)
    corridor, _, code = assessment_id.partition("/")
    with store._write() as conn:
        deleted = conn.execute(
            "DELETE FROM submissions WHERE session = ? AND corridor_id = ? AND assessor_code = ?",
            (name, corridor, code),
        ).rowcount
    entry = ["participant", name, assessment_id]
    kept = store.rejected_of(name, assessment_id)
    unfinished = entry in unfinished_entries(store)
    if not (deleted or kept or unfinished):
        known = sorted(store.submissions(name)["assessment_id"])
        raise (
            unknown("participant", assessment_id, known)
            if known
            else R2kitError(f"Session {name!r} has no submissions.")
        )
    reports = bool(deleted or unfinished) and store.reports_dir(name).exists()
    remains = remove_paths([p for k in kept for p in (k, k.with_name(k.name + ".reason.txt"))])
    remains += remove_paths([store.reports_dir(name)] if reports else [])
    held_open = finish(store, entry, bool(deleted or unfinished))
    remains += [held_open_text(store)] if held_open else []
    counts = {"versions": deleted, "rejected": len(kept), "reports": reports}
    return {**counts, "held_open": held_open, "remains": remains}


def is_unfinished(store, name: str, assessment_id: str | None = None) -> bool:
    """True if an earlier deletion of this session (or participant) could not clear the database files."""
    entry = ["session", name] if assessment_id is None else ["participant", name, assessment_id]
    return entry in unfinished_entries(store)


def finish(store, entry: list[str], deleted: bool) -> bool:
    """Clear deleted text from the database files; note the deletion as unfinished if another process holds it.

    Returns True when the store is held open (the deleted text is still in the database or its log).
    """
    unfinished = unfinished_entries(store)
    pending = not clear_log(store) and (deleted or entry in unfinished)
    if pending:
        keep = unfinished if entry in unfinished else [*unfinished, entry]
    else:  # done; a deleted session also finishes the removals of its participants
        keep = [e for e in unfinished if not (e == entry or (entry[0] == "session" and e[1:2] == entry[1:2]))]
    if keep != unfinished:
        write_unfinished(store, keep)
    return pending


def clear_log(store) -> bool:
    """Copy the write-ahead log into the database and empty it; False if another connection holds old pages.

    secure_delete zeroes deleted records in the pages; this makes the zeroed pages replace the old ones in the
    database file and truncates the log. A reader's open transaction keeps both, so wait only briefly for it.
    """
    timeout_ms = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    store.conn.execute(f"PRAGMA busy_timeout = {int(CHECKPOINT_WAIT_S * 1000)}")
    try:
        busy = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:  # locked by a writer for longer than the wait
        busy = 1
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    return not busy


def held_open_text(store) -> str:
    """What remains when another process holds the store open, in plain words."""
    return (
        f"the deleted records are still readable in {store.path} and {store.path.name}-wal, because another "
        f"program has the store open (a notebook kernel, or r2kit in another terminal)"
    )


def unfinished_entries(store) -> list[list[str]]:
    """Deletions that another process kept from finishing (read from the data folder)."""
    try:
        entries = json.loads((store.home / UNFINISHED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, list)] if isinstance(entries, list) else []


def write_unfinished(store, entries: list[list[str]]) -> None:
    """Save the unfinished deletions, or remove the note when there are none."""
    path = store.home / UNFINISHED_NAME
    if entries:
        atomic.write_bytes(path, json.dumps(entries).encode("utf-8"), file_mode())
    else:
        path.unlink(missing_ok=True)


def remove_paths(paths: Iterable[Path]) -> list[str]:
    """Delete files and folders; return a plain line for each that could not be deleted (e.g. open elsewhere)."""
    left = []
    for path in paths:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError as err:
            left.append(f"{path} could not be deleted ({err.strerror or err})")
    return left
