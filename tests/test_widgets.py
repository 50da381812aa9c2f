"""The participant's side: widgets driven as a participant would (choose, press), and the notebook helpers."""

from __future__ import annotations

import base64
import datetime
import html
import re

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
    assert "hand it to your facilitator" in shown(form) and "Traceback" not in shown(form)


def test_saving_offers_the_file_for_download_in_one_click(tmp_path):
    a = sample()
    form = widgets.checklist_form(a)
    find(form, w.Text, description="Save as").value = str(tmp_path / "mine.json")
    find(form, w.Button, description="Save my assessment").click()
    link = re.search(r'<a download="mine.json" href="data:application/json;base64,([^"]+)"', shown(form))
    assert link and "Download mine.json" in shown(form)
    assert base64.b64decode(link[1]) == (tmp_path / "mine.json").read_bytes()


def test_after_one_answer_the_summary_says_too_few_answers_to_score():
    form = widgets.checklist_form(r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1"))
    summary = find(form, w.HTML, css="r2kit-live-summary")
    assert "No answers yet" in summary.value
    open_theme(form, 1)
    answer_buttons(form, "C01.1").label = "3 In place and applied in practice"
    text = html.unescape(summary.value)
    assert "Overall score" not in text and "100 of 100" not in text
    assert "Too few answers for an overall score yet: 18 of 19 themes have no answer" in text
    assert "1 of 78 items answered" in text and "not yet answered" in text


# --- personal data beside the evidence box ------------------------------------------------------------------------


def evidence_box(form: w.Widget, item_id: str) -> w.Box:
    """The box of one question: its buttons, guidance, evidence and whatever is shown beside the evidence."""
    textarea = find(form, w.Textarea, tooltip=f"Evidence for {item_id}")
    (box,) = [b for b in controls(form, w.Box) if textarea in b.children]
    return box


def test_typing_a_name_and_an_email_in_evidence_shows_the_warning_beside_that_evidence_box(tmp_path):
    a = sample()
    form = widgets.checklist_form(a, tmp_path)
    open_theme(form, 6)
    find(form, w.Textarea, tooltip="Evidence for C06.1").value = "Maria Lopez, maria@example.org"
    beside = html.unescape(shown(evidence_box(form, "C06.1")))
    assert "seems to contain an email address and a person's name" in beside
    assert "personal" not in html.unescape(shown(evidence_box(form, "C06.2")))  # only where it concerns
    # The warning stays while other answers change (nothing replaces it) ...
    answer_buttons(form, "C06.2").label = "0 Not in place"
    assert "a person's name" in html.unescape(shown(evidence_box(form, "C06.1")))
    # ... and goes once the text is fixed.
    find(form, w.Textarea, tooltip="Evidence for C06.1").value = "Decree of 2019 on alternatives to detention"
    assert "personal" not in html.unescape(shown(evidence_box(form, "C06.1")))


def test_a_name_alone_is_caught_too():
    form = widgets.checklist_form(sample())
    open_theme(form, 1)
    find(form, w.Textarea, tooltip="Evidence for C01.1").value = "Interview with Maria Lopez"
    assert "a person's name" in html.unescape(shown(evidence_box(form, "C01.1")))


def test_save_asks_first_when_evidence_looks_personal_and_then_says_so_honestly(tmp_path):
    a = sample()
    form = widgets.checklist_form(a)
    target = tmp_path / "mine.json"
    find(form, w.Text, description="Save as").value = str(target)
    open_theme(form, 6)
    find(form, w.Textarea, tooltip="Evidence for C06.1").value = "Maria Lopez, maria@example.org"
    anyway = find(form, w.Button, description="Save anyway")
    assert not is_shown(form, anyway)
    find(form, w.Button, description="Save my assessment").click()
    text = html.unescape(shown(form))
    assert not target.exists() and is_shown(form, anyway)
    assert "Before you save: The evidence of C06.1 seems to contain an email address and a person's name" in text
    anyway.click()
    text = html.unescape(shown(form))
    assert target.exists() and "still holds text that looks like personal data" in text
    assert "hand it to your facilitator" not in text and "Saved" in text


# --- the start panel ---------------------------------------------------------------------------------------------


def test_a_name_as_team_code_is_explained_in_plain_words_beside_the_field(tmp_path):
    work = widgets.Workspace(sample(), str(tmp_path), sample_id=sample_paths()[0].stem)
    panel = work.widget
    code_box = find(panel, w.Text, description="Your code")
    start = find(panel, w.Button, description="Start")
    code_box.value = "Maria Lopez"
    note = find(panel, w.HTML, css="r2kit-code-note")
    (row,) = [b for b in controls(panel, w.Box) if code_box in b.children]
    assert panel.children.index(note) == panel.children.index(row) + 1  # right under the field
    text = html.unescape(note.value)
    assert "Your team code is a short code such as MY-TEAM" in text and "not a person's name" in text
    start.click()
    everything = html.unescape(shown(panel))
    assert "expected form" not in everything and "assessor.code" not in everything and "Traceback" not in everything
    assert work.assessment.assessor["code"] != "Maria Lopez"
    code_box.value = "TEAM-7"
    assert note.value == ""
    start.click()
    assert work.assessment.assessor["code"] == "TEAM-7" and "Working on" in shown(panel)


def test_a_blank_corridor_without_countries_says_what_to_fill_in(tmp_path):
    work = widgets.Workspace(sample(), str(tmp_path))
    find(work.widget, w.Dropdown, description="Corridor").label = "Blank corridor: my own"
    find(work.widget, w.Button, description="Start").click()
    text = html.unescape(shown(work.widget))
    assert "Please write the country of destination or transit and the country of origin." in text
    assert "corridor.origin" not in text and "is empty" not in text


def test_starting_another_corridor_rebuilds_attached_views(tmp_path):
    work = widgets.Workspace(sample(), str(tmp_path), sample_id=sample_paths()[0].stem)
    box = work.attach(lambda a: w.HTML(a.corridor["id"]))
    assert shown(box) == "EST-BRE"
    find(work.widget, w.Dropdown, description="Corridor").value = sample_paths()[2].stem
    find(work.widget, w.Button, description="Start").click()
    assert shown(box) == r2kit.Assessment.load(sample_paths()[2]).corridor["id"] == "MER-DUN"


def test_blank_corridor_from_the_panel(tmp_path):
    work = widgets.Workspace(sample(), str(tmp_path), allow_blank=True)
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


def test_the_blank_corridor_fields_show_only_for_a_blank_corridor(tmp_path):
    panel = widgets.Workspace(sample(), str(tmp_path), sample_id=sample_paths()[0].stem).widget
    destination = find(panel, w.Text, description="Destination")
    assert not is_shown(panel, destination)
    find(panel, w.Dropdown, description="Corridor").label = "Blank corridor: my own"
    assert is_shown(panel, destination)


def test_running_the_notebook_again_keeps_the_answers(monkeypatch, tmp_path):
    monkeypatch.setattr(notebook.output, "render", lambda obj, **_: None)
    notebook._WORKSPACES.clear()
    first = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1", str(tmp_path))
    first.assessment.set_answer("C01.1", "3")
    again = notebook.workspace("NOR-ALD", "GOV-1", "", "TEAM-1", str(tmp_path))
    assert again is first and again.assessment.answers["C01.1"]["answer"] == "3"


def test_unknown_sample_corridor_lists_the_known_ones(monkeypatch):
    monkeypatch.setattr(notebook.output, "render", lambda obj, **_: None)
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


# --- the notebook's results follow the form -------------------------------------------------------------------------


class Page:
    """What a notebook page shows: outputs in order; an update replaces the output with the same display id."""

    def __init__(self):
        self.outputs: list[list] = []  # [display_id, object]

    def render(self, obj, display_id=None, update=False):
        if update:
            for out in self.outputs:
                if out[0] == display_id:
                    out[1] = obj
            return
        self.outputs.append([display_id, obj])

    def text(self) -> str:
        texts = [obj.data for _, obj in self.outputs if isinstance(getattr(obj, "data", None), str)]
        return html.unescape(" ".join(texts))


@pytest.fixture()
def page(monkeypatch):
    shown_page = Page()
    monkeypatch.setattr(notebook.output, "render", shown_page.render)
    notebook._WORKSPACES.clear()
    yield shown_page
    notebook._WORKSPACES.clear()


def run_notebook_03(output_dir, corridor="NOR-ALD"):
    """The code cells of notebook 03, as Run All runs them (the settings from its parameters cell)."""
    ws = notebook.workspace(corridor, "GOV-1", "", "MY-TEAM", str(output_dir))
    form = notebook.checklist_form(ws, str(output_dir))
    notebook.gap_profile(ws)
    notebook.red_line_status(ws)
    notebook.priority_gaps(ws)
    notebook.check_assessment(ws)
    return ws, form


def test_changing_an_answer_updates_the_red_lines_panel(page, tmp_path):
    ws, form = run_notebook_03(tmp_path)
    red = checklist.items().query("red_line")["item_id"].tolist()
    assert "Red lines: 6 hold, 1 don't know." in page.text()
    theme = int(red[0][1:3])
    open_theme(form, theme)
    answer_buttons(form, red[0]).label = "1 Planned or partly in place"
    text = page.text()
    assert "Red lines: 1 at risk, " in text
    assert "1 red line at risk" in text  # the priority gaps moved too
    assert f"Gap profile: {ws.assessment.title}" in text or "Overall score" in text


def test_the_gap_profile_red_lines_and_priority_gaps_update_together_on_start(page, tmp_path):
    ws, _ = run_notebook_03(tmp_path)
    before = page.text()
    find(ws.widget, w.Dropdown, description="Corridor").value = sample_paths()[0].stem
    find(ws.widget, w.Button, description="Start").click()
    after = page.text()
    assert after != before and "Estrelia" not in before and "Red lines: 7 at risk." in after


def test_run_all_of_the_notebooks_helpers_writes_nothing(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_notebook_03("outputs")
    ws = notebook.workspace("NOR-ALD", "GOV-1", "", output_dir="outputs", allow_blank=False)
    notebook.priority_gaps(ws)
    notebook.gap_practices(ws)
    notebook.gap_links(ws)
    notebook.action_plan(ws, "outputs")
    assert list(tmp_path.rglob("*")) == []
    assert "Ready to save" in page.text() and "Saved" not in page.text()


def test_a_new_start_replaces_the_message_above_the_panel(page, tmp_path):
    ws, _ = run_notebook_03(tmp_path)
    assert "Sample corridor Norvania" in shown(ws.widget)
    assert not any("Sample corridor" in getattr(obj, "data", "") for _, obj in page.outputs)  # not a stale note
    find(ws.widget, w.Dropdown, description="Corridor").value = sample_paths()[2].stem
    find(ws.widget, w.Button, description="Start").click()
    assert "Sample corridor Norvania" not in shown(ws.widget) and "Merovan" in html.unescape(shown(ws.widget))


def test_a_draft_survives_a_new_kernel(page, tmp_path):
    ws, form = run_notebook_03(tmp_path)
    open_theme(form, 2)
    answer_buttons(form, "C02.1").label = "0 Not in place"
    assert not list(tmp_path.glob("*.json"))  # the draft is not among the files to hand in
    notebook._WORKSPACES.clear()  # Kernel > Restart Kernel and Run All Cells
    again, box = run_notebook_03(tmp_path)
    assert again.assessment.answers["C02.1"]["answer"] != "0"  # the sample again, until the team continues
    button = next(b for b in controls(again.widget, w.Button) if b.description.startswith("Continue your draft"))
    assert f"{len(ws.assessment.answers)} answers, last changed" in button.description
    button.click()
    assert again.assessment.answers["C02.1"]["answer"] == "0" and "Continuing your draft" in shown(again.widget)
    # Continuing keeps writing the same draft, not a new one.
    open_theme(box, 2)
    answer_buttons(box, "C02.2").label = "Don't know"
    (draft,) = (tmp_path / ".drafts").glob("*.json")
    assert r2kit.Assessment.load(draft).answers["C02.2"]["answer"] == "dk"


def test_counts_agree_between_the_start_message_and_the_summary(page, tmp_path):
    ws, form = run_notebook_03(tmp_path)
    counts = widgets.answers_so_far(ws.assessment)
    assert counts in html.unescape(shown(ws.widget))
    assert counts in html.unescape(find(form, w.HTML, css="r2kit-live-summary").value)
    assert "don't know" in counts


def test_a_sample_made_ones_own_is_dated_today(page, tmp_path):
    ws, form = run_notebook_03(tmp_path)
    today = datetime.date.today().isoformat()
    assert ws.assessment.assessed_on == today
    find(ws.widget, w.Dropdown, description="Corridor").value = sample_paths()[0].stem
    find(ws.widget, w.Button, description="Start").click()
    assert ws.assessment.assessed_on == today


def test_buttons_and_checkboxes_show_their_whole_label(tmp_path):
    a = sample()
    roots = [
        widgets.Workspace(a, str(tmp_path)).widget,
        widgets.checklist_form(a),
        widgets.selfcheck(),
        widgets.action_plan(a, tmp_path),
    ]
    labelled = [c for root in roots for c in controls(root, (w.Button, w.Checkbox, w.FileUpload))]
    assert len(labelled) >= 6
    for control in labelled:
        assert control.layout.width == "auto", control.description


def test_results_tables_have_plain_headings_and_readable_values(page, tmp_path):
    run_notebook_03(tmp_path)
    text = page.text()
    for raw in ("theme_id", "red_lines_at_risk", "gcm_actions", "theme_title", "[1", "[]", "Global"):
        assert raw not in text, raw
    assert "GCM Objective 21 actions" in text and "21(" in text and "Red lines at risk" in text


def test_in_a_notebook_other_errors_show_a_plain_message_too(monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    displayed = []
    monkeypatch.setattr(notebook.output, "render", displayed.append)
    shell = InteractiveShell.instance()
    shell.run_cell("import r2kit.notebook as nb\nnb.setup()")
    result = shell.run_cell("nb.start_assessment(assessment_file='no-such-file.json')")
    printed = capsys.readouterr()
    assert result.error_in_exec is not None
    message = html.unescape(" ".join(getattr(obj, "data", "") for obj in displayed))
    assert "no-such-file.json" in message and "Traceback" not in printed.out + printed.err + message
    shell.set_custom_exc((), None)


def test_the_items_to_discuss_show_answers_in_words_under_each_assessments_name(page):
    notebook.peer_review("NOR-ALD_GOV-1", "NOR-ALD_CSO-2")
    text = page.text()
    assert "<th>NOR-ALD/GOV-1</th>" in text and "<th>NOR-ALD/CSO-2</th>" in text
    assert "In place on paper" in text and "<td>2</td>" not in text and "<th>first</th>" not in text


def test_a_blank_corridor_says_no_answers_yet_then_scores_only_what_is_there(page, tmp_path):
    ws, form = run_notebook_03(tmp_path, corridor="blank")
    notebook.gap_practices(ws)
    notebook.gap_links(ws)
    assert page.text().count("No answers yet") == 6 and "Overall score" not in page.text()
    open_theme(form, 16)
    for item in [i for i in checklist.item_ids() if i.startswith("C16.")]:
        answer_buttons(form, item).label = "0 Not in place"
    text = page.text()
    assert "Too few answers for an overall score yet: 18 of 19 themes have no answer" in text
    assert "These priority gaps come from the themes answered so far; 18 of 19 themes have no answer yet." in text
    assert "16. Access to labour" in text
    assert "Practices for your priority gaps" in text and "What your priority gaps touch" in text


def test_the_helpers_also_take_an_assessment_and_draw_once(page):
    a = sample()
    notebook.red_line_status(a)
    notebook.priority_gaps(a)
    assert "Red lines: 7 at risk." in page.text() and all(display_id is None for display_id, _ in page.outputs)


def test_save_assessment_says_honestly_what_it_saved_and_offers_a_download(page, tmp_path):
    a = sample()
    path = notebook.save_assessment(a, tmp_path)
    assert path == tmp_path / a.file_name and "hand it to your facilitator" in page.text()
    assert f'<a download="{a.file_name}"' in page.text()
    a.set_answer("C06.1", "1", evidence="Ask Mr Jones")
    notebook.save_assessment(a, tmp_path)
    assert "but the evidence of C06.1 seems to contain a person's name" in page.text()


def test_a_saved_file_loads_with_its_count_and_the_draft_plan_exports_when_asked(page, tmp_path):
    a = sample()
    saved = a.save(tmp_path / "mine.json")
    loaded = notebook.start_assessment(assessment_file=str(saved))
    assert loaded.answers == a.answers and f"Loaded your assessment of {a.title}" in page.text()
    csv_path, xlsx_path = notebook.export_draft_plan(loaded, tmp_path)
    assert csv_path.exists() and xlsx_path.exists() and "Exported" in page.text()
