"""The session report: the group's view at any size (bands, paged tables), its charts and spreadsheet tables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ... import groupviews, matching
from .data import ReportData, labelled
from .markup import as_html, esc, formatted, percent, show

MAP_MAX_PARTICIPANTS = 16  # a gap map with one column per participant is shown (and fits a slide) up to this many



@dataclass
class SessionView:
    """Everything the session report shows, anonymised: participants appear by label (peer A ...) unless named."""

    labels: dict[str, str]  # assessment_id -> label
    themes: pd.DataFrame  # every participant's theme scores (ids, with a label column)
    distribution: pd.DataFrame  # per theme: spread of scores
    common_gaps: pd.DataFrame  # themes most participants have a gap on
    red_lines: pd.DataFrame  # per red-line item: counts
    bands: pd.DataFrame  # per theme: how many participants in each score band (19 rows at any size)
    scores: pd.DataFrame  # one row per participant: label, a score per theme, gaps, red lines at risk
    matches: pd.DataFrame  # who can learn from whom, one row per match (learner, rank, peer, themes), labelled
    learning: pd.DataFrame  # the same, one row per participant (participant, peers, can_learn_from)
    groups: pd.DataFrame  # breakout groups, labelled
    reviews: pd.DataFrame  # peer-review pairs (two teams of one corridor), labelled

    @property
    def participants(self) -> int:
        """How many participants (assessments) the report covers."""
        return len(self.labels)


def session_view(data: ReportData, group_size: int = 4) -> SessionView:
    """What the session report shows, computed once: group views, score bands, who learns from whom, groups, reviews."""
    group = groupviews.group_views(data.answers, data.meta, salt=data.salt)
    names = group["labels"]
    matches = labelled(matching.peer_matches(data.answers, data.meta), names, ("learner", "peer"))
    everyone = sorted(names.values(), key=groupviews.label_key)
    return SessionView(
        labels=names,
        themes=group["themes"],
        distribution=group["distribution"],
        common_gaps=group["common_gaps"],
        red_lines=group["red_lines"],
        bands=groupviews.score_bands(group["themes"]),
        scores=groupviews.score_table(group["themes"], names),
        matches=matches,
        learning=matching.learning_table(matches, everyone),
        groups=labelled(matching.breakout_groups(data.answers, group_size, data.meta), names, ("assessment_id",)),
        reviews=groupviews.in_label_order(
            labelled(matching.review_pairs(data.answers, data.meta), names, ("first", "second")), "first"
        ),
    )


def group_map(themes: pd.DataFrame, labels: dict[str, str], title: str = "Gap map (anonymised)") -> dict:
    """The group's gap map for slides: score bands per theme (any size) and, for up to MAP_MAX_PARTICIPANTS
    participants, the map with one column each (larger groups would not fit a slide: their table has every row)."""
    from ... import charts

    figures = {"score_bands": charts.score_bands(groupviews.score_bands(themes))}
    if themes["assessment_id"].nunique() <= MAP_MAX_PARTICIPANTS:
        figures["gap_map"] = charts.theme_heatmap(themes, labels=labels, title=title)
    return figures


def session_charts(view: SessionView) -> dict:
    """The session report's charts by file name: the spread per theme, score bands, and the gap map (small groups)."""
    from ... import charts

    return {"distribution": charts.distribution(view.themes)} | group_map(view.themes, view.labels)


def participant_map(figures: dict, participants: int):
    """The gap map with one column per participant, or a note on where to find every participant's scores instead."""
    return show(
        figures,
        "gap_map",
        empty=f"With {participants} participants, a map with one column each would not fit a page or a slide: the "
        f"chart above counts them per theme, and the table below lists every participant's scores.",
    )


THEME_COLUMNS_NOTE = "Columns 1 to 19 are the themes (titles in the first table of this report)."


def score_columns(scores: pd.DataFrame) -> dict[str, str]:
    """Headings for the per-participant score table in a report: theme numbers (short), then gaps and red lines."""
    themes = {c: str(c) for c in scores.columns if isinstance(c, (int, np.integer))}
    return {"participant": "Participant"} | themes | {"gaps": "Gaps", "red_lines_at_risk": "Red lines at risk"}


