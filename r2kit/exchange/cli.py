"""The exchange commands: `r2kit session ...`, `r2kit submit` and `r2kit report`.

Registered on the main `r2kit` group by `register(main)`. Heavy modules (papermill, nbconvert, Altair) are imported
inside the commands that need them, so `r2kit --help` stays fast.
"""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import click
import pandas as pd

from .. import display
from ..errors import R2kitError
from ..inert import for_terminal
from .folders import make_dirs

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _store():
    """The store of the data folder; its warnings (a folder other users can read) go to stderr once."""
    from .store import Store

    store = Store()
    for warning in store.warnings:
        click.secho(f"Warning: {for_terminal(warning, lines=True)}", fg="yellow", err=True)
    return store


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _table(frame: pd.DataFrame) -> str:
    """A plain-text table for the terminal (see r2kit.display.text_table); two decimals keep kappa readable."""
    return display.text_table(frame, decimals=2)


class InOrder(click.Group):
    """A command group that lists its commands in the order of a session, not alphabetically."""

    ORDER = (
        *("new", "list", "show", "import"),  # set up and collect
        *("views", "pairs", "groups", "review", "report"),  # learn together
        *("export", "remove", "delete"),  # data
    )

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands, key=lambda c: self.ORDER.index(c) if c in self.ORDER else len(self.ORDER))


@click.group("session", cls=InOrder)
def session_group() -> None:
    """Run a peer-learning exchange: create a session, import participants' files, pair them, report.

    \b
    r2kit session new lisbon-2026 --title "Lisbon exchange" --date 2026-11-20 --focus COVID-19
    r2kit session import lisbon-2026 ~/Downloads/assessments
    r2kit session show lisbon-2026
    r2kit session pairs lisbon-2026        # who can learn from whom
    r2kit session groups lisbon-2026 --size 4
    r2kit session report lisbon-2026       # a self-contained HTML report
    r2kit session delete lisbon-2026       # everything of the session, after confirmation

    Data live in R2KIT_HOME (default: a per-user folder); see docs/privacy.md.
    """


@session_group.command("new")
@click.argument("name")
@click.option("--title", help="A title for reports (default: the name).")
@click.option("--date", "held_on", metavar="YYYY-MM-DD", help="When the exchange takes place.")
@click.option("--focus", help="Optional thematic focus, e.g. COVID-19.")
def new_cmd(name, title, held_on, focus) -> None:
    """Create session NAME (letters, digits, '.', '-', '_'; e.g. lisbon-2026)."""
    with _store() as store:
        info = store.create_session(name, title, held_on, focus)
        click.echo(f"Created session {info['name']!r} ({info['title']}) in {store.home}.")
    click.echo(f"Next: r2kit session import {name} FOLDER   (or: r2kit submit --session {name} FILE...)")


@session_group.command("list")
def list_cmd() -> None:
    """List the sessions with their number of participants and rejected files."""
    with _store() as store:
        table = store.sessions()
        if table.empty:
            click.echo(f"No sessions yet in {store.home}. Create one with: r2kit session new NAME")
            return
        table["created_at"] = table["created_at"].str[:10]
        click.echo(f"Sessions in {store.home}:")
        click.echo(_table(table.rename(columns={"submissions": "participants"})))


