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
import pandas as pd

from .. import groupviews as views
from .. import matching
from ..errors import R2kitError
from ..inert import for_terminal, to_csv
from .folders import make_dirs
from .reporting import review_table
from .terminal import open_store, plural, text_table

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ANONYMISED = click.option(
    "--anonymised", is_flag=True, help="Show peer A, B ... instead of ids (to project in the room)."
)
WIDTH = 100  # characters per line of the pairs list in a terminal
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
    dist = group["distribution"].assign(theme=lambda d: d["theme_id"].astype(str) + ". " + d["theme_title"])
    click.echo("Scores per theme across the group (0-100):")
    numbers = ["min", "median", "max"]
    dist[numbers] = dist[numbers].round(0).astype("Int64")
    click.echo(text_table(dist[["theme", "assessments", "min", "median", "max", "gaps", "strengths"]]))
    gaps = group["common_gaps"]
    click.echo(f"\nThe {len(gaps)} most common gaps (score under 50 or a red line at risk):")
    for row in gaps.itertuples():
        click.echo(f"  Theme {row.theme_id} {row.theme_title}: {row.assessments_with_gap} of {len(meta)} assessments")
    click.echo("\nRed lines across the group:")
    red = group["red_lines"]  # the question last and in full: a terminal wraps it, nothing is cut
    click.echo(text_table(red[["item_id", "at_risk", "unknown", "holds", "not_applicable", "question"]]))


@click.command("pairs")
@click.argument("name")
@click.option("--top", default=3, show_default=True, help="How many peers to suggest per participant.")
@ANONYMISED
@TABLE_OR_CSV
def pairs_cmd(name, top, anonymised, fmt) -> None:
    """Who can learn from whom in session NAME: one row per participant, with the peers strong where they have gaps.

    The table names each peer with the themes that make the match; --format csv gives one row per match.
    """
    info, answers, meta = _session_group(name, required=False)
    matches = matching.peer_matches(answers, meta, top=top)
    names = views.labels(meta, salt=info["label_salt"]) if anonymised else {a: a for a in meta["assessment_id"]}
    matches = matches.assign(learner=matches["learner"].map(names), peer=matches["peer"].map(names))
    if fmt == "csv":
        click.echo(to_csv(matches.assign(theme_ids=matches["theme_ids"].map(lambda t: " ".join(map(str, t))))))
        return
    if meta.empty:
        click.echo(f"Session {name} has no submissions yet.")
        return
    everyone = sorted(names.values(), key=views.label_key)
    table = matching.learning_table(matches, everyone)
    click.echo(
        f"Session {name}: {plural(len(everyone), 'participant')}, one row each. A peer is suggested where it scores "
        "75 or more on themes where the participant scores under 50; strongest match first.\n"
    )
    headings = {"participant": "participant", "peers": "peers", "can_learn_from": "can learn from (peer: themes)"}
    click.echo(wrapped_table(table, headings))
    without = int((table["peers"] == 0).sum())
    if without:
        click.echo(f"\n{plural(without, 'participant')} with no strong peer on their gaps.")


def wrapped_table(frame: pd.DataFrame, columns: dict[str, str], width: int = WIDTH) -> str:
    """A plain-text table, one row per record: the last column wraps onto further lines under itself (each line of
    its text starts a new line), so a long cell never breaks the table. Controls in text are shown, never obeyed."""
    *left, last = columns
    cells = {c: [for_terminal(v) for v in frame[c].astype(str)] for c in left}
    widths = {c: max([len(columns[c])] + [len(v) for v in cells[c]]) for c in left}
    indent = sum(widths.values()) + 2 * len(left) + 2
    room = max(30, width - indent)
    numeric = {c for c in left if pd.api.types.is_numeric_dtype(frame[c])}

    def start(values: dict[str, str]) -> str:
        return "  " + "".join((str.rjust if c in numeric else str.ljust)(values[c], widths[c]) + "  " for c in left)

    lines = [start({c: columns[c] for c in left}) + columns[last]]
    for n, text in enumerate(frame[last].astype(str)):
        wrapped = [
            piece
            for line in text.splitlines() or [""]
            for piece in textwrap.wrap(for_terminal(line), room, subsequent_indent="    ") or [""]
        ]
        lines.append(start({c: cells[c][n] for c in left}) + wrapped[0])
        lines.extend(" " * indent + piece for piece in wrapped[1:])
    return "\n".join(line.rstrip() for line in lines)


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
    click.echo(text_table(review_table(pairs)))
    click.echo(
        "\nagreement: share of the items both scored that got the same answer; "
        "kappa: linear-weighted (1 = full agreement, 0 = chance)."
    )


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
    charts, tables = out / "charts", out / "tables"
    click.echo(f"Running the session report for {name} ({plural(info['submissions'], 'participant')})...")
    executed = run_notebook(
        TEMPLATES / "session_report.ipynb",
        out / "session_report.ipynb",
        {"session": name, "r2kit_home": home, "charts_dir": str(charts), "tables_dir": str(tables), "group_size": size},
        cwd=out,
    )
    html = notebook_to_html(executed, out / "session_report.html", title=f"{info['title']}: session report")
    click.echo(f"Wrote {html}\n  (one file, opens offline in any browser)")
    click.echo(f"Charts for slides (SVG and PNG): {charts}\nFull tables for a spreadsheet (CSV and XLSX): {tables}")


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
