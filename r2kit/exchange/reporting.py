"""Building blocks of the session and corridor report notebooks (r2kit/templates/*.ipynb).

Each returns something a notebook cell displays: escaped HTML (participants' text always shows as text, never as
markup or script) or inline SVG charts, so the exported HTML report needs no JavaScript and no network.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import analysis, display, groupviews, matching
from ..errors import R2kitError

CHART_FORMATS = ("svg", "png")
_TABLE_STYLE = (
    "<style>.r2kit-table th, .r2kit-table td "
    "{text-align: left !important; vertical-align: top; padding: 2px 8px}</style>"
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


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None, empty: str = "Nothing to show."):
    """An HTML table with every cell escaped; `columns` picks and renames columns ({name: heading})."""
    if frame.empty:
        return note(empty)
    shown = frame[list(columns)] if columns else frame.copy()
    if columns:
        shown = shown.rename(columns=columns)
    for col in shown.columns:
        shown[col] = shown[col].map(_number)
    return _html(_TABLE_STYLE + display.html_table(shown, classes="r2kit-table"))


def _number(value: object) -> object:
    """Reports round scores to whole numbers and fractions (agreement, kappa) to two decimals."""
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:.0f}"
    return value


def svg(*charts_):
    """Charts as inline SVG, drawn locally (no JavaScript, no CDN); several charts side by side."""
    from IPython.display import SVG

    from .. import charts

    if len(charts_) == 1:
        return SVG(charts.to_svg(charts_[0]))
    drawn = [SVG(charts.to_svg(c)).data for c in charts_]  # SVG() keeps the <svg> element only
    return _html('<div style="display:flex;flex-wrap:wrap;gap:1em">' + "".join(drawn) + "</div>")


def save_charts(named: dict, folder: str | os.PathLike, formats: tuple[str, ...] = CHART_FORMATS) -> list[Path]:
    """Save each chart as name.svg and name.png (for slides) in `folder`; return the paths written."""
    from .. import charts

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [charts.save(chart, folder / f"{name}.{fmt}") for name, chart in named.items() for fmt in formats]


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
    )


def to_discuss(view: CorridorView) -> pd.DataFrame:
    """The items the corridor's two assessors answered differently (empty with one assessor)."""
    if view.review is None:
        return pd.DataFrame(columns=["item_id", "question", "first", "second", "why"])
    return view.review["to_discuss"]


def corridor_charts(view: CorridorView) -> dict:
    """The corridor report's charts by file name: one profile per assessor, red lines, agreement, the gap map."""
    from .. import charts

    scores = analysis.theme_scores(view.answers)
    figures = {f"profile-{a.split('/')[-1]}": charts.profile(scores, a) for a in view.own["assessment_id"]}
    figures["red_lines"] = charts.red_lines(view.red_lines, labels=view.labels)
    if view.review is not None:
        figures["agreement"] = charts.agreement(view.review["items"])
    figures["gap_map"] = charts.theme_heatmap(view.group_themes, labels=view.labels, title="Gap map")
    return figures


def show(figures: dict, name: str, empty: str | None = None):
    """The chart called `name` (or every chart whose name starts with `name-`) as SVG; `empty`'s note if none."""
    chosen = [chart for key, chart in figures.items() if key == name or key.startswith(f"{name}-")]
    if chosen:
        return svg(*chosen)
    return note(empty) if empty else None
