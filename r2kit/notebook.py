"""One-line calls for the workshop notebooks: each shows a table, a chart with its table, or a widget.

Notebooks hold no logic: every function here calls tested code in r2kit and only decides what to show.
`setup()` turns r2kit's own errors into plain-language messages (no traceback) while keeping the cell
marked as failed, so papermill and nbval still see the error.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import analysis, checklist, data, display, explore, samples
from .assessment import Assessment
from .errors import R2kitError
from .explore import find_practices  # noqa: F401  (the notebooks call nb.find_practices)
from .samples import load_assessments as load

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


def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def note(text: str, kind: str = "info") -> None:
    """A coloured message box (info, success, warning or error); text is escaped."""
    from IPython.display import HTML

    colours = {"info": "#e8f1fb", "success": "#e6f4ea", "warning": "#fff4e5", "error": "#fdecea"}
    _display(
        HTML(
            f'<div style="background:{colours[kind]};padding:8px 12px;border-radius:4px;'
            f'margin:4px 0">{html.escape(text)}</div>'
        )
    )


def table(frame: pd.DataFrame, caption: str | None = None, max_rows: int = 60) -> None:
    """Show a DataFrame as an HTML table with every text escaped (participant text stays text)."""
    from IPython.display import HTML

    if frame.columns.empty:
        return
    more = f"<p><i>{len(frame) - max_rows} more rows not shown.</i></p>" if len(frame) > max_rows else ""
    _display(HTML(display.html_table(frame.head(max_rows), caption) + more))


def show(chart, frame: pd.DataFrame, caption: str) -> None:
    """Show a chart, then the same numbers as a table (the text alternative every chart has)."""
    _display(chart)
    table(frame, f"Table: {caption}")


def _friendly(shell, etype, value, tb, tb_offset=None):
    note(str(value), "error")
    return []


def setup() -> None:
    """Prepare a notebook: offline chart rendering, tidy pandas display, plain messages for r2kit errors."""
    from . import charts  # noqa: F401  (importing it enables the offline renderer)

    pd.set_option("display.max_colwidth", 120)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((R2kitError,), _friendly)


# --- 00 start here -------------------------------------------------------------------------------------------


def overview() -> pd.DataFrame:
    """What the knowledge base holds: one row per dataset with its size and title."""
    return pd.DataFrame(
        [
            {"dataset": r["name"], "rows": len(data.load(r["name"])), "what it holds": r["title"]}
            for r in data.package()["resources"]
        ]
    )


# --- 01 principles -------------------------------------------------------------------------------------------


def principles_table(principle_set: str = "common_position") -> pd.DataFrame:
    """Principles of one set (common_position, cross_cutting, gcm_guiding, covid19_guidance): id, title, summary."""
    p = data.load("principles")
    sets = sorted(p["principle_set"].unique())
    if principle_set not in sets:
        from .errors import unknown

        raise unknown("principle set", principle_set, sets)
    return p[p["principle_set"] == principle_set][["principle_id", "title", "summary"]].reset_index(drop=True)


def principle_browser(principle_id: str = "CP02"):
    """A dropdown of every principle showing its summary, the themes it links to and its source."""
    from . import widgets

    return widgets.principle_browser(principle_id)


def selfcheck(answers: dict[str, int] | None = None):
    """The self-check: a quiz widget; with `answers` ({question: option}) also shows the marked answers."""
    from . import selfcheck as sc
    from . import widgets

    if answers:
        table(sc.check(answers)[["question", "correct", "right answer", "why", "source"]], "Self-check: answers")
    return widgets.selfcheck()


# --- 02 mapping explorer -------------------------------------------------------------------------------------


def themes_table(phase: str | None = None) -> pd.DataFrame:
    """The 19 themes (or one phase's) with their challenge in short."""
    t = explore.filter_records("themes", data.load("themes"), phase=phase)
    return t[["theme_id", "phase", "title", "challenge"]].reset_index(drop=True)


def theme_explorer(theme_id: int = 6):
    """A dropdown of the 19 themes showing challenge, response, GCM commitments and practices."""
    from . import widgets

    return widgets.theme_explorer(theme_id)


def practice_finder(**filters):
    """Dropdowns for theme, phase, region, country and lens, and the matching practices."""
    from . import widgets

    return widgets.practice_finder(**filters)


def practices_overview() -> None:
    """Chart of documented practices per theme, with its table."""
    from . import charts

    practices, themes = data.load("practices"), data.load("themes")
    chart = charts.practices_overview(practices, themes)
    counts = practices.explode("theme_ids").groupby("theme_ids").size()
    frame = themes[["theme_id", "phase", "title"]].assign(
        practices=themes["theme_id"].map(counts).fillna(0).astype(int)
    )
    show(chart, frame, "documented practices per theme")


# --- 03 corridor gap-mapping ---------------------------------------------------------------------------------


def corridors() -> pd.DataFrame:
    """The FICTIONAL sample corridors to choose from."""
    c = data.load("corridors")
    return c[["corridor_id", "destination", "origin", "archetype", "covid_disruption"]]


def start_assessment(
    corridor: str = "NOR-ALD",
    assessor: str = "GOV-1",
    assessment_file: str = "",
    participant_code: str = "MY-TEAM",
    origin: str = "",
    destination: str = "",
) -> Assessment:
    """The assessment to work on: a saved file, a sample corridor (by id), or a blank one ('blank')."""
    if assessment_file:
        a = Assessment.load(assessment_file)
        note(f"Loaded your assessment of {a.title} from {assessment_file}: {len(a.answers)} answers.", "success")
        return a
    if corridor == "blank":
        a = Assessment.new(
            "MY-CORRIDOR", origin or "Country of origin", destination or "Country of destination", participant_code
        )
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
    from . import widgets

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
    _display(work.widget)
    return work


def checklist_form(work, output_dir: str = "outputs"):
    """The checklist as widgets, theme by theme, with a live gap profile and a Save button."""
    from . import widgets

    if isinstance(work, Assessment):
        return widgets.checklist_form(work, output_dir)
    return work.attach(lambda a: widgets.checklist_form(a, output_dir))


def gap_profile(assessment) -> None:
    """The gap profile chart of one assessment, with its table."""
    assessment = _a(assessment)
    if not _has_answers(assessment):
        return
    from . import charts

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


# --- 04 peer review ------------------------------------------------------------------------------------------


def peer_review(first: str = "NOR-ALD_GOV-1", second: str = "NOR-ALD_CSO-2") -> dict:
    """Two assessments of one corridor compared: agreement, kappa, the matrix chart and the items to discuss."""
    from . import charts

    a, b = load([first, second])
    review = analysis.peer_review(analysis.answers_table([a, b]), a.id, b.id)
    note(
        f"{a.id} and {b.id} gave the same answer on {review['agreement']:.0%} of the {review['compared']} items "
        f"both scored; weighted kappa {review['kappa']:.2f} (1 = full agreement, 0 = no more than chance)."
    )
    show(
        charts.agreement(review["items"]),
        review["to_discuss"][["item_id", "question", "first", "second", "why"]],
        "items to discuss (answers two or more levels apart, or one side unscored)",
    )
    return review


# --- 05 gaps to actions --------------------------------------------------------------------------------------


def action_plan(work, output_dir: str = "outputs"):
    """The action-plan form: for each priority gap, the next step, who leads (a role) and when; exports CSV/Excel."""
    from . import widgets

    if isinstance(work, Assessment):
        return widgets.action_plan(work, output_dir)
    return work.attach(lambda a: widgets.action_plan(a, output_dir))


# --- 06 COVID-19 ---------------------------------------------------------------------------------------------


def covid_guidance(assessment) -> pd.DataFrame:
    """Each point of the Common Position's COVID-19 guidance with the checklist items based on it and their answers."""
    return analysis.covid_guidance(_a(assessment).answers_frame())


def peer_review_picker(first: str = "NOR-ALD_GOV-1", second: str = "NOR-ALD_CSO-2"):
    """Dropdowns to compare any two sample assessments (or saved files)."""
    from . import widgets

    return widgets.peer_review_picker(first, second, [p.stem for p in samples.sample_paths()])


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
    from . import actionplan

    paths = actionplan.export(
        actionplan.draft(assessment), output_dir, f"action_plan_{assessment.corridor['id']}_draft"
    )
    note("Exported " + " and ".join(str(p) for p in paths) + ".", "success")
    return paths


def returns_trend(corridor: str | None = None) -> None:
    """Yearly returns by type for the FICTIONAL sample corridors (all, or one corridor id), chart and table."""
    from . import charts

    returns = data.load("corridor_returns")
    title = "Returns per year, all sample corridors (FICTIONAL)"
    if corridor is not None:
        known = sorted(returns["corridor_id"].unique())
        if corridor not in known:
            from .errors import unknown

            raise unknown("sample corridor", corridor, known)
        returns = returns[returns["corridor_id"] == corridor]
        title = f"Returns per year, {corridor} (FICTIONAL)"
    yearly = returns.pivot_table(index="year", columns="return_type", values="returns", aggfunc="sum").reset_index()
    show(charts.returns_trend(returns, title=title), yearly, title.lower())


def ready() -> None:
    """Confirm the set-up works: r2kit's version and the size of the knowledge base."""
    from . import __version__

    names = data.datasets()
    note(
        f"r2kit {__version__} is ready: {len(names)} datasets, {len(checklist.item_ids())} checklist items; "
        "charts and tables work offline.",
        "success",
    )


# --- 04 the group's view -------------------------------------------------------------------------------------


def _assessment_id(name: str) -> str:
    """'NOR-ALD_GOV-1' (a sample file's name) -> 'NOR-ALD/GOV-1' (its assessment id); ids pass unchanged."""
    return name.replace("_", "/", 1) if "/" not in name and "_" in name else name


def _group(sources: list[str] | None = None):
    """Answers and metadata of a group: the shipped FICTIONAL samples unless file paths or ids are given."""
    from . import groupviews as views

    group = load(sources) if sources else samples.load_samples()
    return analysis.answers_table(group), views.participants(group)


def group_view(viewer: str = "NOR-ALD_GOV-1", sources: list[str] | None = None) -> None:
    """The group's theme scores, common gaps and red lines, anonymised: the viewer's corridor named, others peers."""
    from . import charts
    from . import groupviews as views

    answers, meta = _group(sources)
    viewer_id = _assessment_id(viewer)
    gv = views.group_views(answers, meta, viewer=viewer_id)
    note(
        f"{meta['assessment_id'].nunique()} assessments of {meta['corridor_id'].nunique()} corridors. You see your "
        "own corridor by name; the others are peers unless they chose to be named. Counts never name States."
    )
    show(
        charts.theme_heatmap(gv["themes"], labels=gv["labels"], title="The group's gap map"),
        gv["distribution"],
        "how the group scores each theme",
    )
    table(gv["common_gaps"], "The most common gaps in the group")
    table(gv["red_lines"], "Red lines at risk across the group (counts of assessments)")


def peer_matches(viewer: str = "NOR-ALD_GOV-1", sources: list[str] | None = None, top: int = 3) -> pd.DataFrame:
    """The peers whose corridors are strong where the viewer's has gaps, with the themes that make each match."""
    from . import groupviews as views
    from . import matching

    answers, meta = _group(sources)
    viewer_id = _assessment_id(viewer)
    names = views.labels(meta, viewer_id)
    found = matching.peer_matches(answers, meta, top)
    mine = found[found["learner"] == viewer_id].copy()
    if mine.empty:
        note("No peer in this group is strong (75 or more) where your corridor has a gap (under 50).")
        return mine
    mine["learner"] = mine["learner"].map(names)
    mine["peer"] = mine["peer"].map(names)
    table(mine.drop(columns=["theme_ids"]), "Who you could learn from")
    return mine


def breakout_groups(size: int = 3, viewer: str | None = None, sources: list[str] | None = None) -> pd.DataFrame:
    """Breakout groups of about `size` that bring complementary strengths together and mix regions."""
    from . import groupviews as views
    from . import matching

    answers, meta = _group(sources)
    viewer_id = _assessment_id(viewer) if viewer else None
    groups = matching.breakout_groups(answers, size, meta)
    groups = groups.assign(participant=groups["assessment_id"].map(views.labels(meta, viewer_id)))
    shown = groups[["group", "participant", "region", "can_learn", "can_share"]]
    table(shown, f"Breakout groups of about {size} (can learn / can share: theme numbers)")
    return shown
