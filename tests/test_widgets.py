"""The participant's side: widgets driven as a participant would (choose, press), and the notebook helpers."""

from __future__ import annotations

import datetime

import openpyxl
import pandas as pd
import pytest

import r2kit
from r2kit import actionplan, explore, notebook, selfcheck, widgets
from r2kit.samples import sample_paths


def sample():
    return r2kit.Assessment.load(sample_paths()[0])


def test_answering_in_the_form_updates_the_assessment_and_the_live_summary():
    a = sample()
    form = widgets.checklist_form(a).form
    before = form.summary.value
    tabs = form.widget.children[1]
    accordion = tabs.children[0]
    accordion.selected_index = 0  # opening theme 1 builds its questions
    first_item = "C01.1"
    new = "0" if a.answers[first_item]["answer"] != "0" else "3"
    form.buttons[first_item].value = new
    assert a.answers[first_item]["answer"] == new
    assert form.summary.value != before and "Overall score" in form.summary.value


def test_a_bad_code_in_the_start_panel_shows_a_message_not_a_traceback():
    work = widgets.Workspace(sample(), sample_id=sample_paths()[0].stem)
    panel = work.widget
    code_box = panel.children[2].children[0]
    start = panel.children[5].children[1]
    code_box.value = "my name with spaces"
    start.click()
    assert "not in the expected form" in work.message.value and "Traceback" not in work.message.value
    code_box.value = "TEAM-7"
    start.click()
    assert work.assessment.assessor["code"] == "TEAM-7" and "Working on" in work.message.value


def test_starting_another_corridor_rebuilds_attached_views():
    work = widgets.Workspace(sample(), sample_id=sample_paths()[0].stem)
    box = work.attach(lambda a: widgets.w.HTML(a.corridor["id"]))
    pick = work.widget.children[1]
    pick.value = sample_paths()[2].stem
    work.widget.children[5].children[1].click()
    assert box.children[0].value == r2kit.Assessment.load(sample_paths()[2]).corridor["id"]


def test_blank_corridor_from_the_panel():
    work = widgets.Workspace(sample(), allow_blank=True)
    panel = work.widget
    panel.children[1].value = "blank"
    dest, orig = panel.children[4].children[0].children
    dest.value, orig.value = "Country A", "Country B"
    panel.children[4].children[1].value = "AAA-BBB"
    panel.children[2].children[0].value = "TEAM-9"
    panel.children[5].children[1].click()
    assert work.assessment.corridor == {"id": "AAA-BBB", "origin": "Country B", "destination": "Country A"}
    assert work.assessment.answers == {}


def test_running_the_notebook_again_keeps_the_answers(monkeypatch):
    monkeypatch.setattr(notebook, "_display", lambda obj: None)
    notebook._WORKSPACES.clear()
    first = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1")
    first.assessment.set_answer("C01.1", "3")
    again = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1")
    assert again is first and again.assessment.answers["C01.1"]["answer"] == "3"


def test_unknown_sample_corridor_lists_the_known_ones(monkeypatch):
    monkeypatch.setattr(notebook, "_display", lambda obj: None)
    with pytest.raises(r2kit.R2kitError, match="no sample corridor 'XYZ'.*NOR-ALD"):
        notebook.start_assessment("XYZ")


def test_action_plan_exports_csv_and_excel(tmp_path):
    plan = actionplan.draft(sample())
    assert len(plan) >= 1 and (plan["practices"] != "").all()
    plan.loc[0, ["next_step", "lead", "timeline"]] = ["Draft an SOP", "Ministry of Interior", "within 6 months"]
    csv_path, xlsx_path = actionplan.export(plan, tmp_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets open UTF-8 cleanly
    assert pd.read_csv(csv_path, encoding="utf-8-sig").loc[0, "next_step"] == "Draft an SOP"
    sheet = openpyxl.load_workbook(xlsx_path)["Action plan"]
    assert sheet["I2"].value == "Draft an SOP"
    plan.loc[0, "lead"] = "Mr. Jones, jones@example.org"
    assert any("email" in w for w in actionplan.check(plan))


def test_selfcheck_marks_answers():
    result = selfcheck.check({"Q1": 1, "Q2": 0})
    assert result["correct"].tolist()[:2] == [True, False]
    with pytest.raises(r2kit.UnknownNameError):
        selfcheck.check({"Q99": 0})
    assert widgets.selfcheck() is not None


def test_cards_escape_text_and_cite_sources():
    card = explore.theme_card(6)
    assert "Canada" in card and "Source: Mapping" in card
    practice = explore.practice_card("P12")
    assert "61%" in practice and "<script" not in practice
    assert "CP02" in explore.principle_card("CP02")
    assert set(explore.themes_without_practice()["theme_id"]) == {1, 11, 13, 19} - {
        t for ids in r2kit.load("practices")["theme_ids"] for t in ids
    }


def test_covid_guidance_covers_every_point():
    table = notebook.covid_guidance(sample())
    assert set(table["guidance"]) == {f"CV0{i}" for i in range(1, 8)}
    assert table["item_id"].notna().all()


def test_in_a_notebook_r2kit_errors_show_a_message_but_still_fail_the_cell(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("import r2kit.notebook as nb\nnb.setup()")
    result = shell.run_cell("nb.start_assessment('XYZ')")
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, r2kit.R2kitError)  # papermill and nbval still see the failure
    assert "Traceback" not in out
    shell.set_custom_exc((), None)


def test_peer_review_picker_compares_an_uploaded_file():
    stems = [p.stem for p in sample_paths()]
    picker = widgets.peer_review_picker(stems[0], stems[1], stems)
    (a_pick, b_pick), (upload, status), result = (
        picker.children[0].children,
        picker.children[1].children,
        picker.children[2],
    )
    mine = sample().with_assessor("TEAM-7")
    mine.set_answer("C01.1", "3")
    raw = mine.to_json().encode()
    upload.value = (
        {
            "name": "team7.json",
            "type": "application/json",
            "size": len(raw),
            "content": memoryview(raw),
            "last_modified": datetime.datetime(2026, 11, 22),
        },
    )
    assert "Added team7.json" in status.value
    a_pick.value, b_pick.value = stems[0], "team7.json"
    assert "Same answer on" in result.value and "C01.1" in result.value
    upload.value = (
        {
            "name": "bad.json",
            "type": "application/json",
            "size": 5,
            "content": memoryview(b"{bad"),
            "last_modified": datetime.datetime(2026, 11, 22),
        },
    )
    assert "not valid JSON" in status.value and "Traceback" not in status.value


def test_tables_for_people_show_blanks_not_na(monkeypatch):
    shown = []
    monkeypatch.setattr(notebook, "_display", shown.append)
    notebook.table(notebook.find_practices(theme=4), "practices")
    html = shown[0].data
    assert "NA&gt;" not in html and "<NA>" not in html and "nan" not in html
    assert "Netherlands" in html and "discontinued" in html
