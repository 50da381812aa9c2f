"""Files from strangers: the one reader every input path uses, and the import that gives every file a verdict.

Each case is one a hostile participant tried on an earlier r2kit: it crashed an import, hung a command, copied
/etc/passwd into the data folder, or accepted a file it should have refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from r2kit import intake
from r2kit.assessment import Assessment, AssessmentError
from r2kit.cli import main
from r2kit.errors import R2kitError
from r2kit.exchange import submitting
from r2kit.exchange.store import Store, check_name
from r2kit.samples import sample_paths
from r2kit.validation import check_dict, read_problems


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail the test (instead of hanging the suite) if the block takes longer than `seconds`."""

    def stop(*_):
        raise TimeoutError(f"still running after {seconds} s: this would hang a facilitator's command")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def sample(name: str = "NOR-ALD_GOV-1.json") -> dict:
    return json.loads(next(p for p in sample_paths() if p.name == name).read_text(encoding="utf-8"))


HOSTILE_TEXT = {
    "deep.json": ('{"x":' * 5000) + "1" + "}" * 5000,
    "bigint.json": '{"format": "r2kit-assessment", "format_version": ' + "9" * 5000 + "}",
    "surrogate.json": json.dumps({**sample(), "context": "a\ud800b"}),
    "duplicate.json": json.dumps(sample())[:-1] + ', "assessor": {"code": "OTHER", "role": "government"}}',
    "nan.json": json.dumps({**sample(), "context": float("nan")}),
    "infinity.json": '{"x": Infinity}',
    "overflow.json": '{"x": 1e999}',
}
EXPECTED = {
    "deep.json": "nested more than 32 levels deep",
    "bigint.json": "a number of 5000 characters",
    "surrogate.json": "not valid Unicode",
    "duplicate.json": "appears twice",
    "nan.json": "holds NaN",
    "infinity.json": "holds Infinity",
    "overflow.json": "holds 1e999",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_malformed_json_gets_one_plain_problem_never_an_exception(tmp_path, name):
    path = tmp_path / name
    path.write_text(HOSTILE_TEXT[name], encoding="utf-8")
    doc, problems = read_problems(path)
    assert doc is None
    assert any(EXPECTED[name] in p.message for p in problems), problems
    assert all(p.file == str(path) and p.severity == "error" for p in problems)


def test_a_duplicate_key_names_the_field_and_its_lines(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{\n "assessor": {"code": "AA"},\n "assessor": {"code": "BB"}\n}', encoding="utf-8")
    (problem,) = read_problems(path)[1]
    assert problem.where == "field 'assessor' (lines 2, 3)" and "keep one" in problem.message


def test_invalid_utf8_says_which_byte(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps({"context": "x"}).encode()[:-2] + b'\xe9"}')
    (problem,) = read_problems(path)[1]
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_a_fifo_is_refused_at_once_not_read(tmp_path):
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with deadline(10):
        doc, problems = read_problems(fifo)
    assert doc is None and "named pipe" in problems[0].message


def test_links_out_of_the_folder_are_refused_unread_and_links_inside_are_followed(tmp_path):
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    (tmp_path / "passwd.json").symlink_to("/etc/passwd")
    real = tmp_path / "real.json"
    real.write_text(json.dumps(sample()), encoding="utf-8")
    (tmp_path / "alias.json").symlink_to(real)
    with deadline(10):
        for name in ("zero.json", "passwd.json"):
            doc, problems = read_problems(tmp_path / name)
            assert doc is None and "outside" in problems[0].message, problems
    doc, problems = read_problems(tmp_path / "alias.json")
    assert doc is not None and not [p for p in problems if p.severity == "error"]


def test_devices_and_folders_are_not_files(tmp_path):
    assert "a device" in intake.read_bytes("/dev/null")[1][0].message
    assert "a folder" in intake.read_bytes(tmp_path)[1][0].message


def test_the_size_is_capped_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (intake.MAX_BYTES + 1))
    raw, problems = intake.read_bytes(path)
    assert raw is None and "at most 2 MB" in problems[0].message


def test_uploads_use_the_same_reader():
    raw = HOSTILE_TEXT["deep.json"].encode()
    with pytest.raises(AssessmentError, match="nested more than"):
        Assessment.from_bytes(raw, "upload.json")
    with pytest.raises(AssessmentError, match="appears twice"):
        Assessment.from_bytes(HOSTILE_TEXT["duplicate.json"].encode(), "upload.json")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["answers"][0].update(answer=2), 'found a number (2); expected text, one of "0", "1"'),
        (lambda d: d.update(assessor=None), "expected a group of fields, found null"),
        (lambda d: d["assessor"].update(code="abc\n"), "is not in the expected form"),
        (lambda d: d["corridor"].update(id="NOR-ALD\n"), "is not in the expected form"),
    ],
)
def test_messages_speak_json_not_python(change, expected):
    doc = sample()
    change(doc)
    messages = [str(p) for p in check_dict(doc, "f.json")]
    assert any(expected in m for m in messages), messages
    assert not any("NoneType" in m or "None" in m.split(":", 2)[-1] for m in messages)


def test_a_whole_json_null_says_null():
    with pytest.raises(AssessmentError, match="found null"):
        Assessment.from_bytes(b"null", "n.json")