def spreadsheet_tables(view: SessionView) -> dict[str, tuple[pd.DataFrame, str, dict[str, tuple[str, str]]]]:
    """The report's full tables for a spreadsheet: {file name: (table, what it holds, {column: (heading, meaning)})}."""
    titles = view.bands.set_index("theme_id")["theme_title"]
    theme_columns = {
        c: (f"{c}. {titles.get(c, '')}", f"Score 0-100 on theme {c}; blank if none of its items was scored.")
        for c in view.scores.columns
        if isinstance(c, (int, np.integer))
    }
    who = ("Participant", "peer A, peer B ... (anonymised), or corridor/code for those who chose to be named.")
    band_words = dict(groupviews.SCORE_BANDS)
    return {
        "theme_scores": (
            view.scores,
            "Every participant's score per theme (the gap map as a table).",
            {"participant": who}
            | theme_columns
            | {
                "gaps": ("Gaps (themes under 50)", "How many themes score under 50."),
                "red_lines_at_risk": ("Red lines at risk", "Red-line items not yet in place and applied."),
            },
        ),
        "score_bands": (
            view.bands,
            "For each theme, how many participants score in each band.",
            {
                "theme_id": ("Theme", "Theme number (1-7 pre-return, 8-11 return, 12-19 post-return)."),
                "theme_title": ("Title", "The theme's title."),
                "phase": ("Phase", "pre-return, return or post-return."),
            }
            | {b: (words.capitalize(), f"Participants scoring {words}.") for b, words in band_words.items()}
            | {"assessments": ("Participants", "All participants (each row adds up to this).")},
        ),
        "who_can_learn_from_whom": (
            view.matches,
            "One row per match: a participant, and a peer scoring 75 or more on themes where they score under 50.",
            {
                "learner": ("Participant", "Who can learn."),
                "rank": ("Rank", "1 for the strongest match."),
                "peer": ("Can learn from", "The peer."),
                "themes": ("Themes", "The themes that make the match."),
                "n_themes": ("Number of themes", "How many themes make the match."),
            },
        ),
        "breakout_groups": (
            view.groups,
            "Breakout groups that put together participants who can learn from each other.",
            {
                "group": ("Group", "Group number."),
                "assessment_id": who,
                "region": ("Region", "The region the participant gave, if any."),
                "can_learn": ("Can learn (themes)", "Themes where someone else in the group scores 75 or more."),
                "can_share": ("Can share (themes)", "Themes where someone else in the group scores under 50."),
            },
        ),
        "peer_review": (
            view.reviews.assign(agreement=view.reviews["agreement"].round(2), kappa=view.reviews["kappa"].round(2)),
            "Two teams that assessed the same corridor: how often they agree.",
            {
                "first": ("First", "One team."),
                "second": ("Second", "The other team of the same corridor."),
                "compared": ("Items compared", "Items both teams scored (0 to 3)."),
                "agreement": ("Agreement", "Share of the items compared that got the same answer (shown as %)."),
                "kappa": ("Weighted kappa", "Linear-weighted kappa: 1 full agreement, 0 no more than chance."),
                "to_discuss": ("Items to discuss", "Items two or more levels apart, or scored by one team only."),
            },
        ),
    }


def save_tables(view: SessionView, folder: str | os.PathLike, title: str = "Session report") -> list[Path]:
    """Write the report's full tables beside it: one CSV each (opens in any spreadsheet) and one XLSX with them all
    and an About sheet. Participants' text is made inert; participants appear as in the report (anonymised)."""
    from ... import __version__, inert
    from ..export import Sheet, write_workbook
    from ..folders import make_dirs

    folder = make_dirs(folder)
    written, sheets = [], []
    for name, (frame, about, columns) in spreadsheet_tables(view).items():
        frame = frame[list(columns)]
        frame = frame.assign(**{c: frame[c].map(_as_text) for c in frame.columns if frame[c].dtype == object})
        path = folder / f"{name}.csv"
        headings = {c: heading for c, (heading, _) in columns.items()}
        as_csv = frame.assign(**{c: frame[c].map(percent) for c in frame.columns if c in PERCENT_IN_CSV})
        inert.to_csv(as_csv.rename(columns=headings), path, encoding="utf-8-sig")  # a BOM: Excel then reads UTF-8
        written.append(path)
        sheets.append(Sheet(name.replace("_", " ").capitalize(), frame, about, columns, {"agreement": "0%"}))
    facts = [
        ("Report", title),
        ("Participants", str(view.participants)),
        ("Participants named?", "Anonymised, as in the report: peer A, peer B ... unless they chose to be named."),
        ("Where the data came from", "The assessments submitted to the session, through r2kit's session report."),
        ("Made on", pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC")),
        ("r2kit version", __version__),
    ]
    book = folder / "session_tables.xlsx"
    write_workbook(book, sheets, facts)
    return [*written, book]


PERCENT_IN_CSV = {"agreement"}  # written "58%", which spreadsheets read as the number 0.58 shown as a percentage


def _as_text(value: object) -> object:
    """Lists (theme numbers) as '3, 7' for a CSV cell; anything else unchanged."""
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value


def review_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Peer-review pairs as people read them, the same in reports and on the command line: agreement as a
    percentage ('58%'), kappa with two decimals ('0.43')."""
    return formatted(pairs)


def header(data: ReportData, viewer: str | None = None):
    """The report's opening: title, date and focus, who took part (counts only), and how to read it."""
    info = data.session
    meta = data.meta
    lines = [f"<h1>{esc(data.title)}</h1>"]
    details = [
        f"Session <b>{esc(info['name'])}</b>" if info.get("name") else "",
        f"held on {esc(info['held_on'])}" if info.get("held_on") else "",
        f"thematic focus: {esc(info['focus'])}" if info.get("focus") else "",
    ]
    if any(details):
        lines.append("<p>" + ", ".join(d for d in details if d) + ".</p>")
    regions = meta["region"].dropna().nunique() if "region" in meta else 0
    lines.append(
        f"<p>{len(meta)} assessment{'s' if len(meta) != 1 else ''} of {meta['corridor_id'].nunique()} "
        f"corridor{'s' if meta['corridor_id'].nunique() != 1 else ''}"
        + (f" from {regions} region{'s' if regions != 1 else ''}" if regions else "")
        + ".</p>"
    )
    if viewer:
        lines.append(
            f"<p>Prepared for <b>{esc(viewer)}</b>: your own corridor is named; other participants appear "
            "as peer A, peer B ... unless they chose to be named.</p>"
        )
    lines.append(
        "<p><i>A reflection tool, not a league table: scores show where practice can grow and who can learn from "
        "whom. Nothing here grades or ranks a State. Group figures are counts and spreads; individual participants "
        "are anonymised.</i></p>"
    )
    return as_html("\n".join(lines))
