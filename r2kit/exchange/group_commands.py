"""The exchange commands for learning together: group views, who learns from whom, breakout groups, reports.

`r2kit session views|pairs|groups|review|report NAME` and `r2kit report` (one report per corridor).

r2kit.exchange.cli adds them to the `session` group and registers `r2kit report`. Heavy modules (papermill,
nbconvert, Altair) are imported inside the commands that need them, so `r2kit --help` stays fast.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from .. import groupviews as views
from .. import matching
from ..errors import R2kitError
from ..inert import to_csv
from .folders import make_dirs
from .terminal import open_store, plural, text_table

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ANONYMISED = click.option(
    "--anonymised", is_flag=True, help="Show peer A, B ... instead of ids (to project in the room)."
)
TABLE_OR_CSV = click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)


def _session_group(name: str, required: bool = True):
    """A session's details, current answers and participants; with `required`, an error if nobody submitted yet."""
    with open_store() as store:
        info = store.session(name)
        answers, meta = store.answers(name), store.participants(name)
    if required and meta.empty:
        raise R2kitError(f"Session {name!r} has no submissions yet.")
    return info, answers, meta


@click.command("views")
@click.argument("name")
@click.option("--top", default=5, show_default=True, help="How many common gaps to list.")
def views_cmd(name, top) -> None:
    """Group views of session NAME: scores per theme across the group, common gaps, red lines (counts only)."""
    info, answers, meta = _session_group(name)
    group = views.group_views(answers, meta, salt=info["label_salt"], top=top)
    click.echo(f"Session {name}: {plural(len(meta), 'assessment')}. Counts and spreads only; no State is ranked.\n")
    dist = group["distribution"].assign(theme=lambda d: d["theme_id"].astype(str) + ". " + d["theme_title"].str[:44])
    click.echo("Scores per theme across the group (0-100):")
    numbers = ["min", "median", "max"]
    dist[numbers] = dist[numbers].round(0).astype("Int64")
    click.echo(text_table(dist[["theme", "assessments", "min", "median", "max", "gaps", "strengths"]]))
    gaps = group["common_gaps"]
    click.echo(f"\nThe {len(gaps)} most common gaps (score under 50 or a red line at risk):")
    for row in gaps.itertuples():
        click.echo(f"  Theme {row.theme_id} {row.theme_title}: {row.assessments_with_gap} of {len(meta)} assessments")
    click.echo("\nRed lines across the group:")
    red = group["red_lines"].assign(question=lambda d: d["question"].map(lambda q: textwrap.shorten(q, 70)))
    click.echo(text_table(red[["item_id", "at_risk", "unknown", "holds", "not_applicable", "question"]]))


@click.command("pairs")
@click.argument("name")
@click.option("--top", default=3, show_default=True, help="How many peers to suggest per participant.")
@ANONYMISED
@TABLE_OR_CSV
def pairs_cmd(name, top, anonymised, fmt) -> None:
    """Who can learn from whom in session NAME: for each participant, peers strong where they have gaps."""
    info, answers, meta = _session_group(name, required=False)
    matches = matching.peer_matches(answers, meta, top=top)
    names = {a: a for a in meta["assessment_id"]}
    if anonymised:
        names = views.labels(meta, salt=info["label_salt"])
        matches = matches.assign(learner=matches["learner"].map(names), peer=matches["peer"].map(names))
    if fmt == "csv":
        click.echo(to_csv(matches.assign(theme_ids=matches["theme_ids"].map(lambda t: " ".join(map(str, t))))))
        return
    if matches.empty:
        click.echo("No peer scores 75 or more where another participant scores under 50.")
        return
    click.echo(f"Session {name}: peers scoring 75+ on themes where the participant scores under 50.\n")
    for learner, part in matches.groupby("learner", sort=False):
        click.echo(f"{learner} can learn from:")
        for row in part.itertuples():
            themes = ", ".join(map(str, row.theme_ids))
            click.echo(f"  {row.rank}. {row.peer}  ({plural(row.n_themes, 'theme')}: {themes})")
    missing = sorted(set(names.values()) - set(matches["learner"]))
    if missing:
        click.echo(f"\nNo strong peer on their gaps: {', '.join(missing)}")


@click.command("groups")
@click.argument("name")
@click.option("--size", default=4, show_default=True, help="People per breakout group (some get one fewer).")
@ANONYMISED
@TABLE_OR_CSV
def groups_cmd(name, size, anonymised, fmt) -> None:
    """Breakout groups for session NAME that maximise who can learn from whom and mix regions."""
    info, answers, meta = _session_group(name)
    groups = matching.breakout_groups(answers, size, meta)
    if anonymised:
        groups = groups.assign(assessment_id=groups["assessment_id"].map(views.labels(meta, salt=info["label_salt"])))
        groups = groups.drop(columns=["corridor_id"])
    groups = groups.assign(**{c: groups[c].map(lambda t: " ".join(map(str, t))) for c in ("can_learn", "can_share")})
    if fmt == "csv":
        click.echo(to_csv(groups))
        return
    click.echo(f"Session {name}: {plural(groups['group'].nunique(), 'breakout group')} of up to {size}.")
    click.echo("can learn / can share: themes where someone else in the group scores 75+ / under 50.\n")
    for g, part in groups.groupby("group"):
        click.echo(f"Group {g}:")
        click.echo(text_table(part.drop(columns=["group"]).rename(columns={"assessment_id": "participant"})))


