"""Submitting files to a session: a valid file is stored as a new version, an invalid one kept aside with its reasons.

Each file is read through r2kit.intake, validated, and stored in one transaction, or refused when the participant
already submitted different answers (unless replace=True). Invalid files are never stored in the database: the bytes
r2kit read are kept in `<home>/rejected/<session>/` beside a `<file>.reason.txt` listing every problem.

The functions take a Store; `Store.submit_file` and `Store.rejected_of` call them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic, intake
from ..errors import R2kitError, log_unexpected
from ..inert import for_terminal
from ..validation import Problem, parse_bytes
from .folders import file_mode, make_dirs
from .names import NAME_PATTERN, now


def content_hash(doc: object) -> str:
    """SHA-256 of an assessment's content (key order and spacing do not matter)."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def submit_file(
    store, name: str, path: str | os.PathLike, replace: bool = False, folder: str | os.PathLike | None = None
) -> Outcome:
    """Validate one file and store it (or keep it in rejected/ with its reasons); never raises for the file."""
    path = Path(path)
    if store.conn.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone() is None:
        store.session(name)  # raises, listing the sessions there are
    try:
        return _submit_file(store, name, path, replace, folder)
    except R2kitError as err:  # the store stayed busy, or the session was deleted meanwhile
        return Outcome(str(path), "failed", f"not stored: {err}")
    except Exception:
        log = log_unexpected(store.home, f"submitting {path} to session {name!r}")
        message = f"an unexpected error stopped this file; nothing of it was stored (details in {log})"
        return Outcome(str(path), "failed", message)


def _submit_file(store, name: str, path: Path, replace: bool, folder: str | os.PathLike | None) -> Outcome:
    raw, problems = intake.read_bytes(path, folder)
    doc = None
    if raw is not None:
        doc, problems = parse_bytes(raw, str(path))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        kept, reason = keep_rejected(store, name, path, raw, errors, doc)
        message = (
            f"rejected, kept as {kept}"
            if kept
            else f"rejected; it could not be read, so no copy was kept (reasons in {reason})"
        )
        return Outcome(str(path), "rejected", message, problems=errors, kept_as=kept, reason_file=reason)
    warnings = [p for p in problems if p.severity == "warning"]
    if doc.get("session") not in (None, name):
        warnings.append(
            Problem(str(path), "session", f"the file says session {doc['session']!r}; stored in {name!r}", "warning")
        )
    corridor, code = doc["corridor"]["id"], doc["assessor"]["code"]
    assessment_id = f"{corridor}/{code}"
    digest = content_hash(doc)
    flags = json.dumps([f"{p.where}: {p.message}" for p in warnings], ensure_ascii=False)
    with store._write() as conn:
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
                (name, corridor, code, version, digest, json.dumps(doc, ensure_ascii=False), path.name, flags, now()),
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
    message = f"stored as {assessment_id}" + (f" version {version} (replaces version {current[0]})" if current else "")
    return Outcome(str(path), status, message, assessment_id, version, warnings)


def keep_rejected(
    store, name: str, path: Path, raw: bytes | None, errors: list[Problem], doc: object = None
) -> tuple[Path | None, Path]:
    """Keep the bytes read of a rejected file in rejected/<session>/ with a reason file; return (copy, reasons).

    Only bytes r2kit read itself are kept (never a link's target outside the folder, a pipe or a device), under a
    name made of safe characters. A file that could not be read gets a reason file and no copy.
    """
    folder = make_dirs(store.rejected_dir(name))
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
        atomic.write_bytes(target, raw, file_mode())
    reasons = [
        f"r2kit could not store {for_terminal(path.name)} in session {name!r} "
        f"({now()[:16].replace('T', ' ')} UTC)." + ("" if raw is not None else " The file could not be read."),
        f"{len(errors)} problem{'s' if len(errors) != 1 else ''}:",
        *[f"  - {for_terminal(p.where)}: {for_terminal(p.message)}" for p in errors],
        "",
        "Fix the problems above (or save the assessment again from r2kit) and submit the file again.",
    ]
    participant = _participant(doc)
    if participant:
        reasons.append(f"participant: {participant}")
    reason = target.with_name(target.name + ".reason.txt")
    atomic.write_bytes(reason, ("\n".join(reasons) + "\n").encode("utf-8"), file_mode())
    return (target if raw is not None else None), reason


def rejected_of(store, name: str, assessment_id: str) -> list[Path]:
    """The session's kept rejected files of one participant (CORRIDOR/CODE), as listed by Store.rejected().

    A reason file's `participant:` line decides; without one, a kept copy whose bytes hold both the corridor id
    and the code is taken to be theirs.
    """
    corridor, _, code = assessment_id.partition("/")
    found = []
    for kept in store.rejected(name):
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
