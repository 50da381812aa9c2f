"""The participant's side: widgets driven as a participant would (choose, press), and the notebook helpers."""

from __future__ import annotations

import datetime
import html

import ipywidgets as w
import openpyxl
import pandas as pd
import pytest

import r2kit
from r2kit import actionplan, analysis, checklist, explore, notebook, selfcheck, widgets
from r2kit.samples import sample_paths


def sample():
    return r2kit.Assessment.load(sample_paths()[0])


# --- finding controls as a participant does: by kind and label, never by position --------------------------------


def controls(root: w.Widget, kind: type = w.Widget) -> list:
    """Every widget of type `kind` in `root` (itself included), in reading order."""
    found = [root] if isinstance(root, kind) else []
    for child in getattr(root, "children", ()):
        found += controls(child, kind)
    return found


def find(root: w.Widget, kind: type = w.Widget, css: str | None = None, **label):
    """The one widget of type `kind` in `root` with these labels (description=, tooltip=, placeholder=) or CSS class."""
    hits = [
        c
        for c in controls(root, kind)
        if all(getattr(c, k, None) == v for k, v in label.items()) and (css is None or css in c._dom_classes)
    ]
    assert len(hits) == 1, f"{len(hits)} {kind.__name__} widgets with {label or css} (expected one)"
    return hits[0]


def shown(root: w.Widget) -> str:
    """The HTML a participant sees in `root`: every HTML widget not hidden, in reading order."""
    if root.layout.display == "none":
        return ""
    if isinstance(root, w.HTML):
        return root.value
    return "\n".join(text for child in getattr(root, "children", ()) if (text := shown(child)))


def is_shown(root: w.Widget, target: w.Widget) -> bool:
    """Whether `target` in `root` is displayed: neither it nor a box around it is hidden."""
    if root.layout.display == "none":
        return False
    return root is target or any(is_shown(child, target) for child in getattr(root, "children", ()))


def open_theme(form: w.Widget, theme_id: int) -> None:
    """Click a theme's heading in the checklist (its questions are built when it opens)."""
    for accordion in controls(form, w.Accordion):
        for n, title in enumerate(accordion.titles):
            if title.startswith(f"{theme_id}. "):
                accordion.selected_index = n
                return
    raise AssertionError(f"no theme {theme_id} in the form")


def answer_buttons(form: w.Widget, item_id: str) -> w.ToggleButtons:
    question = checklist.items().set_index("item_id").loc[item_id, "question"]
    return find(form, w.ToggleButtons, tooltip=f"{item_id} {question}")


# --- the checklist form ------------------------------------------------------------------------------------------


def test_answering_in_the_form_updates_the_assessment_and_the_live_summary():
    a = sample()
    form = widgets.checklist_form(a)
    summary = find(form, w.HTML, css="r2kit-live-summary")
    open_theme(form, 1)
    before = summary.value
    new = "3 In place and applied in practice" if a.answers["C01.1"]["answer"] != "3" else "0 Not in place"
    answer_buttons(form, "C01.1").label = new
    assert a.answers["C01.1"]["answer"] == new[0]
    score = analysis.overall(a.answers_frame())["score"].iloc[0]
    assert summary.value != before and f"Overall score {score:.0f} of 100" in summary.value


def test_evidence_typed_in_the_form_is_kept_with_the_answer():
    a = sample()
    form = widgets.checklist_form(a)
    open_theme(form, 6)
    find(form, w.Textarea, tooltip="Evidence for C06.1").value = "Decree of 2019 on alternatives to detention"
    assert a.answers["C06.1"]["evidence"] == "Decree of 2019 on alternatives to detention"


def test_save_my_assessment_writes_a_file_that_loads_with_the_same_answers(tmp_path):
    a = sample()
    form = widgets.checklist_form(a)
    find(form, w.Text, description="Save as").value = str(tmp_path / "mine.json")
    find(form, w.Button, description="Save my assessment").click()
    assert r2kit.Assessment.load(tmp_path / "mine.json").answers == a.answers
    assert "Hand this file to your facilitator" in shown(form) and "Traceback" not in shown(form)


# --- the start panel ---------------------------------------------------------------------------------------------


def test_a_bad_code_in_the_start_panel_shows_a_message_not_a_traceback():
    work = widgets.Workspace(sample(), sample_id=sample_paths()[0].stem)
    panel = work.widget
    code_box = find(panel, w.Text, description="Your code")
    start = find(panel, w.Button, description="Start")
    code_box.value = "my name with spaces"
    start.click()
    assert "not in the expected form" in shown(panel) and "Traceback" not in shown(panel)
    code_box.value = "TEAM-7"
    start.click()
    assert work.assessment.assessor["code"] == "TEAM-7" and "Working on" in shown(panel)


