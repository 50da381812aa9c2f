"""Building blocks of the session and corridor report notebooks (r2kit/templates/*.ipynb).

Each returns something a notebook cell displays: escaped HTML (participants' text always shows as text, never as
markup or script) or inline SVG charts, so the exported HTML report needs no JavaScript and no network.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import analysis, display, groupviews, matching
from ..errors import R2kitError

CHART_FORMATS = ("svg", "png")
MAP_MAX_PARTICIPANTS = 16  # a gap map with one column per participant is shown (and fits a slide) up to this many
PAGE_ROWS = 50  # longer tables are shown in pages of this many rows (each page folds open; no JavaScript)
_TABLE_STYLE = (
    "<style>.r2kit-table th, .r2kit-table td "
    "{text-align: left !important; vertical-align: top; padding: 2px 8px}"
    " details.r2kit-page summary {cursor: pointer; margin: 4px 0}</style>"
)


@dataclass
class ReportData:
    """What a report shows: a title, the session's details (if any), answers, participants' metadata, label salt."""

    title: str
    answers: pd.DataFrame
    meta: pd.DataFrame
    session: dict = field(default_factory=dict)
    salt: str = ""


def load(
    session: str | None = None, files: list[str] | tuple = (), home: str | os.PathLike | None = None
) -> ReportData:
    """Report data from a session in the store, or from assessment files (every file must be valid)."""
    if session:
        from .store import Store

        with Store(home) as store:
            info = store.session(session)
            answers, meta = store.answers(session), store.participants(session)
        if meta.empty:
            raise R2kitError(f"Session {session!r} has no submissions yet: nothing to report.")
        return ReportData(info["title"], answers, meta, info, info["label_salt"])
    if not files:
        raise R2kitError("A report needs a session name or a list of assessment files.")
    from ..assessment import Assessment

    loaded = [Assessment.load(f) for f in files]
    return ReportData("Assessments from files", analysis.answers_table(loaded), groupviews.participants(loaded))


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def esc(value: object) -> str:
    """Text made safe to place in HTML (None shows as nothing)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))


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
    return _html("\n".join(lines))


def note(text: str, level: str = "p"):
    """A paragraph (or heading: level 'h2', 'h3') of escaped text."""
    if level not in ("p", "h2", "h3"):
        raise R2kitError(f"Unknown text level {level!r}: use p, h2 or h3.")
    return _html(f"<{level}>{esc(text)}</{level}>")


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    empty: str = "Nothing to show.",
    page: int | None = PAGE_ROWS,
):
    """An HTML table with every cell escaped; `columns` picks and renames columns ({name: heading}).

    Numbers are shown as people read them (see formatted). A table longer than `page` rows is split into pages that
    fold open one at a time (HTML details, no JavaScript), the first one open.
    """
    if frame.empty:
        return note(empty)
    shown = formatted(frame[list(columns)] if columns else frame)
    if columns:
        shown = shown.rename(columns=columns)
    if not page or len(shown) <= page:
        return _html(_TABLE_STYLE + _html_table(shown))
    pages = []
    for start in range(0, len(shown), page):
        part = shown.iloc[start : start + page]
        opened = " open" if start == 0 else ""
        summary = f"Rows {start + 1} to {start + len(part)} of {len(shown)}"
        pages.append(f'<details class="r2kit-page"{opened}><summary>{summary}</summary>{_html_table(part)}</details>')
    return _html(_TABLE_STYLE + "".join(pages))


_LINE = "\ue000"  # a private-use character standing for a line break while pandas escapes the table


def _html_table(frame: pd.DataFrame) -> str:
    """display.html_table (every cell escaped), with line breaks inside cells shown as line breaks."""
    marked = frame.copy()
    for col in marked.columns:
        if marked[col].dtype == object or pd.api.types.is_string_dtype(marked[col]):
            marked[col] = (
                marked[col]
                .astype(object)
                .map(
                    lambda v: (
                        v.replace(_LINE, "\ufffd").replace("\r\n", "\n").replace("\n", _LINE)
                        if isinstance(v, str)
                        else v
                    )
                )
            )
    return display.html_table(marked, classes="r2kit-table").replace(_LINE, "<br>")


def percent(value: object) -> object:
    """A share (0.58) as people read it: '58%'; blank when missing; text (already shown) unchanged."""
    if not _number(value):
        return value
    return "" if _missing(value) else f"{float(value):.0%}"


def two_decimals(value: object) -> object:
    """A coefficient such as kappa (0.4321) as '0.43'; blank when missing; text (already shown) unchanged."""
    if not _number(value):
        return value
    return "" if _missing(value) else f"{round(float(value), 2) + 0.0:.2f}"  # + 0.0: never "-0.00"


def _number(value: object) -> bool:
    return value is None or (isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)))


