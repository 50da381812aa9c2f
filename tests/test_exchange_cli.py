"""The facilitator's commands: session new/list/show/import/export/delete, submit, views, pairs, groups, review."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import r2kit
from r2kit.cli import main
from r2kit.exchange.store import Store
from r2kit.samples import sample_paths


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture()
def folder(tmp_path):
    """A folder of participants' files as a facilitator receives them: good ones, bad ones and a stray note."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in sample_paths():
        shutil.copy(path, folder / path.name)
    (folder / "empty.json").write_text("", encoding="utf-8")
    (folder / "broken.json").write_text('{"format": "r2kit-assessment",', encoding="utf-8")
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    doc["answers"][0]["item_id"] = "C6.1"
    (folder / "typo.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "notes.txt").write_text("not an assessment", encoding="utf-8")
    return folder


@pytest.fixture()
def session(r2kit_home):
    result = run("session", "new", "demo", "--title", "Demo exchange", "--date", "2026-11-20", "--focus", "COVID-19")
    assert result.exit_code == 0, result.output
    return "demo"


def test_help_lists_the_exchange_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("session", "submit", "report"):
        assert command in result.output
    result = run("session", "--help")
    for command in ("new", "list", "show", "import", "export", "delete", "pairs", "groups", "report"):
        assert command in result.output


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; from r2kit.cli import main\n"
        "try: main(['session', '--help'])\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('papermill', 'nbconvert', 'altair', 'jsonschema') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_new_list_and_show_a_session(session, r2kit_home):
    result = run("session", "list")
    assert result.exit_code == 0 and "demo" in result.output and "Demo exchange" in result.output
    result = run("session", "show", "demo")
    assert "Demo exchange" in result.output and "held on 2026-11-20" in result.output and "COVID-19" in result.output
    assert "0 participants" in result.output


def test_unknown_session_gets_a_plain_message_not_a_traceback(session):
    result = run("session", "show", "nope")
    assert result.exit_code == 2
    assert "Unknown session 'nope'" in result.output and "demo" in result.output
    assert "Traceback" not in result.output


def test_importing_a_folder_of_good_and_bad_files(session, folder, r2kit_home):
    result = run("session", "import", "demo", folder)
    assert result.exit_code == 1, result.output  # some files were not stored
    out = result.output
    assert "Skipping 1 file not matching *.json: notes.txt" in out
    assert "REJECTED" in out and "empty.json" in out and "is empty" in out
    assert "broken.json" in out and "is not valid JSON" in out
    assert "typo.json" in out and "item C6.1 (answer 1)" in out and "did you mean C06.1?" in out
    assert "11 stored" in out and "3 rejected" in out
    kept = r2kit_home / "rejected" / "demo"
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        [
            "empty.json",
            "empty.json.reason.txt",
            "broken.json",
            "broken.json.reason.txt",
            "typo.json",
            "typo.json.reason.txt",
        ]
    )
    again = run("session", "import", "demo", folder)
    assert "11 unchanged (already stored)" in again.output
    show = run("session", "show", "demo").output
    assert "11 participants" in show and "3 rejected files" in show and "did you mean C06.1?" in show


