"""The exchange commands: `r2kit session ...`, `r2kit submit` and `r2kit report`.

This module holds the `session` group and its commands to set up a session and handle its data (new, list, show,
import, export, remove, delete) and `r2kit submit`; the commands for learning together (views, pairs, groups,
review, report) are in r2kit.exchange.group_commands and are added to the same group here. Registered on the main
`r2kit` group by `register(main)`. Heavy modules are imported inside the commands that need them, so
`r2kit --help` stays fast.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import click

from ..errors import R2kitError
from ..inert import for_terminal
from .group_commands import corridor_report_cmd, groups_cmd, pairs_cmd, report_cmd, review_cmd, views_cmd
from .terminal import open_store, plural, text_table


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
    with open_store() as store:
        info = store.create_session(name, title, held_on, focus)
        click.echo(f"Created session {info['name']!r} ({info['title']}) in {store.home}.")
    click.echo(f"Next: r2kit session import {name} FOLDER   (or: r2kit submit --session {name} FILE...)")


@session_group.command("list")
def list_cmd() -> None:
    """List the sessions with their number of participants and rejected files."""
    with open_store() as store:
        table = store.sessions()
        if table.empty:
            click.echo(f"No sessions yet in {store.home}. Create one with: r2kit session new NAME")
            return
        table["created_at"] = table["created_at"].str[:10]
        click.echo(f"Sessions in {store.home}:")
        click.echo(text_table(table.rename(columns={"submissions": "participants"})))


@session_group.command("show")
@click.argument("name")
@click.option("--history", is_flag=True, help="List every version of every submission, not only the current ones.")
def show_cmd(name, history) -> None:
    """Show session NAME: details, participants, personal-data flags and rejected files."""
    with open_store() as store:
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
        f"  {plural(len(current), 'participant')} (current submissions) for "
        f"{plural(current['corridor_id'].nunique(), 'corridor')}"
        + (f" from {plural(current['region'].dropna().nunique(), 'region')}" if current["region"].notna().any() else "")
        + f"; {plural(len(rejected), 'rejected file')}"
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
        click.echo(text_table(shown[cols].rename(columns={"assessment_id": "participant", "file_name": "file"})))
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
                + (f" (and {plural(more, 'more problem')})" if more > 0 else "")
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


def _rejected_label(rejected: int, unread: int) -> str:
    """What became of rejected files, truthfully: copies kept with reasons, or only reasons for unreadable ones."""
    if not unread:
        return STATUSES["rejected"]
    if unread == rejected:
        return "rejected (they could not be read: reasons kept, no copies)"
    return f"rejected ({rejected - unread} kept with the reasons, {unread} could not be read: reasons only)"


def _submit(name: str, paths: list[Path], replace: bool, quiet: bool, folder: Path | None = None) -> None:
    """Submit files one by one, printing one line per file as it is done, then a summary whose counts are true."""
    from tqdm import tqdm

    counts, unread = dict.fromkeys(STATUSES, 0), 0
    with open_store() as store:
        outcomes = store.submit(name, paths, replace=replace, folder=folder)
        bar = tqdm(total=len(paths), desc=f"Importing into {name}", unit="file", disable=None, file=sys.stderr)
        try:
            for outcome in outcomes:
                counts[outcome.status] += 1
                unread += outcome.status == "rejected" and outcome.kept_as is None
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
    labels = {**STATUSES, "rejected": _rejected_label(counts["rejected"], unread)}
    summary = ", ".join(f"{counts[status]} {labels[status]}" for status in STATUSES if counts[status])
    click.echo(f"\nSession {name}: {plural(len(paths), 'file')}: {summary or 'nothing to do'}.")
    if counts["rejected"] or counts["refused"] or counts["failed"]:
        sys.exit(1)


def _report_outcome(outcome, quiet: bool) -> None:
    """One line for one file (problems indented below it); with quiet, files stored cleanly are not listed."""
    name = for_terminal(outcome.file)
    if outcome.status == "rejected":
        click.secho(f"REJECTED  {name}: {plural(len(outcome.problems), 'problem')}", fg="red")
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
        click.secho(f"Skipping {plural(len(others), 'file')} not matching {pattern}: {shown}", fg="yellow")
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
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: NAME.FMT in the session's exports folder, inside the data folder).",
)
@click.option("--history", is_flag=True, help="Export every version, not only the current submissions.")
@click.option(
    "--anonymised",
    is_flag=True,
    help="Participants who did not choose to be named appear as peer A, B ...; no corridor ids or countries "
    "(csv and xlsx).",
)
def export_cmd(name, fmt, output, history, anonymised) -> None:
    """Export session NAME's submissions as csv (tidy answers), xlsx (a workbook for people) or json (the files).

    The xlsx workbook opens with an About sheet that explains every sheet and column.
    """
    from .export import export

    with open_store() as store:
        path = export(store, name, fmt, output, history=history, anonymised=anonymised).resolve()
        inside = path.is_relative_to(store.reports_dir(name).resolve())
    click.echo(f"Wrote {for_terminal(str(path))}")
    if anonymised:
        click.echo("Participants who did not choose to be named appear as peer A, B ...; evidence is their own text.")
    else:
        click.echo("It names participants and holds their answers and evidence: keep it safe.")
    click.echo(
        "It is in the session's folder in the data folder: deleting the session deletes it too."
        if inside
        else "Deleting the session does not delete it: it is yours to keep safe and to delete."
    )


@session_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_cmd(name, yes) -> None:
    """Delete session NAME for good: every submission and version, rejected files and reports in the data folder."""
    with open_store() as store:
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
                f"{plural(info['submissions'], 'participant')} ({plural(versions, 'stored version')}), "
                f"{plural(info['rejected'], 'rejected file')} and its reports in {store.home}."
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
            f"Deleted session {name!r}: {plural(done['versions'], 'stored version')}, "
            f"{plural(done['rejected'], 'rejected file')} and its reports."
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
    with open_store() as store:
        done = store.remove_participant(name, participant)
        home, reports = store.home, store.reports_dir(name)
    what = [plural(done["versions"], "stored version")] if done["versions"] else []
    what += [plural(done["rejected"], "rejected file")] if done["rejected"] else []
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


for command in (views_cmd, pairs_cmd, groups_cmd, review_cmd, report_cmd):
    session_group.add_command(command)


def register(main: click.Group) -> None:
    """Add the exchange commands to the `r2kit` command group."""
    main.add_command(session_group)
    main.add_command(submit_cmd)
    main.add_command(corridor_report_cmd)