@session_group.command("show")
@click.argument("name")
@click.option("--history", is_flag=True, help="List every version of every submission, not only the current ones.")
def show_cmd(name, history) -> None:
    """Show session NAME: details, participants, personal-data flags and rejected files."""
    with _store() as store:
        info = store.session(name)
        subs = store.submissions(name, history=history)
        rejected = store.rejected(name)
        folder = store.rejected_dir(name)
    click.echo(f"Session {info['name']}: {for_terminal(info['title'])}")
    bits = [f"held on {info['held_on']}" if info["held_on"] else ""]
    bits.append(f"focus {for_terminal(info['focus'])}" if info["focus"] else "")
    bits.append(f"created {info['created_at'][:16].replace('T', ' ')} UTC")
    click.echo("  " + ", ".join(b for b in bits if b))
    current = subs[subs["current"]]
    click.echo(
        f"  {_plural(len(current), 'participant')} (current submissions) for "
        f"{_plural(current['corridor_id'].nunique(), 'corridor')}"
        + (
            f" from {_plural(current['region'].dropna().nunique(), 'region')}"
            if current["region"].notna().any()
            else ""
        )
        + f"; {_plural(len(rejected), 'rejected file')}"
    )
    if not subs.empty:
        shown = subs.assign(
            submitted=subs["submitted_at"].str[:16].str.replace("T", " "),
            flags=subs["flags"].map(len),
            named=subs["named"].map({True: "yes", False: ""}),
        )
        cols = ["assessment_id", "role", "region", "answers", "version", "submitted", "named", "flags", "file_name"]
        if history:
            shown["current"] = shown["current"].map({True: "yes", False: ""})
            cols.insert(5, "current")
        click.echo("")
        click.echo(_table(shown[cols].rename(columns={"assessment_id": "participant", "file_name": "file"})))
    flagged = current[current["flags"].map(len) > 0]
    if not flagged.empty:
        click.echo("\nText that looks like personal data (ask the participant to remove it and submit with --replace):")
        for row in flagged.itertuples():
            for flag in row.flags:
                click.echo(f"  ! {row.assessment_id}: {for_terminal(flag)}")
    if rejected:
        click.echo(f"\nRejected files, kept in {folder} beside a .reason.txt:")
        for path in rejected:
            lines = _reason_lines(path.with_name(path.name + ".reason.txt"))
            first = next((ln.strip()[2:] for ln in lines if ln.startswith("  - ")), "see the reason file")
            more = sum(ln.startswith("  - ") for ln in lines) - 1
            note = "" if path.exists() else " [could not be read; no copy kept]"
            click.echo(
                f"  {for_terminal(path.name)}{note}: {for_terminal(first)}"
                + (f" (and {_plural(more, 'more problem')})" if more > 0 else "")
            )


def _reason_lines(reason: Path) -> list[str]:
    """The lines of a rejected file's reason file, or a line saying why it cannot be read."""
    try:
        return reason.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as err:
        return [f"  - the reason file cannot be read ({err.strerror or err})"]


STATUSES = {
    "stored": "stored",
    "replaced": "replaced (earlier version kept in the history)",
    "unchanged": "unchanged (already stored)",
    "refused": "refused (already submitted; use --replace)",
    "rejected": "rejected (kept with the reasons)",
    "failed": "failed (nothing stored; see the message)",
}


def _submit(name: str, paths: list[Path], replace: bool, quiet: bool, folder: Path | None = None) -> None:
    """Submit files one by one, printing one line per file as it is done, then a summary whose counts are true."""
    from tqdm import tqdm

    counts = dict.fromkeys(STATUSES, 0)
    with _store() as store:
        outcomes = store.submit(name, paths, replace=replace, folder=folder)
        bar = tqdm(total=len(paths), desc=f"Importing into {name}", unit="file", disable=None, file=sys.stderr)
        try:
            for outcome in outcomes:
                counts[outcome.status] += 1
                with tqdm.external_write_mode(file=sys.stderr):
                    _report_outcome(outcome, quiet)
                bar.update(1)
        except KeyboardInterrupt:
            bar.close()
            click.secho(
                f"\nInterrupted after {sum(counts.values())} of {len(paths)} files. Every file stored so far is "
                f"complete; run the same command again to finish (files already stored are skipped).",
                fg="yellow",
                err=True,
            )
            sys.exit(130)
        bar.close()
    summary = ", ".join(f"{counts[status]} {label}" for status, label in STATUSES.items() if counts[status])
    click.echo(f"\nSession {name}: {_plural(len(paths), 'file')}: {summary or 'nothing to do'}.")
    if counts["rejected"] or counts["refused"] or counts["failed"]:
        sys.exit(1)


def _report_outcome(outcome, quiet: bool) -> None:
    """One line for one file (problems indented below it); with quiet, files stored cleanly are not listed."""
    name = for_terminal(outcome.file)
    if outcome.status == "rejected":
        click.secho(f"REJECTED  {name}: {_plural(len(outcome.problems), 'problem')}", fg="red")
        for p in outcome.problems:
            click.echo(f"  - {for_terminal(p.where)}: {for_terminal(p.message)}")
        if outcome.kept_as:
            click.echo(f"  kept as {for_terminal(outcome.kept_as)} (reasons in {for_terminal(outcome.reason_file)})")
        else:
            click.echo(f"  not kept: it could not be read (reasons in {for_terminal(outcome.reason_file)})")
    elif outcome.status in ("refused", "failed"):
        click.secho(f"{outcome.status.upper():<9} {name}: {for_terminal(outcome.message)}", fg="yellow")
    elif outcome.problems:
        click.secho(f"FLAGGED   {name}: {for_terminal(outcome.message)}; please check:", fg="yellow")
        for p in outcome.problems:
            click.echo(f"  ! {for_terminal(p.where)}: {for_terminal(p.message)}")
    elif not quiet:
        click.echo(f"{outcome.status.upper():<9} {name}: {for_terminal(outcome.message)}")