def test_starting_another_corridor_rebuilds_attached_views():
    work = widgets.Workspace(sample(), sample_id=sample_paths()[0].stem)
    box = work.attach(lambda a: w.HTML(a.corridor["id"]))
    assert shown(box) == "EST-BRE"
    find(work.widget, w.Dropdown, description="Corridor").value = sample_paths()[2].stem
    find(work.widget, w.Button, description="Start").click()
    assert shown(box) == r2kit.Assessment.load(sample_paths()[2]).corridor["id"] == "MER-DUN"


def test_blank_corridor_from_the_panel():
    work = widgets.Workspace(sample(), allow_blank=True)
    panel = work.widget
    destination = find(panel, w.Text, description="Destination")
    find(panel, w.Dropdown, description="Corridor").label = "Blank corridor: my own"
    destination.value = "Country A"
    find(panel, w.Text, description="Origin").value = "Country B"
    find(panel, w.Text, description="Corridor code").value = "AAA-BBB"
    find(panel, w.Text, description="Your code").value = "TEAM-9"
    find(panel, w.Button, description="Start").click()
    assert work.assessment.corridor == {"id": "AAA-BBB", "origin": "Country B", "destination": "Country A"}
    assert work.assessment.answers == {}


def test_the_blank_corridor_fields_show_only_for_a_blank_corridor():
    panel = widgets.Workspace(sample(), sample_id=sample_paths()[0].stem).widget
    destination = find(panel, w.Text, description="Destination")
    assert not is_shown(panel, destination)
    find(panel, w.Dropdown, description="Corridor").label = "Blank corridor: my own"
    assert is_shown(panel, destination)


def test_running_the_notebook_again_keeps_the_answers(monkeypatch):
    monkeypatch.setattr(notebook.output, "render", lambda obj: None)
    notebook._WORKSPACES.clear()
    first = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1")
    first.assessment.set_answer("C01.1", "3")
    again = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1")
    assert again is first and again.assessment.answers["C01.1"]["answer"] == "3"


def test_unknown_sample_corridor_lists_the_known_ones(monkeypatch):
    monkeypatch.setattr(notebook.output, "render", lambda obj: None)
    with pytest.raises(r2kit.R2kitError, match="no sample corridor 'XYZ'.*NOR-ALD"):
        notebook.start_assessment("XYZ")


