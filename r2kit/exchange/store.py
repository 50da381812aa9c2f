"""The exchange store: sessions and their submissions in one SQLite file in the data folder (R2KIT_HOME).

One file, `<home>/exchange.sqlite3`, in WAL mode with a busy timeout, so that many processes (participants'
kernels on one JupyterHub) can submit at once. Every write is one `BEGIN IMMEDIATE` transaction: a file is stored
whole or not at all, even if the process is killed. The schema version is kept in `PRAGMA user_version`.

This module holds the connection, the schema, the sessions and reading what is stored. Submitting files (and keeping
rejected ones beside their reasons) is in r2kit.exchange.submitting, deleting a session or a participant in
r2kit.exchange.deletion; the Store methods below call them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..errors import R2kitError, unknown
from . import deletion, submitting
from .folders import create_file, exposure, make_dirs
from .names import NAME_PATTERN, check_name, now
from .submitting import Outcome, content_hash

__all__ = ["SCHEMA_VERSION", "NAME_PATTERN", "Outcome", "Store", "check_name", "content_hash", "default_home", "home"]

SCHEMA_VERSION = 1
DB_NAME = "exchange.sqlite3"
BUSY_TIMEOUT_S = 60.0

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
                (name, title or name, held_on, focus, secrets.token_hex(16), now()),
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

    def rejected_of(self, name: str, assessment_id: str) -> list[Path]:
        """The session's kept rejected files of one participant (CORRIDOR/CODE); see submitting.rejected_of."""
        return submitting.rejected_of(self, name, assessment_id)

    # --- deletion (r2kit.exchange.deletion) --------------------------------------------------------------------

    def delete_session(self, name: str) -> dict:
        """Delete everything of a session: its submissions, every version, rejected files and reports.

        Returns what was deleted, `held_open` (another process kept the deleted text in the database files) and
        `remains` (plain descriptions of what is left); running it again once that process closed finishes the job.
        """
        return deletion.delete_session(self, name)

    def remove_participant(self, name: str, assessment_id: str) -> dict:
        """Delete one participant (corridor/code) from a session: every version, their rejected files, the reports.

        The session's reports show every participant, so they are deleted (to be run again). Returns `versions`,
        `rejected`, `reports` (a reports folder was deleted), `held_open` and `remains`, as delete_session does.
        """
        return deletion.remove_participant(self, name, assessment_id)

    def unfinished(self, name: str, assessment_id: str | None = None) -> bool:
        """True if an earlier deletion of this session (or participant) could not clear the database files."""
        return deletion.is_unfinished(self, name, assessment_id)

    # --- submitting (r2kit.exchange.submitting) ---------------------------------------------------------------

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
        return submitting.submit_file(self, name, path, replace, folder)

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