@session_group.command("import")
@click.argument("name")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--pattern", default="*.json", show_default=True, help="Which files of FOLDER to import.")
@click.option(
    "--replace", is_flag=True, help="Let a participant's new file replace their earlier one (kept in history)."
)
@click.option("-q", "--quiet", is_flag=True, help="List only the files with problems, not every file.")
def import_cmd(name, folder, pattern, replace, quiet) -> None:
    """Import every assessment file in FOLDER into session NAME, one line per file.

    Valid files are stored (the same file twice is stored once); invalid ones are kept in the rejected folder
    beside a reason file and listed with the item and what was expected. Links out of FOLDER, pipes and devices
    are refused unread. Exits with 1 if any file was not stored.
    """
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and not _is_folder(p))
    paths = sorted(p for p in folder.glob(pattern) if not p.name.startswith(".") and not _is_folder(p))
    others = sorted(for_terminal(p.name) for p in entries if p not in set(paths))
    if others:
        shown = ", ".join(others[:8]) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
        click.secho(f"Skipping {_plural(len(others), 'file')} not matching {pattern}: {shown}", fg="yellow")
    if not paths:
        raise R2kitError(f"No files matching {pattern} in {for_terminal(folder)}.")
    _submit(name, paths, replace, quiet, folder=folder)


def _is_folder(path: Path) -> bool:
    """True for a real folder (a link is not followed here: the reader decides about links)."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


@click.command("submit")
@click.option("--session", "name", required=True, help="The session to submit to.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace your earlier submission (it is kept in the history).")
@click.option("-q", "--quiet", is_flag=True, help="List only the files with problems, not every file.")
def submit_cmd(name, files, replace, quiet) -> None:
    """Submit assessment FILES to an exchange session.

    \b
    r2kit submit --session lisbon-2026 NOR-ALD_GOV-1.json
    r2kit submit --session lisbon-2026 --replace NOR-ALD_GOV-1.json   # a corrected version
    """
    _submit(name, list(files), replace, quiet)


@session_group.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default NAME.FMT)."
)
@click.option("--history", is_flag=True, help="Export every version, not only the current submissions.")
def export_cmd(name, fmt, output, history) -> None:
    """Export session NAME's submissions as csv (tidy answers), xlsx (several sheets) or json (the documents)."""
    from .export import export

    output = output or Path(f"{name}.{fmt}")
    with _store() as store:
        path = export(store, name, fmt, output, history=history)
    click.echo(f"Wrote {path}.")
    click.echo("It holds participants' answers and evidence: keep it safe; deleting the session does not delete it.")


@session_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_cmd(name, yes) -> None:
    """Delete session NAME for good: every submission and version, rejected files and reports in the data folder."""
    with _store() as store:
        try:
            info = store.session(name)
        except R2kitError:
            leftovers = [str(f) for f in (store.rejected_dir(name), store.reports_dir(name)) if f.exists()]
            if store.unfinished(name):
                leftovers.append(f"deleted records still readable in {store.path} and its -wal log")
            if not leftovers:
                raise
            info = None
        if info is not None:
            versions = len(store.submissions(name, history=True))
            click.echo(
                f"This deletes session {name!r} ({info['title']}) for good: "
                f"{_plural(info['submissions'], 'participant')} ({_plural(versions, 'stored version')}), "
                f"{_plural(info['rejected'], 'rejected file')} and its reports in {store.home}."
            )
        else:
            click.echo(
                f"Session {name!r} is not in the store any more, but traces of it remain: {'; '.join(leftovers)}."
            )
        if not yes and not click.confirm(f"Delete session {name!r}?", default=False):
            click.echo("Nothing deleted.")
            return
        done = store.delete_session(name)
        home = store.home
    if done["found"]:
        click.echo(
            f"Deleted session {name!r}: {_plural(done['versions'], 'stored version')}, "
            f"{_plural(done['rejected'], 'rejected file')} and its reports."
        )
    else:
        click.echo(f"Deleted what remained of session {name!r}.")
    if done["remains"]:
        _not_finished(done["remains"], home, f"r2kit session delete {name} --yes")
    click.echo(f"Nothing of it remains in {home}. Exports you wrote elsewhere are not touched.")