def test_a_clean_folder_imports_with_exit_code_0(session, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    for path in sample_paths()[:3]:
        shutil.copy(path, clean)
    result = run("session", "import", "demo", clean)
    assert result.exit_code == 0, result.output
    assert "3 stored" in result.output and "STORED" in result.output


def test_resubmission_needs_replace_and_keeps_the_history(session, tmp_path):
    path = tmp_path / "mine.json"
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run("submit", "--session", "demo", path).exit_code == 0
    doc["answers"][0]["answer"] = "dk"
    path.write_text(json.dumps(doc), encoding="utf-8")
    refused = run("submit", "--session", "demo", path)
    assert refused.exit_code == 1 and "REFUSED" in refused.output and "--replace" in refused.output
    replaced = run("submit", "--session", "demo", "--replace", path)
    assert replaced.exit_code == 0 and "1 replaced" in replaced.output
    history = run("session", "show", "demo", "--history").output
    assert history.count("EST-BRE/GOV-1") == 2 and "current" in history


def test_personal_data_in_free_text_is_flagged_at_import(session, tmp_path):
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    doc["answers"][0]["evidence"] = "Call Ms Okafor on +234 803 555 0199"
    path = tmp_path / "pd.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("submit", "--session", "demo", path)
    assert result.exit_code == 0 and "FLAGGED" in result.output and "a phone number" in result.output
    assert "a phone number" in run("session", "show", "demo").output


def test_delete_asks_for_confirmation_and_removes_everything_of_the_session(session, folder, r2kit_home):
    run("session", "new", "keep")
    run("session", "import", "demo", folder)
    run("submit", "--session", "keep", sample_paths()[0])
    no = run("session", "delete", "demo", input="n\n")
    assert no.exit_code == 0 and "Nothing deleted" in no.output and "11 participants" in no.output
    assert "demo" in run("session", "list").output
    yes = run("session", "delete", "demo", input="y\n")
    assert yes.exit_code == 0 and "Deleted session 'demo'" in yes.output
    assert not (r2kit_home / "rejected" / "demo").exists()
    with Store() as store:
        assert store.session_names() == ["keep"]
        assert store.conn.execute("SELECT COUNT(*) FROM submissions WHERE session = 'demo'").fetchone()[0] == 0
        assert store.session("keep")["submissions"] == 1


MARKER = "ZZ-CLI-HELD-OPEN-2207"


def _traces(home) -> list[str]:
    """Files under the data folder whose bytes hold the marker."""
    return sorted(str(p) for p in home.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes())


def _held_open(home):
    """A second connection in a read transaction, as an open notebook would hold it."""
    import sqlite3

    reader = sqlite3.connect(home / "exchange.sqlite3", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT evidence FROM answers").fetchall()
    return reader


def _marked_file(tmp_path, name="marked.json", item="C1.1"):
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    doc["answers"][0]["evidence"] = MARKER
    doc["answers"][1]["item_id"] = item
    (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    return tmp_path / name, f"{doc['corridor']['id']}/{doc['assessor']['code']}"


def _database_bytes(home) -> bytes:
    return b"".join((home / n).read_bytes() for n in ("exchange.sqlite3", "exchange.sqlite3-wal"))


def test_delete_says_when_another_program_holds_the_store_and_the_same_command_finishes(session, r2kit_home, tmp_path):
    path, _ = _marked_file(tmp_path, item=json.loads(sample_paths()[0].read_text())["answers"][1]["item_id"])
    assert run("submit", "--session", "demo", path).exit_code == 0
    reader = _held_open(r2kit_home)
    result = run("session", "delete", "demo", "--yes")
    assert result.exit_code == 1, result.output
    assert "Deleted session 'demo'" in result.output and "NOT FINISHED" in result.output
    assert "another program has the store open" in result.output
    assert "r2kit session delete demo --yes" in result.output and "Kernel > Shut Down" in result.output
    assert MARKER.encode() in _database_bytes(r2kit_home)
    reader.close()
    again = run("session", "delete", "demo", "--yes")
    assert again.exit_code == 0, again.output
    assert "Deleted what remained of session 'demo'" in again.output and "Nothing of it remains" in again.output
    assert _traces(r2kit_home) == []
    gone = run("session", "delete", "demo", "--yes")
    assert gone.exit_code != 0 and "Unknown session 'demo'" in gone.output  # now there is nothing left to finish


def test_remove_says_when_another_program_holds_the_store_and_the_same_command_finishes(session, r2kit_home, tmp_path):
    good, participant = _marked_file(tmp_path, item=json.loads(sample_paths()[0].read_text())["answers"][1]["item_id"])
    bad, _ = _marked_file(tmp_path, "bad.json", item="C6.1")
    assert run("submit", "--session", "demo", good, sample_paths()[1]).exit_code == 0
    assert run("submit", "--session", "demo", bad).exit_code == 1  # rejected, kept with its reasons
    reports = r2kit_home / "reports" / "demo"
    reports.mkdir(parents=True)
    (reports / "session_report.html").write_text(f"<p>{MARKER}</p>", encoding="utf-8")
    assert len(_traces(r2kit_home)) >= 3
    reader = _held_open(r2kit_home)
    result = run("session", "remove", "demo", participant, "--yes")
    assert result.exit_code == 1, result.output
    assert f"Deleted {participant}" in result.output and "1 rejected file" in result.output
    assert "reports" in result.output and "run them again" in result.output
    assert "NOT FINISHED" in result.output and f"r2kit session remove demo {participant} --yes" in result.output
    assert MARKER.encode() in _database_bytes(r2kit_home) and not reports.exists()
    reader.close()
    again = run("session", "remove", "demo", participant, "--yes")
    assert again.exit_code == 0, again.output
    assert f"Deleted what remained of {participant}" in again.output and "Nothing of" in again.output
    assert _traces(r2kit_home) == []
    assert "1 participant " in run("session", "show", "demo").output


def test_remove_one_participant(session):
    run("submit", "--session", "demo", *sample_paths()[:2])
    result = run("session", "remove", "demo", "EST-BRE/GOV-1", "--yes")
    assert result.exit_code == 0 and "Deleted EST-BRE/GOV-1" in result.output
    assert "1 participant " in run("session", "show", "demo").output


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_writes_every_answer(session, tmp_path, fmt):
    run("submit", "--session", "demo", *sample_paths()[:2])
    out = tmp_path / f"demo.{fmt}"
    result = run("session", "export", "demo", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        import pandas as pd

        table = pd.read_csv(out)
        assert len(table) == 2 * 78 and {"assessment_id", "item_id", "answer", "evidence"} <= set(table.columns)
    elif fmt == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["session"]["name"] == "demo" and len(doc["submissions"]) == 2
        assert "label_salt" not in doc["session"]
    else:
        from openpyxl import load_workbook

        book = load_workbook(out)
        assert book.sheetnames == ["About", "Participants", "Answers", "Theme scores"]
        assert book["Answers"].max_row == 2 * 78 + 1


def test_formula_like_evidence_stays_text_in_excel(session, tmp_path):
    from openpyxl import load_workbook

    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    doc["answers"][0]["evidence"] = '=HYPERLINK("http://example.org")'
    (tmp_path / "f.json").write_text(json.dumps(doc), encoding="utf-8")
    run("submit", "--session", "demo", tmp_path / "f.json")
    run("session", "export", "demo", "--format", "xlsx", "-o", tmp_path / "x.xlsx")
    cells = [c for row in load_workbook(tmp_path / "x.xlsx")["Answers"].iter_rows() for c in row]
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


def test_views_pairs_groups_and_review(session):
    run("submit", "--session", "demo", *sample_paths())
    views = run("session", "views", "demo")
    assert views.exit_code == 0 and "Scores per theme" in views.output and "C08.1" in views.output
    assert "NOR-ALD" not in views.output  # group views never name corridors
    pairs = run("session", "pairs", "demo", "--top", "2")
    assert pairs.exit_code == 0 and "can learn from" in pairs.output and "NOR-ALD/CSO-2" in pairs.output
    anonymous = run("session", "pairs", "demo", "--anonymised")
    assert "peer " in anonymous.output and "NOR-ALD" not in anonymous.output
    groups = run("session", "groups", "demo", "--size", "4")
    assert groups.exit_code == 0 and "Group 3:" in groups.output and "Group 4:" not in groups.output
    csv = run("session", "groups", "demo", "--size", "4", "--format", "csv", "--anonymised")
    assert csv.output.startswith("group,assessment_id,region") and "NOR-ALD" not in csv.output
    review = run("session", "review", "demo")
    assert review.exit_code == 0 and "TAL-HAL/UNCT-2" in review.output


# --- for people: one row per participant, percentages, a workbook that explains itself ------------------------------


def _rows(output: str) -> list[str]:
    """The rows of a wrapped table: lines that start a row (two spaces, then a name), without the heading."""
    return [line for line in output.splitlines()[1:] if re.match(r"^  \S", line) and "participant" not in line]


def test_pairs_table_has_one_row_per_participant_with_peers_and_themes_in_words(session):
    run("submit", "--session", "demo", *sample_paths())
    result = run("session", "pairs", "demo")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert len(rows) == 11  # one per participant (it was one block per learner, a line per match)
    assert sorted(r.split()[0] for r in rows) == sorted(p.stem.replace("_", "/") for p in sample_paths())
    assert "Assisted voluntary return upholding" in result.output  # themes in words, not numbers
    anonymous = run("session", "pairs", "demo", "--anonymised")
    assert [r.split()[:2] for r in _rows(anonymous.output)][:2] == [["peer", "A"], ["peer", "B"]]


def test_pairs_csv_stays_tidy_one_row_per_match(session):
    import csv as csv_module
    import io

    run("submit", "--session", "demo", *sample_paths())
    result = run("session", "pairs", "demo", "--format", "csv", "--top", "2")
    rows = list(csv_module.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:3] == ["learner", "rank", "peer"]
    assert {r["rank"] for r in rows} == {"1", "2"} and len(rows) > 11


def test_agreement_is_a_percentage_in_the_cli_and_the_report(session):
    from r2kit.exchange import reporting

    run("submit", "--session", "demo", *sample_paths())
    cli = run("session", "review", "demo").output
    view = reporting.session_view(reporting.load("demo"))
    report = reporting.table(view.reviews, {"agreement": "Agreement", "kappa": "Weighted kappa"}).data
    for row in view.reviews.itertuples():
        agreement, kappa = f"{row.agreement:.0%}", f"{row.kappa:.2f}"
        assert agreement in cli and f"<td>{agreement}</td>" in report
        assert kappa in cli and f"<td>{kappa}</td>" in report
    assert not re.search(r"\b0\.\d\d?\s+0\.\d\d\b", cli)  # no agreement left as a fraction beside kappa


def test_export_goes_into_the_sessions_folder_by_default_and_says_where(session, r2kit_home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("submit", "--session", "demo", *sample_paths()[:2])
    result = run("session", "export", "demo", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    expected = (r2kit_home / "reports" / "demo" / "exports" / "demo.xlsx").resolve()
    assert expected.is_file() and f"Wrote {expected}" in result.output
    assert "deleting the session deletes it too" in result.output
    assert not list(tmp_path.glob("demo.*"))  # nothing in the current folder
    mine = tmp_path / "out" / "for-me.xlsx"
    chosen = run("session", "export", "demo", "--format", "xlsx", "--output", mine)
    assert mine.is_file() and f"Wrote {mine.resolve()}" in chosen.output and "does not delete it" in chosen.output
    assert run("session", "delete", "demo", "--yes").exit_code == 0
    assert not expected.exists() and mine.exists()


def test_xlsx_export_is_a_workbook_for_people(session, tmp_path):
    from openpyxl import load_workbook

    run("submit", "--session", "demo", *sample_paths())
    out = tmp_path / "demo.xlsx"
    assert run("session", "export", "demo", "--format", "xlsx", "-o", out).exit_code == 0
    book = load_workbook(out)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row and row[0]}
    assert about["Session"] == "demo" and about["r2kit version"] == r2kit.__version__
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", about["Exported on"])
    assert "submitted to this session" in about["Where the data came from"]
    assert "peer A" in about["Participants named?"] and "keep it safe" in about["Participants named?"]
    explained = {(r[0], r[1]) for r in book["About"].iter_rows(values_only=True) if r[0] in book.sheetnames}
    for sheet in book.sheetnames[1:]:
        headings = [c.value for c in book[sheet][1]]
        assert all((sheet, h) in explained for h in headings), sheet  # every column is explained
        assert book[sheet].freeze_panes == "A2" and all(c.font.bold for c in book[sheet][1])
        assert not any(h and "_" in h for h in headings), headings  # readable headings, not field names
    answers = book["Answers"]
    headings = [c.value for c in answers[1]]
    assert headings[:3] == ["Participant", "Corridor", "Region"] and "Evidence" in headings
    widths = {h: answers.column_dimensions[c.column_letter].width for h, c in zip(headings, answers[1], strict=True)}
    assert widths["Question"] >= 50 and widths["Evidence"] >= 50 and widths["Item"] < 15
    current = answers.cell(2, headings.index("Current version") + 1)
    assert current.value is True and current.data_type == "b"  # a real boolean, not 1
    named = book["Participants"].cell(2, [c.value for c in book["Participants"][1]].index("Named in group views") + 1)
    assert named.value is False and named.data_type == "b"
    submitted = answers.cell(2, headings.index("Submitted (UTC)") + 1)
    assert submitted.is_date


def test_anonymised_xlsx_names_nobody_who_did_not_opt_in(session, tmp_path):
    from openpyxl import load_workbook

    run("submit", "--session", "demo", *sample_paths())
    out = tmp_path / "shared.xlsx"
    result = run("session", "export", "demo", "--format", "xlsx", "--anonymised", "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row and row[0]}
    assert about["Participants named?"].startswith("Anonymised")
    for sheet in book.sheetnames[1:]:
        text = " ".join(str(v) for row in book[sheet].iter_rows(values_only=True) for v in row if v is not None)
        for corridor in ("NOR-ALD", "EST-BRE", "Norvania", ".json"):
            assert corridor not in text, (sheet, corridor)
    labels = [r[0] for r in book["Participants"].iter_rows(min_row=2, values_only=True)]
    assert labels == sorted(labels, key=lambda s: (len(s), s)) and labels[0] == "peer A"
    table = run("session", "export", "demo", "--format", "csv", "--anonymised", "-o", tmp_path / "shared.csv")
    assert table.exit_code == 0, table.output
    import pandas as pd

    shared = pd.read_csv(tmp_path / "shared.csv")
    assert shared.columns[0] == "participant" and shared["participant"].iloc[0] == "peer A"
    assert not {"assessment_id", "corridor_id", "origin", "destination", "assessor_code"} & set(shared.columns)
    refused = run("session", "export", "demo", "--format", "json", "--anonymised", "-o", tmp_path / "x.json")
    assert refused.exit_code != 0 and "cannot be anonymised" in refused.output
