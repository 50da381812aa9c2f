"""Notebooks 03, 05 and 06: one corridor's assessment, from the start panel and checklist to gaps, links and plans.

The results helpers (gap profile, red lines, priority gaps, the check before handing in) take the workspace: their
outputs are redrawn in place whenever an answer changes in the form, so they always follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import analysis, checklist, data, samples
from ..assessment import Assessment
from ..errors import R2kitError
from . import output
from .output import note, show, table

# Workspaces of this kernel, so that running the notebook again keeps a participant's answers.
_WORKSPACES: dict[tuple, object] = {}
NO_ANSWERS = "No answers yet: answer the checklist above; this part fills in as you answer."


def _a(work) -> Assessment:
    """The assessment of a workspace (or the assessment itself)."""
    return getattr(work, "assessment", work)


def _live(work, key: str, draw: Callable[[Assessment], None], slots: int) -> None:
    """Show draw(assessment); for a workspace, redraw it in place whenever an answer changes or work starts anew."""
    if not hasattr(work, "listen"):
        draw(_a(work))
        return
    cell = output.Live(lambda: draw(work.assessment), slots)
    cell.show()
    work.listen(key, cell.update)


def corridors() -> pd.DataFrame:
    """The FICTIONAL sample corridors to choose from."""
    c = data.load("corridors")
    return c[["corridor_id", "destination", "origin", "archetype", "covid_disruption"]]


def _start(corridor: str, assessor: str, assessment_file: str, participant_code: str) -> tuple[Assessment, str]:
    """The assessment to start from and the sentence that says what it is."""
    from ..widgets import answers_so_far

    if assessment_file:
        a = Assessment.load(assessment_file)
        return a, f"Loaded your assessment of {a.title} from {assessment_file}: {answers_so_far(a)}."
    if corridor == "blank":
        a = Assessment.new("MY-CORRIDOR", "Country of origin", "Country of destination", participant_code)
        return a, f"A blank assessment for {a.title}. Answer the checklist below, then save it."
    path = next((p for p in samples.sample_paths() if p.name == f"{corridor}_{assessor}.json"), None)
    if path is None:
        ids = sorted({p.name.rsplit("_", 1)[0] for p in samples.sample_paths()})
        raise R2kitError(
            f"There is no sample corridor {corridor!r} assessed by {assessor!r}. "
            f"Sample corridors: {', '.join(ids)}; or use 'blank'."
        )
    a = Assessment.load(path).with_assessor(participant_code, assessed_on=dt.date.today().isoformat())
    return a, f"Sample corridor {a.title}: FICTIONAL, for practice. It starts with {answers_so_far(a)}."


def start_assessment(
    corridor: str = "NOR-ALD",
    assessor: str = "GOV-1",
    assessment_file: str = "",
    participant_code: str = "MY-TEAM",
) -> Assessment:
    """The assessment to work on: a saved file, a sample corridor (by id), or a blank one ('blank')."""
    a, text = _start(corridor, assessor, assessment_file, participant_code)
    note(text, "success" if assessment_file else "info")
    return a


def workspace(
    corridor: str = "NOR-ALD",
    assessor: str = "GOV-1",
    assessment_file: str = "",
    participant_code: str = "MY-TEAM",
    output_dir: str = "outputs",
    allow_blank: bool = True,
):
    """Show the start panel (sample, blank, saved file or a draft; your code and role) and return the workspace.

    Running the notebook again in the same session keeps the answers given so far; after a restart the panel
    offers the latest drafts. What the panel says replaces what it said before (no stale message above it).
    """
    from .. import widgets

    key = (corridor, assessor, assessment_file, participant_code, output_dir, allow_blank)
    work = _WORKSPACES.get(key)
    if work is not None:
        work.say(
            f"Still working on {work.assessment.title}: your answers are kept "
            f"({widgets.answers_so_far(work.assessment)}). Press Start to begin another."
        )
    else:
        a, text = _start(corridor, assessor, assessment_file, participant_code)
        sample = f"{corridor}_{assessor}" if corridor != "blank" and not assessment_file else None
        work = _WORKSPACES[key] = widgets.Workspace(a, output_dir, allow_blank, sample_id=sample, message=text)
    output.render(work.widget)
    return work


def checklist_form(work, output_dir: str = "outputs"):
    """The checklist as widgets, theme by theme, with a live gap profile, Save and a download link."""
    from .. import widgets

    if isinstance(work, Assessment):
        return widgets.checklist_form(work, output_dir)
    return work.attach(lambda a: widgets.checklist_form(a, output_dir, on_change=work.answered))


def profile_table(themes: pd.DataFrame) -> pd.DataFrame:
    """A gap profile (rows of analysis.theme_scores) as a table for people: theme, score, what is answered."""
    return pd.DataFrame(
        {
            "Theme": themes["theme_id"].astype(str) + ". " + themes["theme_title"],
            "Phase": themes["phase"],
            "Score (0-100)": themes["score"].round(0),
            "Items answered": [
                f"{a + d + n} of {i}"
                for a, d, n, i in zip(
                    themes["answered"], themes["dont_know"], themes["not_applicable"], themes["items"], strict=True
                )
            ],
            "Don't know": themes["dont_know"],
            "Red lines at risk": themes["red_lines_at_risk"],
        }
    )


def _gap_profile(assessment: Assessment) -> None:
    from .. import charts
    from ..widgets import findings

    found = findings(assessment)
    if found.empty:
        note(NO_ANSWERS)
        return
    note(found.summary, "warning" if found.red_lines_at_risk else "info")
    chart = charts.Drawn(found.profile(f"Gap profile: {assessment.title}"))  # the form shows the same chart
    show(chart, profile_table(found.themes), "gap profile")


def gap_profile(work) -> None:
    """The gap profile chart of one assessment, with its table and an honest summary; follows the form."""
    _live(work, "gap_profile", _gap_profile, 3)


def red_line_table(answers: pd.DataFrame) -> pd.DataFrame:
    """Each red line with its answer and status in words (at risk, holds, don't know, not yet answered)."""
    rl = analysis.red_lines(answers)
    return pd.DataFrame(
        {
            "Item": rl["item_id"],
            "Question": rl["question"],
            "Answer": rl["answer"].map(lambda c: checklist.label_of(c) if pd.notna(c) else "not yet answered"),
            "Status": analysis.red_line_status(rl),
        }
    )


def _red_lines(assessment: Assessment) -> None:
    from ..widgets import findings

    answers = assessment.answers_frame()
    if answers.empty:
        note(NO_ANSWERS)
        return
    row = findings(assessment).progress
    open_ = row["red_dont_know"] + row["red_not_answered"]
    kind = "warning" if row["red_at_risk"] else ("info" if open_ else "success")
    note(analysis.red_lines_text(row), kind)
    table(red_line_table(answers), "Red lines")


def red_line_status(work) -> None:
    """Each red-line item of one assessment with its status, never averaged away; follows the form."""
    _live(work, "red_line_status", _red_lines, 2)


def priority_gap_table(answers: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The priority gaps as a table for people: why each comes first, and what speaks to it."""
    gaps = analysis.gap_resources(answers, top)
    return pd.DataFrame(
        {
            "Rank": gaps["rank"],
            "Theme": gaps["theme_id"].astype(str) + ". " + gaps["theme_title"],
            "Phase": gaps["phase"],
            "Why": gaps["reason"],
            "Practices to learn from": gaps["practices"],
            "GCM Objective 21 actions": gaps["gcm_actions"],
            "SDG targets": gaps["sdg_targets"],
        }
    )


def _priority_gaps(assessment: Assessment, top: int) -> None:
    answers = assessment.answers_frame()
    if answers.empty:
        note(NO_ANSWERS)
        return
    from ..widgets import findings

    gaps = priority_gap_table(answers, top)
    row = findings(assessment).progress
    missing = int(row["themes_missing"])
    so_far = f"{missing} of {int(row['themes'])} themes have no answer yet" if missing else ""
    if gaps.empty:
        text = "No priority gap among the themes answered so far" if missing else "No priority gap"
        note(f"{text}: no theme scores under 50 and no red line is at risk." + (f" {so_far}." if so_far else ""))
        return
    if so_far:
        note(f"These priority gaps come from the themes answered so far; {so_far}.")
    table(gaps, "Priority gaps")


def priority_gaps(work, top: int = 5) -> None:
    """The priority gaps with the practices, GCM actions and SDG targets that speak to them; follows the form."""
    _live(work, "priority_gaps", lambda a: _priority_gaps(a, top), 2)


def _check(assessment: Assessment) -> None:
    from ..widgets import answers_so_far

    personal = assessment.personal_data()
    if personal:
        note(f"Not ready to hand in: {personal}. Please remove it in the form, then save.", "warning")
    elif not assessment.answers:
        note(NO_ANSWERS)
    else:
        note(
            f"Ready to save: {assessment.title} as {assessment.assessor['code']}, {answers_so_far(assessment)}. "
            f"Press Save my assessment in the form above, then download the file ({assessment.file_name}).",
            "success",
        )


def check_assessment(work) -> None:
    """Check the assessment before it is handed in (personal data, answers); saves nothing; follows the form."""
    _live(work, "check_assessment", _check, 1)


def save_assessment(work, output_dir: str = "outputs") -> Path:
    """Save the assessment where the facilitator can collect it; shows the path and a download link."""
    from IPython.display import HTML

    from ..widgets import download_link

    assessment = _a(work)
    path = assessment.save(Path(output_dir) / assessment.file_name)
    personal = assessment.personal_data()
    if personal:
        note(
            f"Saved {path}, but {personal[0].lower()}{personal[1:]}: remove it and save again before you hand it in.",
            "warning",
        )
    else:
        note(f"Saved {path}. Download it with the link below and hand it to your facilitator.", "success")
    output.render(HTML(download_link(path, f"Download {path.name}")))
    return path


def action_plan(work, output_dir: str = "outputs"):
    """The action-plan form: for each priority gap, the next step, who leads (a role) and when; exports CSV/Excel."""
    from .. import widgets

    if isinstance(work, Assessment):
        return widgets.action_plan(work, output_dir)
    return work.attach(lambda a: widgets.action_plan(a, output_dir))


def covid_guidance(assessment) -> pd.DataFrame:
    """Each point of the Common Position's COVID-19 guidance with the checklist items based on it and their answers."""
    return analysis.covid_guidance(_a(assessment).answers_frame())


def covid_focus(work) -> None:
    """Each point of the COVID-19 guidance against the corridor's answers, as a table; follows the workspace."""
    _live(work, "covid_focus", lambda a: table(covid_guidance(a), "COVID-19 guidance and the corridor"), 1)


def _gap_practices(assessment: Assessment, top: int) -> None:
    gaps = analysis.priority_gaps(assessment.answers_frame(), top)
    if gaps.empty:
        note("No priority gap yet, so no practices to show." if assessment.answers else NO_ANSWERS)
        return
    found = analysis.practices_for(gaps["theme_id"])
    table(
        found[["theme_id", "practice_id", "country", "title", "summary", "figures", "source_section"]],
        "Practices for your priority gaps",
    )


def gap_practices(work, top: int = 5) -> None:
    """The practices that speak to the priority gaps, in full; follows the workspace."""
    _live(work, "gap_practices", lambda a: _gap_practices(a, top), 1)


def _gap_links(assessment: Assessment, top: int) -> None:
    gaps = analysis.priority_gaps(assessment.answers_frame(), top)
    if gaps.empty:
        note("No priority gap yet, so nothing to link." if assessment.answers else NO_ANSWERS)
        return
    table(analysis.links_for(gaps["theme_id"]), "What your priority gaps touch")


def gap_links(work, top: int = 5) -> None:
    """The GCM actions, SDG targets and principles that the priority gaps touch, with the basis of each link."""
    _live(work, "gap_links", lambda a: _gap_links(a, top), 1)


def export_draft_plan(assessment, output_dir: str = "outputs") -> list[Path]:
    """Export the empty action-plan draft (CSV and Excel) for the priority gaps."""
    assessment = _a(assessment)
    from .. import actionplan

    paths = actionplan.export(
        actionplan.draft(assessment), output_dir, f"action_plan_{assessment.corridor['id']}_draft"
    )
    note("Exported " + " and ".join(str(p) for p in paths) + ".", "success")
    return paths