@session_group.command("remove")
@click.argument("name")
@click.argument("participant", metavar="CORRIDOR/CODE")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_cmd(name, participant, yes) -> None:
    """Delete one participant's submission from session NAME, every version of it (e.g. NOR-ALD/GOV-1)."""
    if not yes and not click.confirm(f"Delete every version of {participant} from session {name!r}?", default=False):
        click.echo("Nothing deleted.")
        return
    with _store() as store:
        done = store.remove_participant(name, participant)
        home, reports = store.home, store.reports_dir(name)
    what = [_plural(done["versions"], "stored version")] if done["versions"] else []
    what += [_plural(done["rejected"], "rejected file")] if done["rejected"] else []
    if done["versions"]:
        click.echo(f"Deleted {participant} from session {name!r} ({', '.join(what)}).")
    else:
        click.echo(f"Deleted what remained of {participant} in session {name!r}" + (f" ({what[0]})." if what else "."))
    if done["reports"]:
        click.echo(
            f"The session's reports in {reports} showed every participant, so they were deleted: run them again "
            f"(r2kit session report {name}; r2kit report --session {name})."
        )
    if done["remains"]:
        _not_finished(done["remains"], home, f"r2kit session remove {name} {participant} --yes")
    click.echo(f"Nothing of {participant} remains in {home}. Reports and exports you wrote elsewhere are not touched.")


def _not_finished(remains: list[str], home: Path, again: str) -> None:
    """Say plainly what a deletion could not remove yet and how to finish it, then exit with 1."""
    click.secho("NOT FINISHED: some of it is still on this computer:", fg="red")
    for line in remains:
        click.echo(f"  - {line}")
    click.echo(
        f"Close the other notebooks and programs using {home} (in Jupyter: Kernel > Shut Down Kernel), then run "
        f"the same command again to finish:\n  {again}"
    )
    sys.exit(1)


@session_group.command("views")
@click.argument("name")
@click.option("--top", default=5, show_default=True, help="How many common gaps to list.")
def views_cmd(name, top) -> None:
    """Group views of session NAME: scores per theme across the group, common gaps, red lines (counts only)."""
    from .. import groupviews as views

    with _store() as store:
        info = store.session(name)
        answers, meta = store.answers(name), store.participants(name)
    if meta.empty:
        raise R2kitError(f"Session {name!r} has no submissions yet.")
    group = views.group_views(answers, meta, salt=info["label_salt"], top=top)
    click.echo(f"Session {name}: {_plural(len(meta), 'assessment')}. Counts and spreads only; no State is ranked.\n")
    dist = group["distribution"].assign(theme=lambda d: d["theme_id"].astype(str) + ". " + d["theme_title"].str[:44])
    click.echo("Scores per theme across the group (0-100):")
    numbers = ["min", "median", "max"]
    dist[numbers] = dist[numbers].round(0).astype("Int64")
    click.echo(_table(dist[["theme", "assessments", "min", "median", "max", "gaps", "strengths"]]))
    gaps = group["common_gaps"]
    click.echo(f"\nThe {len(gaps)} most common gaps (score under 50 or a red line at risk):")
    for row in gaps.itertuples():
        click.echo(f"  Theme {row.theme_id} {row.theme_title}: {row.assessments_with_gap} of {len(meta)} assessments")
    click.echo("\nRed lines across the group:")
    red = group["red_lines"].assign(question=lambda d: d["question"].map(lambda q: textwrap.shorten(q, 70)))
    click.echo(_table(red[["item_id", "at_risk", "unknown", "holds", "not_applicable", "question"]]))


