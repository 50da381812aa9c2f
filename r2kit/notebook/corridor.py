"""Notebooks 03, 05 and 06: one corridor's assessment, from the start panel and checklist to gaps, links and plans."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import analysis, checklist, data, samples
from ..assessment import Assessment
from ..errors import R2kitError
from . import output
from .output import note, show, table

# Workspaces of this kernel, so that running the notebook again keeps a participant's answers.
_WORKSPACES: dict[tuple, object] = {}


def _a(work) -> Assessment:
    """The assessment of a workspace (or the assessment itself)."""
    return getattr(work, "assessment", work)


def _has_answers(assessment: Assessment) -> bool:
    """True if there is something to analyse; otherwise says so in a message."""
    if assessment.answers:
        return True
    note("No answers yet: answer the checklist above, then run this cell again.", "info")
    return False


def corridors() -> pd.DataFrame:
    """The FICTIONAL sample corridors to choose from."""
    c = data.load("corridors")
    return c[["corridor_id", "destination", "origin", "archetype", "covid_disruption"]]


def start_assessment(
    corridor: str = "NOR-ALD",
    assessor: str = "GOV-1",
    assessment_file: str = "",
    participant_code: str = "MY-TEAM",
) -> Assessment:
    """The assessment to work on: a saved file, a sample corridor (by id), or a blank one ('blank')."""
    if assessment_file:
        a = Assessment.load(assessment_file)
        note(f"Loaded your assessment of {a.title} from {assessment_file}: {len(a.answers)} answers.", "success")
        return a
    if corridor == "blank":
        a = Assessment.new("MY-CORRIDOR", "Country of origin", "Country of destination", participant_code)
        note(f"A blank assessment for {a.title}. Answer the checklist below, then save it.", "info")
        return a
    path = next((p for p in samples.sample_paths() if p.name == f"{corridor}_{assessor}.json"), None)
    if path is None:
        ids = sorted({p.name.rsplit("_", 1)[0] for p in samples.sample_paths()})
        raise R2kitError(
            f"There is no sample corridor {corridor!r} assessed by {assessor!r}. "
            f"Sample corridors: {', '.join(ids)}; or use 'blank'."
        )
    a = Assessment.load(path).with_assessor(participant_code)
    note(f"Sample corridor {a.title}: FICTIONAL, for practice. {len(a.answers)} answers to start from.", "info")
    return a


def workspace(
    corridor: str = "NOR-ALD",
    assessor: str = "GOV-1",
    assessment_file: str = "",
    participant_code: str = "MY-TEAM",
    output_dir: str = "outputs",
    allow_blank: bool = True,
):
    """Show the start panel (sample, blank or saved file; your code and role) and return the workspace.

    Running the notebook again in the same session keeps the answers given so far.
    """
    from .. import widgets

    key = (corridor, assessor, assessment_file, participant_code, output_dir, allow_blank)
    work = _WORKSPACES.get(key)
    if work is not None:
        note(
            f"Still working on {work.assessment.title}: your {len(work.assessment.answers)} answers are kept. "
            "Press Start below to begin another.",
            "info",
        )
    else:
        a = start_assessment(corridor, assessor, assessment_file, participant_code)
        sample = f"{corridor}_{assessor}" if corridor != "blank" and not assessment_file else None
        work = _WORKSPACES[key] = widgets.Workspace(a, output_dir, allow_blank, sample_id=sample)
    output.render(work.widget)
    return work


def checklist_form(work, output_dir: str = "outputs"):
    """The checklist as widgets, theme by theme, with a live gap profile and a Save button."""
    from .. import widgets

    if isinstance(work, Assessment):
        return widgets.checklist_form(work, output_dir)
    return work.attach(lambda a: widgets.checklist_form(a, output_dir))


def gap_profile(assessment) -> None:
    """The gap profile chart of one assessment, with its table."""
    assessment = _a(assessment)
    if not _has_answers(assessment):
        return
    from .. import charts

    themes = analysis.theme_scores(assessment.answers_frame())
    total = analysis.overall(assessment.answers_frame()).iloc[0]
    note(
        f"Overall score {total['score']:.0f} of 100 with {int(total['answered'])} of {int(total['items'])} items "
        f"answered ({int(total['dont_know'])} don't know). A self-assessment for learning, not a grade."
    )
    show(
        charts.profile(themes, title=f"Gap profile: {assessment.title}"),
        themes[["theme_id", "phase", "theme_title", "score", "coverage", "red_lines_at_risk"]],
        "gap profile",
    )


def red_line_status(assessment) -> None:
    """Each red-line item of one assessment with its status: never averaged away."""
    assessment = _a(assessment)
    if not _has_answers(assessment):
        return
    rl = analysis.red_lines(assessment.answers_frame())
    at_risk = int((rl["status"] == "at risk").sum())
    note(
        f"{at_risk} of {len(rl)} red lines at risk." if at_risk else "No red line is at risk.",
        "warning" if at_risk else "success",
    )
    rl = rl.assign(answer=rl["answer"].map(lambda c: checklist.label_of(c) if pd.notna(c) else "not answered"))
    table(rl[["item_id", "question", "answer", "status"]], "Red lines")


def priority_gaps(assessment, top: int = 5) -> pd.DataFrame:
    """The priority gaps with the practices, GCM actions and SDG targets that speak to them."""
    assessment = _a(assessment)
    if not _has_answers(assessment):
        return pd.DataFrame()
    return analysis.gap_resources(assessment.answers_frame(), top).drop(columns=["assessment_id"])


def save_assessment(assessment, output_dir: str = "outputs") -> Path:
    """Save the assessment where the facilitator can collect it; shows the path."""
    assessment = _a(assessment)
    path = assessment.save(Path(output_dir) / f"{assessment.corridor['id']}_{assessment.assessor['code']}.json")
    note(f"Saved: {path}. Hand this file to your facilitator (it holds no personal data).", "success")
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


def gap_practices(assessment, top: int = 5) -> None:
    """The practices that speak to the priority gaps, in full."""
    assessment = _a(assessment)
    gaps = analysis.priority_gaps(assessment.answers_frame(), top)
    found = analysis.practices_for(gaps["theme_id"])
    table(
        found[["theme_id", "practice_id", "country", "title", "summary", "figures", "source_section"]],
        "Practices for your priority gaps",
    )


def gap_links(assessment, top: int = 5) -> None:
    """The GCM actions, SDG targets and principles that the priority gaps touch, with the basis of each link."""
    assessment = _a(assessment)
    gaps = analysis.priority_gaps(assessment.answers_frame(), top)
    table(analysis.links_for(gaps["theme_id"]), "What your priority gaps touch")


def export_draft_plan(assessment, output_dir: str = "outputs") -> list[Path]:
    """Export the empty action-plan draft (CSV and Excel) for the priority gaps."""
    assessment = _a(assessment)
    from .. import actionplan

    paths = actionplan.export(
        actionplan.draft(assessment), output_dir, f"action_plan_{assessment.corridor['id']}_draft"
    )
    note("Exported " + " and ".join(str(p) for p in paths) + ".", "success")
    return paths
