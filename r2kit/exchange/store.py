"""The exchange store: sessions and their submissions in one SQLite file in the data folder (R2KIT_HOME).

One file, `<home>/exchange.sqlite3`, in WAL mode with a busy timeout, so that many processes (participants'
kernels on one JupyterHub) can submit at once. Every write is one `BEGIN IMMEDIATE` transaction: a file is stored
whole or not at all, even if the process is killed. The schema version is kept in `PRAGMA user_version`.

Invalid files are never stored in the database: a copy is kept in `<home>/rejected/<session>/` beside a
`<file>.reason.txt` listing every problem. Deleting a session removes its rows, its rejected files and its reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import atomic, intake
from ..errors import R2kitError, log_unexpected, unknown
from ..inert import for_terminal
from ..validation import Problem, parse_bytes
from .folders import create_file, exposure, file_mode, make_dirs

SCHEMA_VERSION = 1
DB_NAME = "exchange.sqlite3"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # always used with fullmatch
BUSY_TIMEOUT_S = 60.0
CHECKPOINT_WAIT_S = 2.0  # how long a deletion waits for other readers before saying the store is held open
UNFINISHED_NAME = "unfinished-deletions.json"  # deletions another process kept from finishing, to run again

_SCHEMA = """
CREATE TABLE sessions (
    name        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    held_on     TEXT,
    focus       TEXT,
    label_salt  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    session        TEXT NOT NULL REFERENCES sessions(name) ON DELETE CASCADE,
    corridor_id    TEXT NOT NULL,
    assessor_code  TEXT NOT NULL,
    version        INTEGER NOT NULL,
    is_current     INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    document       TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    flags          TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    UNIQUE (session, corridor_id, assessor_code, version)
);
CREATE UNIQUE INDEX one_current ON submissions (session, corridor_id, assessor_code) WHERE is_current = 1;
CREATE TABLE answers (
    submission_id  INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    item_id        TEXT NOT NULL,
    answer         TEXT NOT NULL,
    evidence       TEXT,
    confidence     TEXT,
    PRIMARY KEY (submission_id, item_id)
) WITHOUT ROWID;
"""


def default_home() -> Path:
    """The per-user data folder used when R2KIT_HOME is not set."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "r2kit"


def home() -> Path:
    """The data folder: R2KIT_HOME if set (e.g. a shared folder on a JupyterHub), else the per-user default."""
    env = os.environ.get("R2KIT_HOME")
    return Path(env).expanduser() if env else default_home()


def check_name(name: str) -> str:
    """A session name is used in folder names: 1-64 letters, digits, '.', '-' or '_', starting with one of the first."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise R2kitError(
            f"{name!r} cannot be a session name: use 1-64 letters, digits, '.', '-' or '_' with no spaces "
            f"(for example 'lisbon-2026')."
        )
    return name


def content_hash(doc: object) -> str:
    """SHA-256 of an assessment's content (key order and spacing do not matter)."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Outcome:
    """What happened to one submitted file."""

    file: str
    status: str  # stored | replaced | unchanged | refused | rejected | failed
    message: str
    assessment_id: str | None = None
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)
    kept_as: Path | None = None  # the copy of a rejected file (None when it could not be read)
    reason_file: Path | None = None  # the reasons of a rejected file, beside its copy

    @property
    def ok(self) -> bool:
        """True when the file's content is in the store (new, replacing, or already there)."""
        return self.status in ("stored", "replaced", "unchanged")