def whole(value: object) -> object:
    """A score or count as a whole number ('58'); blank when missing; anything that is not a number unchanged."""
    if isinstance(value, (float, np.floating)):
        return "" if _missing(value) else f"{value:.0f}"
    return value


# How each column is shown wherever r2kit shows it to people (reports and the command line): shares as percentages,
# kappa with two decimals, every other number whole.
COLUMN_FORMATS = {"agreement": percent, "coverage": percent, "share": percent, "kappa": two_decimals}


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with numbers as people read them: COLUMN_FORMATS by column name, other floats whole."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(COLUMN_FORMATS.get(col, whole))
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and bool(np.isnan(value)))


def svg(*charts_):
    """Charts as inline SVG, drawn locally (no JavaScript, no CDN); several charts side by side."""
    from IPython.display import SVG

    if len(charts_) == 1:
        return SVG(svg_text(charts_[0]))
    drawn = [SVG(svg_text(c)).data for c in charts_]  # SVG() keeps the <svg> element only
    return _html('<div style="display:flex;flex-wrap:wrap;gap:1em">' + "".join(drawn) + "</div>")


_DRAWN: dict[int, tuple[object, str]] = {}  # id(chart) -> (chart, its SVG): a report draws each chart once
_DRAWN_MAX = 32


def svg_text(chart) -> str:
    """The chart's SVG, drawn once per chart object (the report shows it, then saves it as SVG and PNG)."""
    from .. import charts

    hit = _DRAWN.get(id(chart))
    if hit is not None and hit[0] is chart:
        return hit[1]
    drawn = charts.to_svg(chart)
    if len(_DRAWN) >= _DRAWN_MAX:
        _DRAWN.pop(next(iter(_DRAWN)))
    _DRAWN[id(chart)] = (chart, drawn)
    return drawn


def save_charts(named: dict, folder: str | os.PathLike, formats: tuple[str, ...] = CHART_FORMATS) -> list[Path]:
    """Save each chart as name.svg and name.png (for slides: PNGs at most charts.SLIDE_WIDTH_PX wide) in `folder`."""
    from .. import charts

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        charts.save(chart, folder / f"{name}.{fmt}", svg=svg_text(chart) if fmt in ("svg", "png") else None)
        for name, chart in named.items()
        for fmt in formats
    ]


def corridor_header(data: ReportData, corridor_id: str):
    """The corridor report's opening: the corridor named (it is the reader's own), its assessors, how to read it."""
    own = viewer_frame(data, corridor_id)
    first = own.iloc[0]
    route = f"{first['destination']} \u2192 {first['origin']}" if first.get("destination") else corridor_id
    who = ", ".join(f"{r.assessor_code} ({str(r.role).replace('_', ' ')})" for r in own.itertuples())
    session = f" in session <b>{esc(data.session['name'])}</b>" if data.session.get("name") else ""
    return _html(
        f"<h1>Corridor report: {esc(route)} ({esc(corridor_id)})</h1>"
        f"<p>Assessed by {esc(who)}{session}. Other participants appear as peer A, peer B ... unless they chose "
        f"to be named.</p><p><i>A reflection tool, not a league table: scores show where practice can grow and "
        f"who can learn from whom; nothing here grades a State.</i></p>"
    )


