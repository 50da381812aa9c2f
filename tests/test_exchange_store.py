"""The exchange store: sessions, submissions, rejections, versions, concurrency, crashes and deletion."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from r2kit.errors import R2kitError
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
    "huge.json": (b'{"a": "' + b"x" * 2_100_000 + b'"}', "MB; an assessment is at most"),
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
    assert done == {"found": True, "versions": 2, "participants": 1, "rejected": 1}
    assert store.session_names() == ["other"]
    assert not store.rejected_dir("demo").exists() and not store.reports_dir("demo").exists()
    assert store.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 78  # only the other session's
    store.close()
    for path in store.home.glob("exchange.sqlite3*"):
        assert b"ZZ-DISTINCTIVE-EVIDENCE-4711" not in path.read_bytes(), path.name


def test_one_participant_can_be_removed_with_every_version(store, tmp_path):
    list(store.submit("demo", sample_paths()[:2]))
    removed = store.remove_participant("demo", "EST-BRE/GOV-1")
    assert removed == 1
    assert store.submissions("demo")["assessment_id"].tolist() == ["KAL-COR/GOV-1"]
    with pytest.raises(R2kitError, match="Unknown participant"):
        store.remove_participant("demo", "EST-BRE/GOV-1")