@click.command("review")
@click.argument("name")
def review_cmd(name) -> None:
    """Peer review in session NAME: pairs of assessors of the same corridor, their agreement and items to discuss."""
    _, answers, meta = _session_group(name, required=False)
    pairs = matching.review_pairs(answers, meta)
    if pairs.empty:
        click.echo("No corridor in this session was assessed by two teams.")
        return
    pairs = pairs.assign(agreement=(pairs["agreement"] * 100).round(0).astype("Int64").astype(str) + "%")
    click.echo(text_table(pairs.round(2)))
    click.echo("\nagreement: items both answered the same; kappa: linear-weighted (1 = full agreement, 0 = chance).")


@click.command("report")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the report.")
@click.option("--size", default=4, show_default=True, help="People per breakout group in the report.")
def report_cmd(name, output, size) -> None:
    """Write session NAME's report: one self-contained HTML file (opens offline) plus SVG and PNG charts."""
    from ..runner import notebook_to_html, run_notebook

    with open_store() as store:
        info = store.session(name)
        if not info["submissions"]:
            raise R2kitError(f"Session {name!r} has no submissions yet: nothing to report.")
        out = (output or store.reports_dir(name)).resolve()
        home = str(store.home.resolve())
    charts = out / "charts"
    click.echo(f"Running the session report for {name} ({plural(info['submissions'], 'participant')})...")
    executed = run_notebook(
        TEMPLATES / "session_report.ipynb",
        out / "session_report.ipynb",
        {"session": name, "r2kit_home": home, "charts_dir": str(charts), "group_size": size},
        cwd=out,
    )
    html = notebook_to_html(executed, out / "session_report.html", title=f"{info['title']}: session report")
    click.echo(f"Wrote {html}\n  (one file, opens offline in any browser; charts for slides in {charts})")


@click.command("report")
@click.option("--corridor", "corridors", multiple=True, metavar="ID", help="A corridor to report on (repeatable).")
@click.option("--session", "name", help="Take the assessments from this session.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the reports.")
@click.option("--workers", type=int, help="Reports run at once (default: one per core).")
def corridor_report_cmd(corridors, name, files, output, workers) -> None:
    """Write one self-contained HTML report per corridor (all corridors if no --corridor), several in parallel.

    Each report names its own corridor and shows everyone else as peer A, B ... Take the assessments from a
    session (--session NAME) or from FILES.

    \b
    r2kit report --session lisbon-2026 --corridor NOR-ALD --corridor EST-BRE
    r2kit report --corridor NOR-ALD datasets/sample_assessments/*.json -o reports
    """
    from ..runner import Job, run_many

    if bool(name) == bool(files):
        raise R2kitError("Give either --session NAME or assessment FILES (not both).")
    if name:
        with open_store() as store:
            info = store.session(name)
            available = sorted(store.participants(name)["corridor_id"].unique())
            out = (output or store.reports_dir(name) / "corridors").resolve()
            params = {"session": name, "r2kit_home": str(store.home.resolve()), "files": []}
        title = info["title"]
    else:
        from .reporting import load

        data = load(files=[str(f) for f in files])  # every file must be valid: problems are listed here
        available = sorted(data.meta["corridor_id"].unique())
        out = (output or Path("r2kit-reports")).resolve()
        params = {"session": None, "r2kit_home": None, "files": [str(Path(f).resolve()) for f in files]}
        title = "Corridor report"
    if not available:
        raise R2kitError(f"Session {name!r} has no submissions yet: nothing to report.")
    wanted = list(dict.fromkeys(corridors)) or available
    jobs = [
        Job(
            name=c,
            notebook=TEMPLATES / "corridor_report.ipynb",
            output=out / "notebooks" / f"{c}.ipynb",
            parameters={**params, "corridor_id": c, "charts_dir": str(out / "charts" / c)},
            html=out / f"{c}.html",
            cwd=out,
            title=f"{title}: {c}",
        )
        for c in wanted
        if c in available
    ]
    make_dirs(out)
    click.echo(f"Writing {plural(len(wanted), 'corridor report')} into {out}...")
    summary = run_many(jobs, workers=workers)
    for c in wanted:
        if c not in available:
            summary.failed[c] = f"no assessment of corridor {c!r} here; corridors: {', '.join(available)}"
    click.echo(str(summary))
    if not summary.ok:
        sys.exit(1)