def evidence(answers: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The answers that carry evidence text, with the assessment's label and the item's question."""
    from .. import checklist

    given = answers[answers["evidence"].notna() & answers["evidence"].astype(str).str.strip().ne("")]
    questions = checklist.items().set_index("item_id")["question"]
    return given.assign(participant=given["assessment_id"].map(names), question=given["item_id"].map(questions))


def viewer_frame(data: ReportData, corridor_id: str) -> pd.DataFrame:
    """Metadata of the corridor's own assessments; raises R2kitError listing the corridors if it is not there."""
    own = data.meta[data.meta["corridor_id"] == corridor_id]
    if own.empty:
        known = ", ".join(sorted(set(data.meta["corridor_id"])))
        raise R2kitError(f"No assessment of corridor {corridor_id!r} here; corridors: {known}.")
    return own


def labelled(frame: pd.DataFrame, names: dict[str, str], columns: tuple[str, ...]) -> pd.DataFrame:
    """`frame` with assessment ids in `columns` replaced by their labels (named or 'peer A' ...)."""
    return frame.assign(**{c: frame[c].map(names) for c in columns if c in frame})


@dataclass
class CorridorView:
    """Everything a corridor report shows, with assessment ids already replaced by labels where people read them.

    The corridor's own rows are picked by assessment id, never by label text, so a label's wording can change (or be
    translated) without changing what the report selects.
    """

    own: pd.DataFrame  # metadata of the corridor's own assessments
    labels: dict[str, str]  # assessment_id -> label (own named "... (you)", others anonymised unless named)
    answers: pd.DataFrame  # the corridor's own answers (ids, not labels)
    themes: pd.DataFrame  # its theme scores, labelled
    red_lines: pd.DataFrame  # its red-line items (ids; charts label them)
    gaps: pd.DataFrame  # priority gaps with practices, GCM actions and SDG targets, labelled
    evidence: pd.DataFrame  # answers that carry evidence text, labelled
    pairs: pd.DataFrame  # peer-review pairs among its assessors, labelled
    review: dict | None  # the first pair's item-by-item review (None with one assessor)
    learn_from: pd.DataFrame  # peers strong where the corridor has a gap, labelled
    share_with: pd.DataFrame  # peers with a gap where the corridor is strong, labelled
    group_themes: pd.DataFrame  # every participant's theme scores, for the anonymised gap map
    group_bands: pd.DataFrame  # per theme: how many participants in each score band (the score-bands chart's table)


def corridor_view(data: ReportData, corridor_id: str) -> CorridorView:
    """What the corridor report for `corridor_id` shows; raises R2kitError if the corridor is not in `data`."""
    own = viewer_frame(data, corridor_id)
    own_ids = set(own["assessment_id"])
    group = groupviews.group_views(data.answers, data.meta, viewer=corridor_id, salt=data.salt)
    names = group["labels"]
    mine = data.answers[data.answers["assessment_id"].isin(own_ids)]
    pairs = matching.review_pairs(mine, own)
    review = analysis.peer_review(mine, pairs["first"].iloc[0], pairs["second"].iloc[0]) if len(pairs) else None
    matches = matching.peer_matches(data.answers, data.meta)
    return CorridorView(
        own=own,
        labels=names,
        answers=mine,
        themes=labelled(analysis.theme_scores(mine), names, ("assessment_id",)),
        red_lines=analysis.red_lines(mine),
        gaps=labelled(analysis.gap_resources(mine), names, ("assessment_id",)),
        evidence=evidence(mine, names),
        pairs=labelled(pairs, names, ("first", "second")),
        review=review,
        learn_from=labelled(matches[matches["learner"].isin(own_ids)], names, ("learner", "peer")),
        share_with=labelled(matches[matches["peer"].isin(own_ids)], names, ("learner", "peer")),
        group_themes=group["themes"],
        group_bands=groupviews.score_bands(group["themes"]),
    )


def to_discuss(view: CorridorView) -> pd.DataFrame:
    """The items the corridor's two assessors answered differently (empty with one assessor)."""
    if view.review is None:
        return pd.DataFrame(columns=["item_id", "question", "first", "second", "why"])
    return view.review["to_discuss"]


def corridor_charts(view: CorridorView) -> dict:
    """The corridor report's charts by file name: one profile per assessor, red lines, agreement, the group's score
    bands, and the gap map with one column per participant when the group is small enough (group_map)."""
    from .. import charts

    scores = analysis.theme_scores(view.answers)
    figures = {f"profile-{a.split('/')[-1]}": charts.profile(scores, a) for a in view.own["assessment_id"]}
    figures["red_lines"] = charts.red_lines(view.red_lines, labels=view.labels)
    if view.review is not None:
        figures["agreement"] = charts.agreement(view.review["items"])
    return figures | group_map(view.group_themes, view.labels, title="Gap map")


def show(figures: dict, name: str, empty: str | None = None):
    """The chart called `name` (or every chart whose name starts with `name-`) as SVG; `empty`'s note if none."""
    chosen = [chart for key, chart in figures.items() if key == name or key.startswith(f"{name}-")]
    if chosen:
        return svg(*chosen)
    return note(empty) if empty else None


# --- the session report --------------------------------------------------------------------------------------------


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
    from .. import charts

    figures = {"score_bands": charts.score_bands(groupviews.score_bands(themes))}
    if themes["assessment_id"].nunique() <= MAP_MAX_PARTICIPANTS:
        figures["gap_map"] = charts.theme_heatmap(themes, labels=labels, title=title)
    return figures


def session_charts(view: SessionView) -> dict:
    """The session report's charts by file name: the spread per theme, score bands, and the gap map (small groups)."""
    from .. import charts

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
    from .. import __version__, inert
    from .export import Sheet, write_workbook
    from .folders import make_dirs

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


def files_note(paths: list[Path], intro: str):
    """A paragraph listing files written beside the report, linked by their path relative to the report's folder."""
    items = []
    for path in paths:
        try:
            link = Path(os.path.relpath(path)).as_posix()
        except ValueError:  # another drive (Windows): the full path
            link = Path(path).resolve().as_uri()
        items.append(f'<a href="{esc(link)}">{esc(Path(path).name)}</a>')
    return _html(f"<p>{esc(intro)} " + ", ".join(items) + ".</p>")


def review_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Peer-review pairs as people read them, the same in reports and on the command line: agreement as a
    percentage ('58%'), kappa with two decimals ('0.43')."""
    return formatted(pairs)