@session_group.command("pairs")
@click.argument("name")
@click.option("--top", default=3, show_default=True, help="How many peers to suggest per participant.")
@click.option("--anonymised", is_flag=True, help="Show peer A, B ... instead of ids (to project in the room).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
def pairs_cmd(name, top, anonymised, fmt) -> None:
    """Who can learn from whom in session NAME: for each participant, peers strong where they have gaps."""
    from .. import groupviews as views
    from .. import matching

    with _store() as store:
        info = store.session(name)
        answers, meta = store.answers(name), store.participants(name)
    matches = matching.peer_matches(answers, meta, top=top)
    names = {a: a for a in meta["assessment_id"]}
    if anonymised:
        names = views.labels(meta, salt=info["label_salt"])
        matches = matches.assign(learner=matches["learner"].map(names), peer=matches["peer"].map(names))
    if fmt == "csv":
        from ..inert import to_csv

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
            click.echo(f"  {row.rank}. {row.peer}  ({_plural(row.n_themes, 'theme')}: {themes})")
    missing = sorted(set(names.values()) - set(matches["learner"]))
    if missing:
        click.echo(f"\nNo strong peer on their gaps: {', '.join(missing)}")


@session_group.command("groups")
@click.argument("name")
@click.option("--size", default=4, show_default=True, help="People per breakout group (some get one fewer).")
@click.option("--anonymised", is_flag=True, help="Show peer A, B ... instead of ids (to project in the room).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
def groups_cmd(name, size, anonymised, fmt) -> None:
    """Breakout groups for session NAME that maximise who can learn from whom and mix regions."""
    from .. import groupviews as views
    from .. import matching

    with _store() as store:
        info = store.session(name)
        answers, meta = store.answers(name), store.participants(name)
    if meta.empty:
        raise R2kitError(f"Session {name!r} has no submissions yet.")
    groups = matching.breakout_groups(answers, size, meta)
    if anonymised:
        groups = groups.assign(assessment_id=groups["assessment_id"].map(views.labels(meta, salt=info["label_salt"])))
        groups = groups.drop(columns=["corridor_id"])
    groups = groups.assign(**{c: groups[c].map(lambda t: " ".join(map(str, t))) for c in ("can_learn", "can_share")})
    if fmt == "csv":
        from ..inert import to_csv

        click.echo(to_csv(groups))
        return
    click.echo(f"Session {name}: {_plural(groups['group'].nunique(), 'breakout group')} of up to {size}.")
    click.echo("can learn / can share: themes where someone else in the group scores 75+ / under 50.\n")
    for g, part in groups.groupby("group"):
        click.echo(f"Group {g}:")
        click.echo(_table(part.drop(columns=["group"]).rename(columns={"assessment_id": "participant"})))


@session_group.command("review")
@click.argument("name")
def review_cmd(name) -> None:
    """Peer review in session NAME: pairs of assessors of the same corridor, their agreement and items to discuss."""
    from .. import matching

    with _store() as store:
        store.session(name)
        answers, meta = store.answers(name), store.participants(name)
    pairs = matching.review_pairs(answers, meta)
    if pairs.empty:
        click.echo("No corridor in this session was assessed by two teams.")
        return
    pairs = pairs.assign(agreement=(pairs["agreement"] * 100).round(0).astype("Int64").astype(str) + "%")
    click.echo(_table(pairs.round(2)))
    click.echo("\nagreement: items both answered the same; kappa: linear-weighted (1 = full agreement, 0 = chance).")


@session_group.command("report")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the report.")
@click.option("--size", default=4, show_default=True, help="People per breakout group in the report.")
def report_cmd(name, output, size) -> None:
    """Write session NAME's report: one self-contained HTML file (opens offline) plus SVG and PNG charts."""
    from ..runner import notebook_to_html, run_notebook

    with _store() as store:
        info = store.session(name)
        if not info["submissions"]:
            raise R2kitError(f"Session {name!r} has no submissions yet: nothing to report.")
        out = (output or store.reports_dir(name)).resolve()
        home = str(store.home.resolve())
    charts = out / "charts"
    click.echo(f"Running the session report for {name} ({_plural(info['submissions'], 'participant')})...")
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
        with _store() as store:
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
    click.echo(f"Writing {_plural(len(wanted), 'corridor report')} into {out}...")
    summary = run_many(jobs, workers=workers)
    for c in wanted:
        if c not in available:
            summary.failed[c] = f"no assessment of corridor {c!r} here; corridors: {', '.join(available)}"
    click.echo(str(summary))
    if not summary.ok:
        sys.exit(1)


def register(main: click.Group) -> None:
    """Add the exchange commands to the `r2kit` command group."""
    main.add_command(session_group)
    main.add_command(submit_cmd)
    main.add_command(corridor_report_cmd)
