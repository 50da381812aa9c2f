"""Exports are inert: participants' text never becomes a formula or a control sequence where a facilitator opens it.

The unit tests pin the rules of r2kit.inert; the export tests go through the real CLI and the action-plan export;
the spreadsheet tests open the files in LibreOffice and read back what a person would see in the cells.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from r2kit import actionplan, inert
from r2kit.assessment import Assessment
from r2kit.cli import main
from r2kit.samples import sample_paths

# What a hostile participant types as evidence, one answer each.
HOSTILE = [
    '=HYPERLINK("http://example.org/x","click")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "\x1b[2J\x1b[31mscreen cleared",
    "ring\x07 the bell",
    "evil\u202etxt.exe",
]
HOSTILE_REGION = "=2+2"
HOSTILE_FILE = "\x1b[2J=1+1\x07.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CONTROL = [chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), *range(0x202A, 0x202F)]]


# --- the rules ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\n"])
def test_each_formula_start_gets_a_leading_apostrophe(start):
    assert inert.for_spreadsheet(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","click")', "=cmd|' /C calc'!A0", "@SUM(A1:A9)"])
def test_known_payloads_become_text(payload):
    assert inert.for_spreadsheet(payload) == "'" + payload


def test_a_leading_carriage_return_is_shown_so_nothing_starts_a_formula():
    assert inert.for_spreadsheet("\r=1+1") == "\\x0d=1+1"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2Jcleared", "\\x1b[2Jcleared"),  # ESC
        ("ring\x07", "ring\\x07"),  # BEL
        ("a\rb", "a\\x0db"),  # lone CR
        ("del\x7f", "del\\x7f"),  # DEL
        ("csi\x9b31m", "csi\\x9b31m"),  # C1 control (8-bit CSI)
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # right-to-left override
        ("nul\x00", "nul\\x00"),
        ("bad\ufffe", "bad\\ufffe"),  # not allowed in a workbook's XML
    ],
)
def test_control_characters_are_shown_visibly(raw, shown):
    assert inert.for_spreadsheet(raw) == shown
    assert inert.for_workbook(raw) == shown


def test_line_breaks_and_tabs_inside_text_stay():
    assert inert.for_spreadsheet("first line\nsecond\tcolumn") == "first line\nsecond\tcolumn"
    assert inert.for_spreadsheet("Windows\r\nline break") == "Windows\nline break"


@pytest.mark.parametrize("value", [0, -1, 2.5, -3.75, True, False, None, np.int64(-4), np.float64(-0.5), pd.NA])
def test_numbers_booleans_and_missing_values_are_untouched(value):
    assert inert.for_spreadsheet(value) is value
    assert inert.for_workbook(value) is value


def test_nan_is_untouched():
    assert np.isnan(inert.for_spreadsheet(float("nan")))


@pytest.mark.parametrize(
    "text", ["Ministry of Interior", "pre-return counselling", "re-integration", "a = b + c", "x@example.org", ""]
)
def test_plain_text_and_inner_signs_are_untouched(text):
    assert inert.for_spreadsheet(text) == text
    assert inert.for_workbook(text) == text


def test_workbook_text_keeps_what_was_typed_and_shows_controls():
    assert inert.for_workbook("=1+1") == "=1+1"  # a workbook keeps it text by the cell's type, not an apostrophe
    assert inert.for_workbook("-\x1b") == "-\\x1b"


def test_terminal_text_shows_controls_and_lines_only_when_asked():
    assert inert.for_terminal("\x1b[2J") == "\\x1b[2J"
    assert inert.for_terminal("a\nb") == "a\\nb"
    assert inert.for_terminal("a\nb\x07", lines=True) == "a\nb\\x07"
    assert inert.for_terminal(None) == ""


def test_a_frame_is_made_inert_in_a_copy_and_keeps_its_numbers():
    frame = pd.DataFrame({"=name": ["=1+1", "plain", None], "score": [-1.5, 2.0, np.nan], "ok": [True, False, True]})
    safe = inert.frame_for_spreadsheet(frame)
    assert list(safe.columns) == ["'=name", "score", "ok"]
    assert safe["'=name"].tolist()[:2] == ["'=1+1", "plain"] and safe["'=name"].isna().iloc[2]
    assert safe["score"].dtype == frame["score"].dtype and safe["ok"].dtype == bool
    assert frame.loc[0, "=name"] == "=1+1"  # the caller's frame is left alone
    assert inert.frame_for_workbook(frame)["=name"].tolist()[:2] == ["=1+1", "plain"]


def test_to_csv_writes_no_index_and_passes_options(tmp_path):
    frame = pd.DataFrame({"text": ["@x", "-"], "n": [-1, 2]})
    assert inert.to_csv(frame) == "text,n\n'@x,-1\n'-,2\n"
    inert.to_csv(frame, tmp_path / "f.csv", encoding="utf-8-sig")
    assert (tmp_path / "f.csv").read_bytes() == b"\xef\xbb\xbftext,n\n'@x,-1\n'-,2\n"


def test_keep_text_as_text_types_every_text_cell_as_a_string():
    sheet = openpyxl.Workbook().active
    sheet.append(["=1+1", "plain", 3, "-2"])
    assert sheet["A1"].data_type == "f"  # what openpyxl does on its own
    inert.keep_text_as_text(sheet)
    assert [c.data_type for c in sheet[1]] == ["s", "s", "n", "s"]
    assert sheet["A1"].quotePrefix and sheet["D1"].quotePrefix and not sheet["B1"].quotePrefix


# --- the session exports, through the CLI ---------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def hostile_session(r2kit_home, tmp_path):
    """Session 'demo' with the fictional samples and one hostile file: formulas and controls as evidence."""
    assert run("session", "new", "demo", "--title", "Demo", "--date", "2026-11-20").exit_code == 0
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    for answer, text in zip(doc["answers"], HOSTILE, strict=False):
        answer["evidence"] = text
    doc["corridor"]["region"] = HOSTILE_REGION
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / HOSTILE_FILE).write_text(json.dumps(doc), encoding="utf-8")  # controls as \u001b escapes in JSON
    result = run("submit", "--session", "demo", inbox / HOSTILE_FILE, *sample_paths()[1:])
    stored = [a.get("evidence") for d in _store_docs() for a in d["answers"]]
    assert len(stored) == 78 * len(sample_paths()) and HOSTILE[0] in stored, result.output
    return {a["item_id"]: a["evidence"] for a in doc["answers"][: len(HOSTILE)]}


def _store_docs() -> list[dict]:
    from r2kit.exchange.store import Store

    with Store() as store:
        return store.documents("demo")


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _assert_inert_cells(rows: list[dict]) -> None:
    """No cell starts a formula and no cell holds a control character (line breaks and tabs inside text may)."""
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_START), row
            assert not any(c in value for c in CONTROL), row


def test_session_csv_export_writes_participants_formulas_as_text(hostile_session, tmp_path):
    out = tmp_path / "demo.csv"
    assert run("session", "export", "demo", "--format", "csv", "-o", out).exit_code == 0
    rows = _csv_rows(out.read_text(encoding="utf-8"))
    _assert_inert_cells(rows)
    evidence = {r["item_id"]: r["evidence"] for r in rows if r["assessment_id"] == "EST-BRE/GOV-1"}
    assert evidence["C01.1"] == '\'=HYPERLINK("http://example.org/x","click")'
    assert {evidence[item] for item in hostile_session} >= {"'=1+1", "'+1+1", "'-1+1", "'@SUM(1+1)", "'\t=1+1"}
    assert "\\x1b[2J\\x1b[31mscreen cleared" in evidence.values() and "evil\\u202etxt.exe" in evidence.values()
    assert {r["region"] for r in rows if r["assessment_id"] == "EST-BRE/GOV-1"} == {"'=2+2"}


def test_groups_and_pairs_csv_are_inert(hostile_session):
    groups = run("session", "groups", "demo", "--format", "csv")
    assert groups.exit_code == 0, groups.output
    rows = _csv_rows(groups.output)
    _assert_inert_cells(rows)
    assert "'=2+2" in {r["region"] for r in rows}
    pairs = run("session", "pairs", "demo", "--format", "csv")
    assert pairs.exit_code == 0, pairs.output
    _assert_inert_cells(_csv_rows(pairs.output))


def test_session_xlsx_export_survives_control_characters_and_keeps_text_as_text(hostile_session, tmp_path):
    out = tmp_path / "demo.xlsx"
    result = run("session", "export", "demo", "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    text = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in text if any(ch in t for ch in CONTROL)]
    assert "\\x1b[2J\\x1b[31mscreen cleared" in text and "evil\\u202etxt.exe" in text
    assert "\\x1b[2J=1+1\\x07.json" in text  # the hostile file name, shown
    formula_like = [c for c in cells if c.value in HOSTILE or c.value == HOSTILE_REGION]
    assert {c.value for c in formula_like} >= {'=HYPERLINK("http://example.org/x","click")', "=1+1", "=2+2"}
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like if c.value.startswith(FORMULA_START))


def test_anonymised_xlsx_export_keeps_text_as_text(hostile_session, tmp_path):
    out = tmp_path / "shared.xlsx"
    result = run("session", "export", "demo", "--format", "xlsx", "--anonymised", "-o", out)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    regions = [c for c in cells if c.value == HOSTILE_REGION]
    assert regions and all(c.data_type == "s" and c.quotePrefix for c in regions)
    assert "\\x1b[2J\\x1b[31mscreen cleared" in {c.value for c in cells}


def test_session_report_tables_keep_participants_text_as_text(hostile_session, tmp_path):
    from r2kit.exchange import reporting

    view = reporting.session_view(reporting.load("demo"))
    reporting.save_tables(view, tmp_path / "tables", "Demo")
    groups = _csv_rows((tmp_path / "tables" / "breakout_groups.csv").read_text(encoding="utf-8-sig"))
    _assert_inert_cells(groups)
    assert "'=2+2" in {r["Region"] for r in groups}
    book = openpyxl.load_workbook(tmp_path / "tables" / "session_tables.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value == HOSTILE_REGION)


def test_json_export_stays_byte_faithful(hostile_session, tmp_path):
    out = tmp_path / "demo.json"
    assert run("session", "export", "demo", "--format", "json", "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    (hostile,) = [d for d in doc["submissions"] if (d["corridor"]["id"], d["assessor"]["code"]) == ("EST-BRE", "GOV-1")]
    evidence = {a["item_id"]: a.get("evidence") for a in hostile["answers"]}
    assert {item: evidence[item] for item in hostile_session} == hostile_session  # exactly as typed, controls too


# --- the action plan --------------------------------------------------------------------------------------------


@pytest.fixture()
def hostile_plan() -> pd.DataFrame:
    plan = actionplan.draft(Assessment.load(sample_paths()[0]))
    plan.loc[0, ["next_step", "lead"]] = ['=HYPERLINK("http://example.org/x","click")', "=1+1"]
    plan.loc[1, ["next_step", "lead"]] = ["\x1b[2Jwipe the screen", "@SUM(1+1)"]
    plan.loc[2, ["next_step", "lead"]] = ["-1+1", "Ministry of Interior"]
    return plan


def test_action_plan_export_keeps_typed_text_as_text(hostile_plan, tmp_path):
    csv_path, xlsx_path = actionplan.export(hostile_plan, tmp_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # still UTF-8 with BOM for spreadsheets
    rows = _csv_rows(csv_path.read_text(encoding="utf-8-sig"))
    _assert_inert_cells(rows)
    assert [(r["next_step"], r["lead"]) for r in rows[:3]] == [
        ('\'=HYPERLINK("http://example.org/x","click")', "'=1+1"),
        ("\\x1b[2Jwipe the screen", "'@SUM(1+1)"),
        ("'-1+1", "Ministry of Interior"),
    ]
    sheet = openpyxl.load_workbook(xlsx_path)["Action plan"]
    assert [sheet[f"I{r}"].value for r in (2, 3, 4)] == [
        '=HYPERLINK("http://example.org/x","click")',
        "\\x1b[2Jwipe the screen",
        "-1+1",
    ]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["I2"].quotePrefix and sheet["J2"].quotePrefix and sheet["J2"].value == "=1+1"


# --- in a real spreadsheet: LibreOffice -----------------------------------------------------------------------------


def _soffice() -> str:
    """The LibreOffice command, or skip (fail when R2KIT_REQUIRE_SPREADSHEET=1, as in CI)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("R2KIT_REQUIRE_SPREADSHEET") == "1":
        pytest.fail("LibreOffice (soffice) is not installed but R2KIT_REQUIRE_SPREADSHEET=1: install libreoffice-calc")
    pytest.skip("LibreOffice (soffice) is not installed: install libreoffice-calc to run the spreadsheet tests")