class Store:
    """The exchange's SQLite store in a data folder; open one per process (connections are not shared)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.home = Path(folder).expanduser() if folder is not None else home()
        existed = self.home.is_dir()
        try:
            make_dirs(self.home)  # private (0700) unless R2KIT_SHARED_GROUP=1; a folder that exists is left alone
        except OSError as err:
            raise R2kitError(f"Cannot create the r2kit data folder {self.home} ({err.strerror or err}).") from None
        self.warnings: list[str] = [w for w in [existed and exposure(self.home)] if w]
        self.path = self.home / DB_NAME
        try:
            create_file(self.path)  # 0600 before SQLite opens it: its -wal and -shm files get the same mode
        except OSError as err:
            raise R2kitError(f"Cannot create the exchange store {self.path} ({err.strerror or err}).") from None
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: never corrupt, durable at checkpoints
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA secure_delete = ON")  # deleted data is overwritten, not left in free pages
            self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
            self._retry(self._migrate)
        except sqlite3.DatabaseError as err:
            raise R2kitError(f"Cannot open the exchange store {self.path}: {err}.") from None

    @staticmethod
    def _retry(step) -> None:
        """Run a set-up step, retrying while another process holds the lock SQLite's busy handler does not wait on."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions and schema -------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that concurrent writers queue, never clash."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise R2kitError(
                f"The exchange store {self.path} stayed busy for {BUSY_TIMEOUT_S:.0f} s ({err}); try again."
            ) from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise R2kitError(
                f"The exchange store {self.path} was written by a newer r2kit (schema {version}; this r2kit reads "
                f"{SCHEMA_VERSION}). Update r2kit, or set R2KIT_HOME to another folder."
            )
        with self._write() as conn:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process may have won the race
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- sessions ----------------------------------------------------------------------------------------------

    def create_session(
        self, name: str, title: str | None = None, held_on: str | None = None, focus: str | None = None
    ) -> dict:
        """Create a session; raises R2kitError if the name is taken or the date is not YYYY-MM-DD."""
        check_name(name)
        if held_on:
            try:
                dt.date.fromisoformat(held_on)
            except ValueError:
                raise R2kitError(f"{held_on!r} is not a date written YYYY-MM-DD.") from None
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone():
                raise R2kitError(f"A session named {name!r} already exists; choose another name.")
            conn.execute(
                "INSERT INTO sessions (name, title, held_on, focus, label_salt, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (name, title or name, held_on, focus, secrets.token_hex(16), _now()),
            )
        make_dirs(self.rejected_dir(name))  # private from the start, before a rejected file is kept in it
        return self.session(name)

    def session_names(self) -> list[str]:
        """Names of all sessions, sorted."""
        return [r[0] for r in self.conn.execute("SELECT name FROM sessions ORDER BY name")]

    def session(self, name: str) -> dict:
        """One session's details: name, title, held_on, focus, created_at, label_salt, submissions, rejected."""
        row = self.conn.execute(
            "SELECT name, title, held_on, focus, label_salt, created_at FROM sessions WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise (
                unknown("session", name, self.session_names())
                if self.session_names()
                else R2kitError(
                    f"Unknown session {name!r}: there are no sessions yet in {self.home}. "
                    f"Create one with: r2kit session new {name if NAME_PATTERN.fullmatch(str(name)) else 'NAME'}"
                )
            )
        info = dict(zip(["name", "title", "held_on", "focus", "label_salt", "created_at"], row, strict=True))
        info["submissions"] = self.conn.execute(
            "SELECT COUNT(*) FROM submissions WHERE session = ? AND is_current = 1", (name,)
        ).fetchone()[0]
        info["rejected"] = len(self.rejected(name))
        return info

    def sessions(self) -> pd.DataFrame:
        """All sessions with their number of current submissions and rejected files."""
        rows = [self.session(name) for name in self.session_names()]
        columns = ["name", "title", "held_on", "focus", "created_at", "submissions", "rejected"]
        return pd.DataFrame(rows, columns=columns + ["label_salt"])[columns]

    def rejected_dir(self, name: str) -> Path:
        """The folder where the session's rejected files are kept."""
        return self.home / "rejected" / check_name(name)

    def reports_dir(self, name: str) -> Path:
        """The default folder of the session's reports."""
        return self.home / "reports" / check_name(name)

    def rejected(self, name: str) -> list[Path]:
        """The kept copies of the session's rejected files (each has a .reason.txt beside it)."""
        folder = self.rejected_dir(name)
        if not folder.is_dir():
            return []
        return sorted(p.with_name(p.name[: -len(".reason.txt")]) for p in folder.glob("*.reason.txt"))

    def delete_session(self, name: str) -> dict:
        """Delete everything of a session: its submissions, every version, rejected files and reports.

        Returns what was deleted, `held_open` (another process kept the deleted text in the database files) and
        `remains` (plain descriptions of what is left); running it again once that process closed finishes the job.
        """
        check_name(name)
        with self._write() as conn:
            found = conn.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone() is not None
            counts = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT corridor_id || '/' || assessor_code) FROM submissions "
                "WHERE session = ?",
                (name,),
            ).fetchone()
            conn.execute("DELETE FROM sessions WHERE name = ?", (name,))  # cascades to submissions and answers
        rejected = len(self.rejected(name))
        reports = self.reports_dir(name).exists()
        remains = _remove([self.rejected_dir(name), self.reports_dir(name)])
        held_open = self._finish_deletion(["session", name], found)
        remains += [self._held_open_text()] if held_open else []
        return {
            **{"found": found, "versions": counts[0], "participants": counts[1], "rejected": rejected},
            **{"reports": reports, "held_open": held_open, "remains": remains},
        }

    def remove_participant(self, name: str, assessment_id: str) -> dict:
        """Delete one participant (corridor/code) from a session: every version, their rejected files, the reports.

        The session's reports show every participant, so they are deleted (to be run again). Returns `versions`,
        `rejected`, `reports` (a reports folder was deleted), `held_open` and `remains`, as delete_session does.
        """
        self.session(name)
        corridor, _, code = assessment_id.partition("/")
        with self._write() as conn:
            deleted = conn.execute(
                "DELETE FROM submissions WHERE session = ? AND corridor_id = ? AND assessor_code = ?",
                (name, corridor, code),
            ).rowcount
        entry = ["participant", name, assessment_id]
        kept = self.rejected_of(name, assessment_id)
        unfinished = entry in self._unfinished()
        if not (deleted or kept or unfinished):
            known = sorted(self.submissions(name)["assessment_id"])
            raise (
                unknown("participant", assessment_id, known)
                if known
                else R2kitError(f"Session {name!r} has no submissions.")
            )
        reports = bool(deleted or unfinished) and self.reports_dir(name).exists()
        remains = _remove([p for k in kept for p in (k, k.with_name(k.name + ".reason.txt"))])
        remains += _remove([self.reports_dir(name)] if reports else [])
        held_open = self._finish_deletion(entry, bool(deleted or unfinished))
        remains += [self._held_open_text()] if held_open else []
        counts = {"versions": deleted, "rejected": len(kept), "reports": reports}
        return {**counts, "held_open": held_open, "remains": remains}

    def rejected_of(self, name: str, assessment_id: str) -> list[Path]:
        """The session's kept rejected files of one participant (CORRIDOR/CODE), as listed by rejected().

        A reason file's `participant:` line decides; without one, a kept copy whose bytes hold both the corridor id
        and the code is taken to be theirs.
        """
        corridor, _, code = assessment_id.partition("/")
        found = []
        for kept in self.rejected(name):
            try:
                lines = kept.with_name(kept.name + ".reason.txt").read_text(encoding="utf-8", errors="replace")
            except OSError:
                lines = ""
            named = [ln.split(":", 1)[1].strip() for ln in lines.splitlines() if ln.startswith("participant:")]
            if named:
                ours = assessment_id in named
            else:
                try:
                    raw = kept.read_bytes() if kept.is_file() else b""
                except OSError:
                    raw = b""
                ours = bool(corridor and code) and corridor.encode() in raw and code.encode() in raw
            if ours:
                found.append(kept)
        return found

    def unfinished(self, name: str, assessment_id: str | None = None) -> bool:
        """True if an earlier deletion of this session (or participant) could not clear the database files."""
        entry = ["session", name] if assessment_id is None else ["participant", name, assessment_id]
        return entry in self._unfinished()

    def _finish_deletion(self, entry: list[str], deleted: bool) -> bool:
        """Clear deleted text from the database files; note the deletion as unfinished if another process holds it.

        Returns True when the store is held open (the deleted text is still in the database or its log).
        """
        unfinished = self._unfinished()
        pending = not self._clear_log() and (deleted or entry in unfinished)
        if pending:
            keep = unfinished if entry in unfinished else [*unfinished, entry]
        else:  # done; a deleted session also finishes the removals of its participants
            keep = [e for e in unfinished if not (e == entry or (entry[0] == "session" and e[1:2] == entry[1:2]))]
        if keep != unfinished:
            self._write_unfinished(keep)
        return pending

    def _clear_log(self) -> bool:
        """Copy the write-ahead log into the database and empty it; False if another connection holds old pages.

        secure_delete zeroes deleted records in the pages; this makes the zeroed pages replace the old ones in the
        database file and truncates the log. A reader's open transaction keeps both, so wait only briefly for it.
        """
        self.conn.execute(f"PRAGMA busy_timeout = {int(CHECKPOINT_WAIT_S * 1000)}")
        try:
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.OperationalError:  # locked by a writer for longer than the wait
            busy = 1
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return not busy

    def _held_open_text(self) -> str:
        """What remains when another process holds the store open, in plain words."""
        return (
            f"the deleted records are still readable in {self.path} and {self.path.name}-wal, because another "
            f"program has the store open (a notebook kernel, or r2kit in another terminal)"
        )

    def _unfinished(self) -> list[list[str]]:
        """Deletions that another process kept from finishing (read from the data folder)."""
        try:
            entries = json.loads((self.home / UNFINISHED_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [e for e in entries if isinstance(e, list)] if isinstance(entries, list) else []

    def _write_unfinished(self, entries: list[list[str]]) -> None:
        """Save the unfinished deletions, or remove the note when there are none."""
        path = self.home / UNFINISHED_NAME
        if entries:
            _atomic_write(path, json.dumps(entries).encode("utf-8"))
        else:
            path.unlink(missing_ok=True)

    # --- submissions -------------------------------------------------------------------------------------------

    def submit(
        self,
        name: str,
        paths: Iterable[str | os.PathLike],
        replace: bool = False,
        folder: str | os.PathLike | None = None,
    ) -> Iterator[Outcome]:
        """Validate and store each file, one transaction each; yields one Outcome per file as it goes.

        Whatever happens with one file, every other file still gets its verdict. Files are read only if they are
        regular files inside `folder` (default: each file's own folder); see r2kit.intake.
        """
        self.session(name)  # raises for an unknown session before any file is touched
        return (self.submit_file(name, path, replace=replace, folder=folder) for path in paths)

    def submit_file(
        self, name: str, path: str | os.PathLike, replace: bool = False, folder: str | os.PathLike | None = None
    ) -> Outcome:
        """Validate one file and store it (or keep it in rejected/ with its reasons); never raises for the file."""
        path = Path(path)
        if self.conn.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone() is None:
            self.session(name)  # raises, listing the sessions there are
        try:
            return self._submit_file(name, path, replace, folder)
        except R2kitError as err:  # the store stayed busy, or the session was deleted meanwhile
            return Outcome(str(path), "failed", f"not stored: {err}")
        except Exception:
            log = log_unexpected(self.home, f"submitting {path} to session {name!r}")
            message = f"an unexpected error stopped this file; nothing of it was stored (details in {log})"
            return Outcome(str(path), "failed", message)

    def _submit_file(self, name: str, path: Path, replace: bool, folder: str | os.PathLike | None) -> Outcome:
        raw, problems = intake.read_bytes(path, folder)
        doc = None
        if raw is not None:
            doc, problems = parse_bytes(raw, str(path))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            kept, reason = self._keep_rejected(name, path, raw, errors, doc)
            message = (
                f"rejected, kept as {kept}"
                if kept
                else f"rejected; it could not be read, so no copy was kept (reasons in {reason})"
            )
            return Outcome(str(path), "rejected", message, problems=errors, kept_as=kept, reason_file=reason)
        warnings = [p for p in problems if p.severity == "warning"]
        if doc.get("session") not in (None, name):
            warnings.append(
                Problem(
                    str(path), "session", f"the file says session {doc['session']!r}; stored in {name!r}", "warning"
                )
            )
        corridor, code = doc["corridor"]["id"], doc["assessor"]["code"]
        assessment_id = f"{corridor}/{code}"
        digest = content_hash(doc)
        flags = json.dumps([f"{p.where}: {p.message}" for p in warnings], ensure_ascii=False)
        with self._write() as conn:
            current = conn.execute(
                "SELECT version, content_hash, submitted_at FROM submissions "
                "WHERE session = ? AND corridor_id = ? AND assessor_code = ? AND is_current = 1",
                (name, corridor, code),
            ).fetchone()
            if current and current[1] == digest:
                return Outcome(
                    str(path),
                    "unchanged",
                    f"already stored as {assessment_id} version {current[0]}",
                    assessment_id,
                    current[0],
                    warnings,
                )
            if current and not replace:
                return Outcome(
                    str(path),
                    "refused",
                    f"{assessment_id} was already submitted (version {current[0]}, {current[2][:16].replace('T', ' ')}"
                    f" UTC) with different answers; to replace it, submit again with --replace "
                    f"(the earlier version is kept in the history)",
                    assessment_id,
                    current[0],
                    warnings,
                )
            version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions "
                "WHERE session = ? AND corridor_id = ? AND assessor_code = ?",
                (name, corridor, code),
            ).fetchone()[0]
            conn.execute(
                "UPDATE submissions SET is_current = 0 WHERE session = ? AND corridor_id = ? AND assessor_code = ?",
                (name, corridor, code),
            )
            try:
                cursor = conn.execute(
                    "INSERT INTO submissions (session, corridor_id, assessor_code, version, is_current, content_hash, "
                    "document, file_name, flags, submitted_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                    (
                        name,
                        corridor,
                        code,
                        version,
                        digest,
                        json.dumps(doc, ensure_ascii=False),
                        path.name,
                        flags,
                        _now(),
                    ),
                )
            except sqlite3.IntegrityError:
                raise R2kitError(f"Session {name!r} was deleted while {path} was being submitted.") from None
            conn.executemany(
                "INSERT INTO answers (submission_id, item_id, answer, evidence, confidence) VALUES (?, ?, ?, ?, ?)",
                [
                    (cursor.lastrowid, a["item_id"], a["answer"], a.get("evidence"), a.get("confidence"))
                    for a in doc["answers"]
                ],
            )
        status = "replaced" if current else "stored"
        message = f"stored as {assessment_id}" + (
            f" version {version} (replaces version {current[0]})" if current else ""
        )
        return Outcome(str(path), status, message, assessment_id, version, warnings)

    def _keep_rejected(
        self, name: str, path: Path, raw: bytes | None, errors: list[Problem], doc: object = None
    ) -> tuple[Path | None, Path]:
        """Keep the bytes read of a rejected file in rejected/<session>/ with a reason file; return (copy, reasons).

        Only bytes r2kit read itself are kept (never a link's target outside the folder, a pipe or a device), under a
        name made of safe characters. A file that could not be read gets a reason file and no copy.
        """
        folder = make_dirs(self.rejected_dir(name))
        stem, suffix = _safe_name(path.stem).lstrip(".") or "file", _safe_name(path.suffix)
        if path.name.endswith(".reason.txt"):
            stem, suffix = _safe_name(path.name[: -len(".reason.txt")]).lstrip(".") or "file", ".reason.txt.submitted"
        target, n = folder / f"{stem}{suffix}", 1
        while (target.exists() or target.with_name(target.name + ".reason.txt").exists()) and (
            raw is None or not target.is_file() or target.read_bytes() != raw
        ):
            n += 1
            target = folder / f"{stem}-{n}{suffix}"
        if raw is not None and not target.exists():
            _atomic_write(target, raw)
        reasons = [
            f"r2kit could not store {for_terminal(path.name)} in session {name!r} "
            f"({_now()[:16].replace('T', ' ')} UTC)." + ("" if raw is not None else " The file could not be read."),
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''}:",
            *[f"  - {for_terminal(p.where)}: {for_terminal(p.message)}" for p in errors],
            "",
            "Fix the problems above (or save the assessment again from r2kit) and submit the file again.",
        ]
        participant = _participant(doc)
        if participant:
            reasons.append(f"participant: {participant}")
        reason = target.with_name(target.name + ".reason.txt")
        _atomic_write(reason, ("\n".join(reasons) + "\n").encode("utf-8"))
        return (target if raw is not None else None), reason

    # --- reading -----------------------------------------------------------------------------------------------

    def answers(self, name: str) -> pd.DataFrame:
        """The session's current answers as a tidy table (assessment_id, corridor_id, item_id, answer, evidence ...)."""
        self.session(name)
        frame = pd.read_sql_query(
            "SELECT s.corridor_id || '/' || s.assessor_code AS assessment_id, s.corridor_id, a.item_id, a.answer, "
            "a.evidence, a.confidence FROM answers a JOIN submissions s ON s.id = a.submission_id "
            "WHERE s.session = ? AND s.is_current = 1 ORDER BY s.corridor_id, s.assessor_code",
            self.conn,
            params=(name,),
        )
        return frame

    def documents(self, name: str, history: bool = False) -> list[dict]:
        """The session's submissions as stored documents (current versions, or every version with history=True)."""
        self.session(name)
        where = "" if history else " AND is_current = 1"
        rows = self.conn.execute(
            f"SELECT document FROM submissions WHERE session = ?{where} ORDER BY corridor_id, assessor_code, version",
            (name,),
        )
        return [json.loads(r[0]) for r in rows]

    def submissions(self, name: str, history: bool = False) -> pd.DataFrame:
        """One row per submission (current ones, or every version): who, which corridor, version, when, flags."""
        self.session(name)
        where = "" if history else " AND is_current = 1"
        rows = self.conn.execute(
            "SELECT corridor_id, assessor_code, version, is_current, submitted_at, file_name, flags, content_hash, "
            f"document FROM submissions WHERE session = ?{where} ORDER BY corridor_id, assessor_code, version",
            (name,),
        ).fetchall()
        out = []
        for corridor_id, code, version, current, at, file_name, flags, digest, document in rows:
            doc = json.loads(document)
            out.append(
                {
                    "assessment_id": f"{corridor_id}/{code}",
                    "corridor_id": corridor_id,
                    "assessor_code": code,
                    "role": doc["assessor"]["role"],
                    "origin": doc["corridor"]["origin"],
                    "destination": doc["corridor"]["destination"],
                    "region": doc["corridor"].get("region"),
                    "named": bool(doc["assessor"].get("named_in_group_views", False)),
                    "fictional": bool(doc["corridor"].get("fictional", False)),
                    "answers": len(doc["answers"]),
                    "version": version,
                    "current": bool(current),
                    "submitted_at": at,
                    "file_name": file_name,
                    "flags": json.loads(flags),
                    "content_hash": digest,
                }
            )
        columns = [
            "assessment_id", "corridor_id", "assessor_code", "role", "origin", "destination", "region", "named",
            "fictional", "answers", "version", "current", "submitted_at", "file_name", "flags", "content_hash",
        ]  # fmt: skip
        return pd.DataFrame(out, columns=columns).astype({"current": bool, "named": bool, "version": int})

    def participants(self, name: str) -> pd.DataFrame:
        """Metadata of the current submissions, in the shape r2kit.groupviews.participants() makes."""
        from ..groupviews import META_COLUMNS

        return self.submissions(name)[META_COLUMNS]


def _safe_name(text: str, limit: int = 80) -> str:
    """A file-name part made of letters, digits, '.', '-' and '_' only (a participant's file name is untrusted)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:limit]


def _participant(doc: object) -> str | None:
    """'CORRIDOR/CODE' of a (possibly invalid) document when it names both in the expected form, else None."""
    try:
        corridor, code = doc["corridor"]["id"], doc["assessor"]["code"]
    except (KeyError, TypeError):
        return None
    ok = all(isinstance(v, str) and NAME_PATTERN.fullmatch(v) for v in (corridor, code))
    return f"{corridor}/{code}" if ok else None


def _atomic_write(target: Path, data: bytes) -> None:
    """Write bytes to `target` atomically, 0600 (0660 in a group-shared folder)."""
    atomic.write_bytes(target, data, file_mode())


def _remove(paths: Iterable[Path]) -> list[str]:
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
