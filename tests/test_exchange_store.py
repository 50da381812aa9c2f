"""The exchange store: sessions, submissions, rejections, versions, concurrency, crashes and deletion."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from r2kit.errors import R2kitError
from r2kit.exchange import deletion
from r2kit.exchange import store as store_module
from r2kit.exchange.benchmark import synthetic_documents, write_files
from r2kit.exchange.store import SCHEMA_VERSION, Store, content_hash
from r2kit.samples import sample_paths


@pytest.fixture()
def store(r2kit_home):
    with Store() as s:
        s.create_session("demo", "Demo exchange", "2026-11-20", "COVID-19")
        yield s


def sample_doc(name: str = "NOR-ALD_GOV-1.json") -> dict:
    return json.loads(next(p for p in sample_paths() if p.name == name).read_text(encoding="utf-8"))


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def test_r2kit_home_chooses_the_data_folder_and_the_store_is_sqlite_with_a_schema_version(r2kit_home):
    with Store() as s:
        assert s.path == r2kit_home / "exchange.sqlite3"
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sqlite3.connect(r2kit_home / "exchange.sqlite3").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_default_data_folder_is_per_user_when_r2kit_home_is_unset(monkeypatch, tmp_path):
    monkeypatch.delenv("R2KIT_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert store_module.home() == tmp_path / "r2kit"
    assert store_module.home().name == "r2kit"


def test_a_store_from_a_newer_r2kit_is_refused_with_a_clear_message(r2kit_home):
    Store().close()
    sqlite3.connect(r2kit_home / "exchange.sqlite3").execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(R2kitError, match="newer r2kit"):
        Store()


def test_sessions_are_created_listed_and_described(store):
    store.create_session("second")
    assert store.session_names() == ["demo", "second"]
    info = store.session("demo")
    assert (info["title"], info["held_on"], info["focus"], info["submissions"]) == (
        "Demo exchange",
        "2026-11-20",
        "COVID-19",
        0,
    )
    with pytest.raises(R2kitError, match="already exists"):
        store.create_session("demo")
    with pytest.raises(R2kitError, match="cannot be a session name"):
        store.create_session("my session")
    with pytest.raises(R2kitError, match="YYYY-MM-DD"):
        store.create_session("third", held_on="20 Nov")
    with pytest.raises(R2kitError, match="Unknown session 'nope'.*demo"):
        store.session("nope")


def test_valid_files_are_stored_and_the_same_file_twice_is_stored_once(store):
    outcomes = list(store.submit("demo", sample_paths()))
    assert [o.status for o in outcomes] == ["stored"] * len(sample_paths())
    again = list(store.submit("demo", sample_paths()[:3]))
    assert [o.status for o in again] == ["unchanged"] * 3
    assert store.session("demo")["submissions"] == len(sample_paths())
    answers = store.answers("demo")
    assert len(answers) == 78 * len(sample_paths())
    assert set(answers.columns) >= {"assessment_id", "corridor_id", "item_id", "answer", "evidence"}


def test_same_content_with_other_spacing_counts_as_the_same_file(store, tmp_path):
    doc = sample_doc()
    store.submit_file("demo", write(tmp_path / "a.json", doc))
    (tmp_path / "b.json").write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    assert store.submit_file("demo", tmp_path / "b.json").status == "unchanged"
    assert content_hash(doc) == content_hash(json.loads(json.dumps(doc, sort_keys=True)))


def test_a_resubmission_with_other_answers_is_refused_unless_replace_and_history_is_kept(store, tmp_path):
    doc = sample_doc()
    assert store.submit_file("demo", write(tmp_path / "v1.json", doc)).status == "stored"
    doc["answers"][0]["answer"] = "3" if doc["answers"][0]["answer"] != "3" else "0"
    refused = store.submit_file("demo", write(tmp_path / "v2.json", doc))
    assert refused.status == "refused"
    assert "NOR-ALD/GOV-1 was already submitted" in refused.message and "--replace" in refused.message
    replaced = store.submit_file("demo", tmp_path / "v2.json", replace=True)
    assert (replaced.status, replaced.version) == ("replaced", 2)
    history = store.submissions("demo", history=True)
    assert history["version"].tolist() == [1, 2] and history["current"].tolist() == [False, True]
    assert store.session("demo")["submissions"] == 1
    current = store.answers("demo")
    assert (
        current.loc[current["item_id"] == doc["answers"][0]["item_id"], "answer"].item() == doc["answers"][0]["answer"]
    )


BAD_FILES = {
    "malformed.json": (b'{"format": "r2kit-assessment", oops', "is not valid JSON"),
    "empty.json": (b"", "is empty"),
    "latin1.json": ('{"context": "Gar\u00e7on"}'.encode("latin-1"), "is not UTF-8"),
    "newer.json": (b'{"format": "r2kit-assessment", "format_version": 2}', "newer than this r2kit reads"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_rejected_with_a_clear_reason_and_kept(store, tmp_path, name):
    raw, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(raw)
    outcome = store.submit_file("demo", path)
    assert outcome.status == "rejected"
    assert reason in " ".join(p.message for p in outcome.problems)
    kept = store.home / "rejected" / "demo" / name
    assert outcome.kept_as == kept and kept.read_bytes() == raw
    reason_text = kept.with_name(name + ".reason.txt").read_text(encoding="utf-8")
    assert reason in reason_text and name in reason_text
    assert store.rejected("demo") == [kept]
    assert store.session("demo")["submissions"] == 0


def test_a_file_over_the_size_cap_is_refused_unread_and_not_copied_into_the_data_folder(store, tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"a": "' + b"x" * 2_100_000 + b'"}')
    outcome = store.submit_file("demo", path)
    assert outcome.status == "rejected" and outcome.kept_as is None
    assert "2.1 MB; an assessment is at most 2 MB" in outcome.problems[0].message
    assert "could not be read, so no copy was kept" in outcome.message
    folder = store.home / "rejected" / "demo"
    assert [p.name for p in folder.iterdir()] == ["huge.json.reason.txt"]
    assert "2.1 MB" in (folder / "huge.json.reason.txt").read_text(encoding="utf-8")


def test_fields_outside_the_format_are_refused_and_every_problem_is_listed(store, tmp_path):
    doc = sample_doc()
    doc["assessor"]["email"] = "someone@example.org"
    doc["participant_name"] = "A Person"
    doc["answers"][3]["item_id"] = "C99.9"
    outcome = store.submit_file("demo", write(tmp_path / "extra.json", doc))
    assert outcome.status == "rejected"
    text = "\n".join(str(p) for p in outcome.problems)
    assert "'email' does not belong" in text and "'participant_name' does not belong" in text
    assert "item C99.9 (answer 4)" in text
    assert store.session("demo")["submissions"] == 0


def test_two_different_bad_files_with_the_same_name_are_both_kept(store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.json").write_bytes(b"{")
    (tmp_path / "b" / "x.json").write_bytes(b"")
    store.submit_file("demo", tmp_path / "a" / "x.json")
    store.submit_file("demo", tmp_path / "b" / "x.json")
    store.submit_file("demo", tmp_path / "a" / "x.json")  # the same bad file again is kept once
    assert [p.name for p in store.rejected("demo")] == ["x-2.json", "x.json"]


def test_text_that_looks_like_personal_data_is_flagged_at_import(store, tmp_path):
    doc = sample_doc()
    doc["answers"][0]["evidence"] = "Ask Mr Smith, +44 20 7946 0958 or smith@example.org"
    outcome = store.submit_file("demo", write(tmp_path / "pd.json", doc))
    assert outcome.status == "stored"
    kinds = " ".join(p.message for p in outcome.problems)
    assert "an email address" in kinds and "a phone number" in kinds and "a person's name" in kinds
    flags = store.submissions("demo")["flags"].item()
    assert any("email address" in f for f in flags)


def test_an_unknown_session_is_refused_before_any_file_is_read(r2kit_home, tmp_path):
    with Store() as s, pytest.raises(R2kitError, match="no sessions yet"):
        s.submit("nope", [tmp_path / "missing.json"])


def _submitter(files: list[str], barrier, results) -> None:
    barrier.wait()
    with Store() as s:
        results.put([s.submit_file("demo", f).status for f in files])


def test_twenty_processes_submitting_at_once_lose_nothing_and_duplicate_nothing(store, tmp_path):
    paths = [str(p) for p in write_files(tmp_path / "files", synthetic_documents(100, seed=5))]
    store.close()
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    barrier, results = ctx.Barrier(20), ctx.Queue()
    jobs = [[paths[(p * 5 + k) % 100] for k in range(10)] for p in range(20)]  # every file sent by two processes
    procs = [ctx.Process(target=_submitter, args=(files, barrier, results)) for files in jobs]
    for proc in procs:
        proc.start()
    statuses = [s for _ in procs for s in results.get(timeout=120)]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    assert sorted(set(statuses)) == ["stored", "unchanged"]
    assert statuses.count("stored") == 100 and statuses.count("unchanged") == 100
    with Store() as s:
        subs = s.submissions("demo", history=True)
        assert len(subs) == 100 and subs["assessment_id"].is_unique and subs["version"].eq(1).all()
        assert len(s.answers("demo")) == 100 * 78


def _opener(barrier, results) -> None:
    barrier.wait()
    try:
        with Store() as s:
            results.put(s.conn.execute("PRAGMA user_version").fetchone()[0])
    except R2kitError as err:
        results.put(str(err))


def test_many_processes_opening_a_new_store_at_once_all_succeed(r2kit_home):
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    barrier, results = ctx.Barrier(12), ctx.Queue()
    procs = [ctx.Process(target=_opener, args=(barrier, results)) for _ in range(12)]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert outcomes == [SCHEMA_VERSION] * 12


def _consistency(db: Path) -> tuple[int, set[int]]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = conn.execute(
        "SELECT s.id, COUNT(a.item_id) FROM submissions s LEFT JOIN answers a ON a.submission_id = s.id GROUP BY s.id"
    ).fetchall()
    conn.close()
    return len(counts), {n for _, n in counts}


def test_a_killed_import_leaves_a_consistent_store_and_running_it_again_completes(store, tmp_path):
    folder = tmp_path / "files"
    write_files(folder, synthetic_documents(600, seed=9))
    db = store.path
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from r2kit.cli import main; main()", "session", "import", "demo", str(folder)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as conn:
            if conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] >= 30:
                break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored, answer_counts = _consistency(db)
    assert 30 <= stored < 600, "the import should have been killed part-way"
    assert answer_counts == {78}  # every stored submission is whole
    with Store() as s:
        outcomes = list(s.submit("demo", sorted(folder.glob("*.json"))))
        assert {o.status for o in outcomes} == {"stored", "unchanged"}
        assert sum(o.status == "unchanged" for o in outcomes) == stored
        assert s.session("demo")["submissions"] == 600
    assert _consistency(db) == (600, {78})


def test_deleting_a_session_removes_everything_of_it_and_no_trace_stays_in_the_database(store, tmp_path):
    store.create_session("other")
    doc = sample_doc()
    doc["answers"][0]["evidence"] = "ZZ-DISTINCTIVE-EVIDENCE-4711"
    store.submit_file("demo", write(tmp_path / "a.json", doc))
    doc["answers"][1]["answer"] = "dk"
    store.submit_file("demo", write(tmp_path / "b.json", doc), replace=True)
    store.submit_file("other", sample_paths()[0])
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    store.submit_file("demo", tmp_path / "bad.json")
    store.reports_dir("demo").mkdir(parents=True)
    (store.reports_dir("demo") / "session_report.html").write_text("<html></html>", encoding="utf-8")

    done = store.delete_session("demo")
    assert done == {
        **{"found": True, "versions": 2, "participants": 1, "rejected": 1},
        **{"reports": True, "held_open": False, "remains": []},
    }
    assert store.session_names() == ["other"]
    assert not store.rejected_dir("demo").exists() and not store.reports_dir("demo").exists()
    assert store.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 78  # only the other session's
    store.close()
    for path in store.home.glob("exchange.sqlite3*"):
        assert b"ZZ-DISTINCTIVE-EVIDENCE-4711" not in path.read_bytes(), path.name


def test_one_participant_can_be_removed_with_every_version(store, tmp_path):
    list(store.submit("demo", sample_paths()[:2]))
    removed = store.remove_participant("demo", "EST-BRE/GOV-1")
    assert removed == {"versions": 1, "rejected": 0, "reports": False, "held_open": False, "remains": []}
    assert store.submissions("demo")["assessment_id"].tolist() == ["KAL-COR/GOV-1"]
    with pytest.raises(R2kitError, match="Unknown participant"):
        store.remove_participant("demo", "EST-BRE/GOV-1")


# --- deletion while another process holds the store open ---------------------------------------------------------

MARKER = "ZZ-HELD-OPEN-EVIDENCE-5813"


def _traces(home: Path, marker: str = MARKER) -> list[str]:
    """Every file under the data folder whose bytes hold the marker."""
    return sorted(
        str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()
    )


def _database_bytes(store: Store) -> bytes:
    return b"".join((store.home / n).read_bytes() for n in ("exchange.sqlite3", "exchange.sqlite3-wal"))


def _reader(store: Store) -> sqlite3.Connection:
    """A second connection in the middle of a read transaction, as an open notebook's query would be."""
    reader = sqlite3.connect(store.path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM answers").fetchone()[0] > 0
    return reader


def _marked(tmp_path: Path, name: str = "marked.json", code: str = "GOV-1") -> Path:
    doc = sample_doc()
    doc["assessor"]["code"] = code
    doc["answers"][0]["evidence"] = MARKER
    return write(tmp_path / name, doc)


def test_deleting_a_session_that_another_connection_reads_says_so_and_running_it_again_finishes(store, tmp_path):
    store.submit_file("demo", _marked(tmp_path))
    (tmp_path / "bad.json").write_text('{"evidence": "' + MARKER + '"', encoding="utf-8")
    store.submit_file("demo", tmp_path / "bad.json")
    reader = _reader(store)
    started = time.monotonic()
    done = store.delete_session("demo")
    assert time.monotonic() - started < 10, "a deletion must not wait a minute for a reader"
    assert done["found"] and done["held_open"]
    assert any("another program has the store open" in line for line in done["remains"])
    assert MARKER.encode() in _database_bytes(store)  # honest: the text is still there
    assert store.unfinished("demo") and store.session_names() == []
    assert not store.rejected_dir("demo").exists()  # the files went at once
    reader.close()

    again = store.delete_session("demo")  # the rows are gone: this run only finishes the job
    assert (again["found"], again["held_open"], again["remains"]) == (False, False, [])
    assert _traces(store.home) == []
    assert not store.unfinished("demo") and not (store.home / deletion.UNFINISHED_NAME).exists()


def _rejected_copy(store: Store, name: str, content: str, participant: str | None = None) -> Path:
    """A kept rejected file with its reason file, as submitting.keep_rejected writes them."""
    kept = store.rejected_dir("demo") / name
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(content, encoding="utf-8")
    reason = "r2kit could not store it.\n1 problem:\n  - file: broken\n"
    kept.with_name(name + ".reason.txt").write_text(
        reason + (f"participant: {participant}\n" if participant else ""), encoding="utf-8"
    )
    return kept


def test_a_participants_rejected_copies_are_found_by_the_reason_line_or_else_by_their_bytes(store):
    _rejected_copy(store, "named.json", "{ no ids here", "NOR-ALD/GOV-1")
    _rejected_copy(store, "bytes.json", '{"corridor": {"id": "NOR-ALD"}, "assessor": {"code": "GOV-1"')
    _rejected_copy(store, "someone-else.json", '{"NOR-ALD" "GOV-1" in the evidence}', "NOR-ALD/GOV-2")
    _rejected_copy(store, "other-corridor.json", '{"corridor": {"id": "EST-BRE"}, "code": "GOV-1"')
    found = [p.name for p in store.rejected_of("demo", "NOR-ALD/GOV-1")]
    assert found == ["bytes.json", "named.json"]


def test_removing_a_participant_that_another_connection_reads_says_so_and_running_it_again_finishes(store, tmp_path):
    store.submit_file("demo", _marked(tmp_path))
    store.submit_file("demo", sample_paths()[0])  # another participant, who stays
    bad = sample_doc()
    bad["answers"][1]["evidence"] = MARKER
    bad["answers"][0]["item_id"] = "C6.1"
    store.submit_file("demo", write(tmp_path / "bad.json", bad))  # rejected, and it names NOR-ALD/GOV-1
    _rejected_copy(
        store, "old-format.json", '{"corridor": {"id": "NOR-ALD"}, "assessor": {"code": "GOV-1"}, "' + MARKER
    )
    theirs = _rejected_copy(store, "someone-else.json", "{ broken", "NOR-ALD/GOV-2")
    store.reports_dir("demo").mkdir(parents=True, exist_ok=True)
    (store.reports_dir("demo") / "session_report.html").write_text(f"<p>{MARKER}</p>", encoding="utf-8")
    assert {"rejected/demo/bad.json", "rejected/demo/old-format.json", "reports/demo/session_report.html"} <= set(
        _traces(store.home)
    )
    reader = _reader(store)
    done = store.remove_participant("demo", "NOR-ALD/GOV-1")
    assert (done["versions"], done["rejected"], done["reports"], done["held_open"]) == (1, 2, True, True)
    assert MARKER.encode() in _database_bytes(store)
    assert not store.reports_dir("demo").exists() and theirs.exists()
    assert store.unfinished("demo", "NOR-ALD/GOV-1")
    reader.close()

    again = store.remove_participant("demo", "NOR-ALD/GOV-1")  # no rows left: it finishes the job
    assert (again["versions"], again["held_open"], again["remains"]) == (0, False, [])
    assert _traces(store.home) == []
    assert theirs.exists() and len(store.submissions("demo")) == 1
    with pytest.raises(R2kitError, match="Unknown participant"):  # now there is nothing left to finish
        store.remove_participant("demo", "NOR-ALD/GOV-1")


# --- private data folders ----------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _everything(home: Path) -> dict[str, int]:
    return {str(p.relative_to(home)): _mode(p) for p in [home, *home.rglob("*")]}


@pytest.mark.skipif(sys.platform == "win32", reason="Unix modes")
@pytest.mark.parametrize("shared", [False, True])
def test_everything_the_store_creates_is_private_or_group_shared(tmp_path, monkeypatch, shared):
    monkeypatch.setenv("R2KIT_HOME", str(tmp_path / "new" / "r2kit"))
    if shared:
        monkeypatch.setenv("R2KIT_SHARED_GROUP", "1")
    else:
        monkeypatch.delenv("R2KIT_SHARED_GROUP", raising=False)
    old = os.umask(0o022)  # the usual umask, which would make folders 0755 and files 0644
    try:
        with Store() as s:
            s.create_session("demo")
            s.submit_file("demo", sample_paths()[0])
            (tmp_path / "bad.json").write_text("{", encoding="utf-8")
            assert s.submit_file("demo", tmp_path / "bad.json").status == "rejected"
            deletion.write_unfinished(s, [["session", "x"]])
            modes = _everything(s.home)
            assert s.warnings == []
    finally:
        os.umask(old)
    folder, file = (0o2770, 0o660) if shared else (0o700, 0o600)
    assert {k for k in modes} >= {".", "exchange.sqlite3", "exchange.sqlite3-wal", "exchange.sqlite3-shm",
                                 "rejected", "rejected/demo", "rejected/demo/bad.json",
                                 "rejected/demo/bad.json.reason.txt", "unfinished-deletions.json"}  # fmt: skip
    for name, mode in modes.items():
        is_dir = (s.home / name).is_dir()
        assert mode == (folder if is_dir else file), f"{name}: {mode:04o}"
    assert _mode(tmp_path / "new") == folder  # a missing parent is created the same way


@pytest.mark.skipif(sys.platform == "win32", reason="Unix modes")
def test_an_existing_data_folder_is_not_changed_but_a_readable_one_gets_a_warning(tmp_path, monkeypatch):
    monkeypatch.delenv("R2KIT_SHARED_GROUP", raising=False)
    open_folder, closed_folder = tmp_path / "open", tmp_path / "closed"
    open_folder.mkdir(mode=0o755)
    open_folder.chmod(0o755)
    closed_folder.mkdir()
    closed_folder.chmod(0o700)
    with Store(open_folder) as s:
        assert len(s.warnings) == 1 and "can be read by other users" in s.warnings[0]
        assert f"chmod 700 {open_folder}" in s.warnings[0]
    assert _mode(open_folder) == 0o755  # the user's choice is left alone
    assert _mode(open_folder / "exchange.sqlite3") == 0o600  # but what r2kit creates in it is private
    with Store(closed_folder) as s:
        assert s.warnings == []