def open_in_libreoffice(path: Path, work: Path, sheet: str | None = None) -> list[dict]:
    """The cells LibreOffice shows for a CSV or XLSX file (one sheet), read back through its own CSV export.

    The CSV is opened as UTF-8, comma-separated, with LibreOffice's default of evaluating formulas.
    """
    soffice = _soffice()
    out = work / "libreoffice-out"
    options = "44,34,76,1,,0,false,true,false,false,false,-1"  # comma, quote, UTF-8, from line 1; every sheet
    command = [soffice, f"-env:UserInstallation={(work / 'libreoffice-profile').as_uri()}", "--headless"]
    if path.suffix == ".csv":
        command.append("--infilter=CSV:44,34,76,1")
    command += ["--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    written = sorted(out.glob(f"{path.stem}*.csv")) if out.exists() else []
    assert written, f"LibreOffice wrote no file:\n{done.stdout}\n{done.stderr}"
    shown = out / f"{path.stem}-{sheet}.csv" if len(written) > 1 else written[0]  # a CSV file has one sheet
    return _csv_rows(shown.read_text(encoding="utf-8"))


def _assert_shown_as_typed(shown: dict, typed: dict, prefix: str) -> None:
    """Each formula-like text is shown as the literal text (with `prefix`), never as a computed value or link."""
    assert shown["C01.1"] == prefix + '=HYPERLINK("http://example.org/x","click")'  # not "click"
    assert shown["C01.2"] == prefix + "=cmd|' /C calc'!A0"  # not an error from a DDE call
    assert shown["C01.3"] == prefix + "=1+1" and shown["C01.3"] != "2"
    for item, text in typed.items():
        expected = inert.for_spreadsheet(text) if prefix else inert.for_workbook(text)
        assert shown[item] == expected, item


@pytest.mark.spreadsheet
def test_libreoffice_shows_session_csv_formulas_as_text(hostile_session, tmp_path):
    out = tmp_path / "demo.csv"
    assert run("session", "export", "demo", "--format", "csv", "-o", out).exit_code == 0
    rows = open_in_libreoffice(out, tmp_path)
    shown = {r["item_id"]: r["evidence"] for r in rows if r["assessment_id"] == "EST-BRE/GOV-1"}
    _assert_shown_as_typed(shown, hostile_session, prefix="'")
    assert len(rows) == len(_store_docs()) * 78  # every answer, one row each


@pytest.mark.spreadsheet
def test_libreoffice_shows_session_xlsx_formulas_as_text(hostile_session, tmp_path):
    out = tmp_path / "demo.xlsx"
    result = run("session", "export", "demo", "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    rows = open_in_libreoffice(out, tmp_path, sheet="Answers")
    shown = {r["Item"]: r["Evidence"] for r in rows if r["Participant"] == "EST-BRE/GOV-1"}
    _assert_shown_as_typed(shown, hostile_session, prefix="")
    participants = open_in_libreoffice(out, tmp_path, sheet="Participants")
    assert "\\x1b[2J=1+1\\x07.json" in {r["File name"] for r in participants}
    assert "=2+2" in {r["Region"] for r in participants}
    assert {r["Current version"] for r in participants} == {"TRUE"}  # a real boolean, not 1


@pytest.mark.spreadsheet
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_libreoffice_shows_action_plan_text_as_typed(hostile_plan, tmp_path, suffix):
    paths = dict(zip(["csv", "xlsx"], actionplan.export(hostile_plan, tmp_path / "plan"), strict=True))
    rows = open_in_libreoffice(paths[suffix], tmp_path, sheet="Action plan")
    prefix = "'" if suffix == "csv" else ""
    assert rows[0]["next_step"] == prefix + '=HYPERLINK("http://example.org/x","click")'
    assert rows[0]["lead"] == prefix + "=1+1" and rows[0]["lead"] != "2"
    assert rows[1]["next_step"] == "\\x1b[2Jwipe the screen" and rows[1]["lead"] == prefix + "@SUM(1+1)"
    assert rows[2]["next_step"] == prefix + "-1+1" and rows[2]["lead"] == "Ministry of Interior"