def test_session_names_are_checked_as_whole_strings(r2kit_home):
    for bad in ("abc\n", "abc\nrm", "a b", "../x", ".hidden", ""):
        with pytest.raises(R2kitError, match="cannot be a session name"):
            check_name(bad)
    assert check_name("lisbon-2026") == "lisbon-2026"
    result = CliRunner().invoke(main, ["session", "new", "abc\n"])
    assert result.exit_code == 2 and "cannot be a session name" in result.output
    assert not list(r2kit_home.rglob("*\n*"))


# --- the import: one verdict per file --------------------------------------------------------------------------


@pytest.fixture()
def hostile_folder(tmp_path) -> Path:
    """Three good files and every kind of bad file side by side."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = sorted(sample_paths())[:3]
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    for name, text in HOSTILE_TEXT.items():
        (folder / name).write_text(text, encoding="utf-8")
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "passwd.json").symlink_to("/etc/passwd")
    (folder / "esc\x1b[2J.json").write_text('{"broken', encoding="utf-8")
    return folder


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_a_folder_of_good_and_every_kind_of_bad_file_gets_one_line_per_file(hostile_folder, r2kit_home):
    assert run("session", "new", "demo").exit_code == 0
    with deadline(60):
        result = run("session", "import", "demo", hostile_folder)
    out = result.output
    assert result.exit_code == 1
    assert "Traceback" not in out and "\x1b" not in out
    files = sorted(p.name for p in hostile_folder.iterdir())
    verdicts = re.findall(r"^(STORED|REJECTED|FAILED|REFUSED|UNCHANGED|FLAGGED)\s+(\S.*?):", out, re.M)
    assert len(verdicts) == len(files) == 14, out
    assert sum(v == "STORED" for v, _ in verdicts) == 3
    assert (
        "Session demo: 14 files: 3 stored, 11 rejected (8 kept with the reasons, 3 could not be read: reasons only)."
        in out
    )
    assert "esc\\x1b[2J.json" in out  # the file name is shown, its escape sequence made visible
    kept = r2kit_home / "rejected" / "demo"
    names = sorted(p.name for p in kept.iterdir())
    reasons = [n for n in names if n.endswith(".reason.txt")]
    assert len(reasons) == 11
    for unread in ("fifo.json", "zero.json", "passwd.json"):
        assert unread in names or f"{unread}.reason.txt" in names
        assert unread not in names, f"{unread} must not be copied into the data folder"
        assert f"{unread}.reason.txt" in names
    assert not any("root:" in p.read_text(errors="replace") for p in kept.iterdir())
    assert "not kept: it could not be read" in out
    show = run("session", "show", "demo").output
    assert "3 participants" in show and "11 rejected files" in show and "\x1b" not in show
    assert "[could not be read; no copy kept]" in show
    with sqlite3.connect(r2kit_home / "exchange.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 3


def test_validate_never_hangs_or_crashes_on_hostile_files(hostile_folder):
    files = sorted(str(p) for p in hostile_folder.iterdir())
    with deadline(60):
        result = run("validate", *files)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "\x1b" not in result.output
    assert "3 valid, 11 invalid" in result.output
    assert result.output.count("INVALID ") == 11


def test_an_unexpected_error_in_one_file_is_that_files_problem_with_a_log(tmp_path, r2kit_home, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = sorted(sample_paths())[:3]
    for path in paths:
        (folder / path.name).write_bytes(path.read_bytes())
    real = submitting.content_hash

    def flaky(doc):
        if (
            doc["assessor"]["code"] == sample(paths[1].name)["assessor"]["code"]
            and doc["corridor"]["id"] == sample(paths[1].name)["corridor"]["id"]
        ):
            raise RuntimeError("disk on fire")
        return real(doc)

    monkeypatch.setattr(submitting, "content_hash", flaky)
    assert run("session", "new", "demo").exit_code == 0
    result = run("session", "import", "demo", folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2 stored, 1 failed" in result.output
    assert "FAILED" in result.output and "an unexpected error stopped this file" in result.output
    log = r2kit_home / "logs" / "errors.log"
    assert log.exists() and "disk on fire" in log.read_text() and paths[1].name in log.read_text()


def test_an_unexpected_error_anywhere_is_a_plain_line_pointing_to_the_log(r2kit_home, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("unexpected internals")

    monkeypatch.setattr(Store, "sessions", boom)
    result = CliRunner().invoke(main, ["session", "list"])
    assert result.exit_code == 3
    assert "unexpected problem" in result.output and "errors.log" in result.output
    assert "Traceback" not in result.output and "unexpected internals" not in result.output
    assert "unexpected internals" in (r2kit_home / "logs" / "errors.log").read_text()


def test_control_characters_in_stored_text_reach_the_terminal_visible_not_executed(tmp_path, r2kit_home):
    doc = sample()
    doc["answers"][0]["evidence"] = "see \x1b[2J\x1b]0;pwned\x07 and call Ms Okafor"
    doc["context"] = "\u202eevil"
    path = tmp_path / "ctl\x07.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run("session", "new", "demo").exit_code == 0
    outputs = [run("submit", "--session", "demo", path).output]
    outputs += [run("session", "show", "demo").output, run("validate", path).output]
    outputs += [run("session", "groups", "demo").output]
    for out in outputs:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", out), out
    assert "ctl\\x07.json" in outputs[0]
