"""The `r2kit` command: browse the knowledge base, validate and score assessments, run exchange sessions.

Every error r2kit raises on purpose is printed as a plain message (exit code 2), never a traceback.
"""

from __future__ import annotations

import sys
import textwrap

import click
import pandas as pd

from . import checklist, data, display, explore, inert
from .errors import R2kitError, log_unexpected, unknown
from .inert import for_terminal

# Columns shown when a dataset is listed as a table (the rest appear with `r2kit show NAME ID`).
LIST_COLUMNS = {
    "sources": ["doc_id", "year", "title"],
    "definitions": ["term_id", "term"],
    "principles": ["principle_id", "principle_set", "title"],
    "themes": ["theme_id", "phase", "title"],
    "practices": ["practice_id", "country", "theme_ids", "title"],
    "gcm_actions": ["action_id", "title"],
    "sdg_targets": ["target_id", "goal_title", "summary"],
    "crosswalk": ["link_id", "theme_id", "link_type", "principle_id", "action_id", "sdg_target"],
    "checklist": ["item_id", "red_line", "question"],
    "answer_scale": ["answer_code", "label", "score"],
}
LENSES = ["human-rights", "gender-responsive", "child-sensitive", "covid-19"]


class Group(click.Group):
    """A click group that shows people plain messages: R2kitError as it is (exit 2), anything else as a pointer to
    a log with the details (exit 3). No traceback reaches a facilitator's terminal."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except R2kitError as err:
            click.secho(f"Error: {for_terminal(err, lines=True)}", fg="red", err=True)
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception:
            from .exchange.store import home

            log = log_unexpected(home(), f"r2kit {' '.join(sys.argv[1:])}")
            click.secho(
                f"Error: r2kit met an unexpected problem and stopped. Nothing was half-written. "
                f"The details for a developer are in {log}.",
                fg="red",
                err=True,
            )
            ctx.exit(3)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="r2kit")
def main() -> None:
    """r2kit: safe and dignified return and sustainable reintegration, for peer-learning exchanges.

    \b
    Browse:   r2kit datasets | r2kit show practices --theme 6 | r2kit show themes 6
    Assess:   r2kit validate FILE... | r2kit score FILE
    Exchange: r2kit session new NAME | r2kit submit --session NAME FILE... | r2kit session report NAME
    """


def _frame_output(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return inert.to_csv(frame)
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=2)
    shown = display.for_people(frame)
    for col in shown.columns:  # long text is cut in table view only
        shown[col] = shown[col].map(lambda v: textwrap.shorten(v, 70, placeholder="...") if isinstance(v, str) else v)
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 72):
        return shown.to_string(index=False, na_rep="")


def _record_output(record: pd.Series) -> str:
    lines = []
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif pd.isna(value):
            value = ""
        text = textwrap.fill(str(value), width=88, initial_indent="  ", subsequent_indent="  ")
        lines.append(f"{key}:\n{text}" if len(str(value)) > 60 else f"{key}: {value}")
    return "\n".join(lines)


@main.command("datasets")
def datasets_cmd() -> None:
    """List the datasets of the knowledge base, with their size and description."""
    for res in data.package()["resources"]:
        rows = len(data.load(res["name"]))
        click.echo(f"{res['name']:<14}{rows:>5} rows  {res['title']}")
    click.echo("\nShow one: r2kit show NAME [ID]   Fields: r2kit dictionary NAME")


@main.command("show")
@click.argument("name")
@click.argument("record_id", required=False)
@click.option("--theme", type=int, help="Only records of this theme (1-19).")
@click.option("--phase", type=click.Choice(checklist.PHASES), help="Only records of this phase.")
@click.option("--country", help="Only practices of this country (name or ISO3 code).")
@click.option("--lens", type=click.Choice(LENSES), help="Only records tagged with this lens.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def show_cmd(name, record_id, theme, phase, country, lens, fmt) -> None:
    """Browse dataset NAME, or show one record by its ID.

    \b
    r2kit show practices --theme 6
    r2kit show themes 6
    r2kit show checklist --lens child-sensitive --format csv > items.csv
    """
    frame = data.load(name)
    if record_id is not None:
        key = data.resource(name)["schema"]["primaryKey"][0]
        ids = frame[key].astype(str)
        match = frame[ids.str.casefold() == record_id.casefold()]
        if match.empty:
            raise unknown(f"{name} id", record_id, ids.tolist())
        record = match.iloc[0]
        click.echo(_frame_output(match, fmt) if fmt != "table" else _record_output(record))
        return
    frame = explore.filter_records(name, frame, theme=theme, phase=phase, country=country, lens=lens)
    if frame.empty:
        click.echo("No records match these filters.")
        return
    if fmt == "table":
        frame = frame[LIST_COLUMNS.get(name, list(frame.columns))]
    click.echo(_frame_output(frame, fmt), nl=fmt != "csv")


@main.command("dictionary")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "markdown"]), default="table", show_default=True)
def dictionary_cmd(name, fmt) -> None:
    """The data dictionary: every field of every dataset (or of NAME), its type and meaning."""
    if fmt == "markdown":
        from .docs import dictionary_markdown

        click.echo(dictionary_markdown(), nl=False)
        return
    click.echo(_frame_output(data.data_dictionary(name), fmt))


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
def validate_cmd(files) -> None:
    """Check assessment FILES; list every problem with the file, the item and what was expected.

    Exits with 1 when any file is invalid. Warnings (for example text that looks like personal data) do not fail.
    """
    from .exchange.store import home
    from .validation import Problem, read_problems

    invalid = 0
    for path in files:
        try:
            doc, problems = read_problems(path)
        except Exception:  # one file's surprise never stops the others
            log = log_unexpected(home(), f"validating {path}")
            doc, problems = None, [Problem(path, "the file", f"could not be checked (details in {log})")]
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        shown = for_terminal(path)
        if errors:
            invalid += 1
            click.secho(f"INVALID {shown}: {len(errors)} problem{'s' if len(errors) != 1 else ''}", fg="red")
            for p in errors:
                click.echo(f"  - {for_terminal(p.where)}: {for_terminal(p.message)}")
        else:
            click.secho(f"OK      {shown}: corridor {doc['corridor']['id']}, {len(doc['answers'])} answers", fg="green")
        for p in warnings:
            click.secho(f"  ! {for_terminal(p.where)}: {for_terminal(p.message)}", fg="yellow")
    if len(files) > 1:
        click.echo(f"\n{len(files) - invalid} valid, {invalid} invalid")
    if invalid:
        sys.exit(1)


@main.command("score")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for reading; csv or json (theme scores) for spreadsheets and other tools.",
)
@click.option("--top", default=5, show_default=True, help="How many priority gaps to list.")
def score_cmd(file, fmt, top) -> None:
    """Print the gap profile of one assessment FILE: scores by phase and theme, red lines, priority gaps."""
    from . import analysis
    from .assessment import Assessment

    a = Assessment.load(file)
    answers = a.answers_frame()
    themes = analysis.theme_scores(answers)
    if fmt != "table":
        out = themes.drop(columns=["assessment_id"]).round(1)
        text = inert.to_csv(out) if fmt == "csv" else out.to_json(orient="records", indent=2)
        click.echo(text, nl=fmt != "csv")
        return
    who = f"{a.assessor['code']} ({a.assessor['role']}) on {a.assessed_on}"
    click.echo(f"Gap profile: {for_terminal(a.title)}, assessed by {who}")
    click.echo("A self-assessment for learning: scores show where practice can grow, not a grade of any State.\n")
    # The same honest summary a participant reads: no overall score until every theme has an answer.
    click.echo(textwrap.fill(analysis.progress_text(answers), 100))
    click.echo("\nBy phase (blank: no theme of the phase has a score yet):")
    for row in analysis.phase_scores(answers).itertuples():
        click.echo(f"  {row.phase:<12} {'' if pd.isna(row.score) else f'{row.score:5.0f}'}")
    click.echo("\nBy theme (score 0-100; coverage = share of applicable items answered):")
    table = themes[["theme_id", "phase", "theme_title", "score", "coverage", "red_lines_at_risk"]].copy()
    table["score"] = table["score"].round(0)
    table["coverage"] = (table["coverage"] * 100).round(0).astype("Int64").astype(str) + "%"
    table["theme_title"] = table["theme_title"].map(lambda t: textwrap.shorten(t, 48, placeholder="..."))
    click.echo(
        textwrap.indent(table.rename(columns={"red_lines_at_risk": "red lines at risk"}).to_string(index=False), "  ")
    )
    rl = analysis.red_lines(answers)
    rl = rl.assign(words=analysis.red_line_status(rl))
    click.echo("\nRed lines (never averaged away), those not known to hold:")
    for row in rl[rl["status"].isin(["at risk", "unknown"])].itertuples():
        click.echo(
            textwrap.fill(
                f"[{row.words}] {row.item_id}: {row.question}", 100, initial_indent="  ", subsequent_indent="      "
            )
        )
    click.echo("\nPriority gaps (red lines at risk first, then lowest scores):")
    gaps = analysis.gap_resources(answers, top)
    if gaps.empty:
        click.echo("  none: no theme scores under 50 and no red line is at risk.")
    for row in gaps.itertuples():
        click.echo(f"  {row.rank}. Theme {row.theme_id} {row.theme_title} ({row.reason})")
        click.echo(
            textwrap.fill(
                f"practices: {row.practices}; GCM actions: {row.gcm_actions or '-'}; "
                f"SDG targets: {row.sdg_targets or '-'}",
                100,
                initial_indent="     ",
                subsequent_indent="     ",
            )
        )


from .exchange.cli import register  # noqa: E402  (the exchange commands: session, submit, report)

register(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