def test_action_plan_exports_csv_and_excel(tmp_path):
    plan = actionplan.draft(sample())
    assert len(plan) >= 1 and plan["practices"].fillna("").ne("").all()
    plan.loc[0, ["next_step", "lead", "timeline"]] = ["Draft an SOP", "Ministry of Interior", "within 6 months"]
    csv_path, xlsx_path = actionplan.export(plan, tmp_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets open UTF-8 cleanly
    assert pd.read_csv(csv_path, encoding="utf-8-sig").loc[0, "next_step"] == "Draft an SOP"
    sheet = openpyxl.load_workbook(xlsx_path)["Action plan"]
    assert sheet["I2"].value == "Draft an SOP"
    plan.loc[0, "lead"] = "Mr. Jones, jones@example.org"
    assert any("email" in warning for warning in actionplan.check(plan))


def test_the_action_plan_widget_exports_what_was_typed(tmp_path):
    a = sample()
    theme = int(actionplan.draft(a).loc[0, "theme_id"])
    box = widgets.action_plan(a, output_dir=tmp_path)
    find(box, w.Textarea, tooltip=f"Next step for theme {theme}").value = "Draft an SOP"
    find(box, w.Text, tooltip=f"Who leads on theme {theme}").value = "Ministry of Interior"
    find(box, w.Button, description="Export CSV and Excel").click()
    assert "Exported" in shown(box) and "Traceback" not in shown(box)
    row = pd.read_csv(tmp_path / f"action_plan_{a.corridor['id']}.csv", encoding="utf-8-sig").iloc[0]
    assert (row["theme_id"], row["next_step"], row["lead"], row["timeline"]) == (
        theme,
        "Draft an SOP",
        "Ministry of Interior",
        "within 6 months",
    )


def test_selfcheck_marks_answers():
    result = selfcheck.check({"Q1": 1, "Q2": 0})
    assert result["correct"].tolist()[:2] == [True, False]
    with pytest.raises(r2kit.UnknownNameError):
        selfcheck.check({"Q99": 0})


def test_the_selfcheck_quiz_shows_its_questions_and_marks_a_right_answer_right():
    quiz = widgets.selfcheck()
    questions = selfcheck.QUESTIONS
    for q in questions:
        assert html.escape(q["question"]) in shown(quiz)
        assert find(quiz, w.RadioButtons, tooltip=q["question"]).options == tuple(
            (option, n) for n, option in enumerate(q["options"])
        )
    right, wrong = questions[0], questions[1]
    find(quiz, w.RadioButtons, tooltip=right["question"]).label = right["options"][right["correct"]]
    find(quiz, w.RadioButtons, tooltip=wrong["question"]).label = wrong["options"][wrong["correct"] - 1]
    find(quiz, w.Button, description="Check my answers").click()
    text = shown(quiz)
    first, second, rest = (
        text.split(html.escape(questions[1]["question"]))[0],
        text.split(html.escape(questions[1]["question"]))[1].split(html.escape(questions[2]["question"]))[0],
        text.split(html.escape(questions[2]["question"]))[1],
    )
    assert "Right." in first and "Not quite" not in first
    assert "Not quite: the answer is" in second and html.escape(wrong["options"][wrong["correct"]]) in second
    assert rest.count("Not answered yet.") == len(questions) - 2
    assert f"1 of {len(questions)} right" in text and "nothing is recorded" in text


def test_cards_escape_text_and_cite_sources():
    card = explore.theme_card(6)
    assert "Canada" in card and "Source: Mapping" in card
    practice = explore.practice_card("P12")
    assert "61%" in practice and "<script" not in practice
    assert "CP02" in explore.principle_card("CP02")
    for card, wrong, known in ((explore.theme_card, 25, "1, 2, 3"), (explore.principle_card, "CP99", "CP01, CP02")):
        with pytest.raises(r2kit.UnknownNameError, match=f"Known .*: {known}"):
            card(wrong)
    assert set(explore.themes_without_practice()["theme_id"]) == {1, 11, 13, 19} - {
        t for ids in r2kit.load("practices")["theme_ids"] for t in ids
    }


def test_covid_guidance_covers_every_point():
    table = notebook.covid_guidance(sample())
    assert set(table["guidance"]) == {f"CV0{i}" for i in range(1, 8)}
    assert table["item_id"].notna().all()


def test_in_a_notebook_r2kit_errors_show_a_message_but_still_fail_the_cell(monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    displayed = []
    monkeypatch.setattr(notebook.output, "render", displayed.append)
    shell = InteractiveShell.instance()
    shell.run_cell("import r2kit.notebook as nb\nnb.setup()")
    result = shell.run_cell("nb.start_assessment('XYZ')")
    printed = capsys.readouterr()
    assert isinstance(result.error_in_exec, r2kit.R2kitError)  # papermill and nbval still see the failure
    message = html.unescape(" ".join(getattr(obj, "data", "") for obj in displayed))
    assert "no sample corridor 'XYZ'" in message and "NOR-ALD" in message
    assert "Traceback" not in printed.out + printed.err + message
    shell.set_custom_exc((), None)


def test_peer_review_picker_compares_an_uploaded_file():
    stems = [p.stem for p in sample_paths()]
    picker = widgets.peer_review_picker(stems[0], stems[1], stems)
    a_pick, b_pick = find(picker, w.Dropdown, description="First"), find(picker, w.Dropdown, description="Second")
    upload = find(picker, w.FileUpload, description="Upload")
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
    assert "Added team7.json" in shown(picker)
    a_pick.value, b_pick.value = stems[0], "team7.json"
    assert "Same answer on" in shown(picker) and "C01.1" in shown(picker)
    upload.value = (
        {
            "name": "bad.json",
            "type": "application/json",
            "size": 5,
            "content": memoryview(b"{bad"),
            "last_modified": datetime.datetime(2026, 11, 22),
        },
    )
    assert "not valid JSON" in shown(picker) and "Traceback" not in shown(picker)


def test_tables_for_people_show_blanks_not_na(monkeypatch):
    shown = []
    monkeypatch.setattr(notebook.output, "render", shown.append)
    notebook.table(notebook.find_practices(theme=4), "practices")
    html = shown[0].data
    assert "NA&gt;" not in html and "<NA>" not in html and "nan" not in html
    assert "Netherlands" in html and "discontinued" in html
