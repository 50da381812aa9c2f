"""The corridor report: everything it shows, its rows picked by assessment id, and its charts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ... import analysis, groupviews, matching
from .data import ReportData, evidence, labelled, viewer_frame
from .markup import as_html, esc
from .session import group_map


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
    from ... import charts

    scores = analysis.theme_scores(view.answers)
    figures = {f"profile-{a.split('/')[-1]}": charts.profile(scores, a) for a in view.own["assessment_id"]}
    figures["red_lines"] = charts.red_lines(view.red_lines, labels=view.labels)
    if view.review is not None:
        figures["agreement"] = charts.agreement(view.review["items"])
    return figures | group_map(view.group_themes, view.labels, title="Gap map")


def corridor_header(data: ReportData, corridor_id: str):
    """The corridor report's opening: the corridor named (it is the reader's own), its assessors, how to read it."""
    own = viewer_frame(data, corridor_id)
    first = own.iloc[0]
    route = f"{first['destination']} \u2192 {first['origin']}" if first.get("destination") else corridor_id
    who = ", ".join(f"{r.assessor_code} ({str(r.role).replace('_', ' ')})" for r in own.itertuples())
    session = f" in session <b>{esc(data.session['name'])}</b>" if data.session.get("name") else ""
    return as_html(
        f"<h1>Corridor report: {esc(route)} ({esc(corridor_id)})</h1>"
        f"<p>Assessed by {esc(who)}{session}. Other participants appear as peer A, peer B ... unless they chose "
        f"to be named.</p><p><i>A reflection tool, not a league table: scores show where practice can grow and "
        f"who can learn from whom; nothing here grades a State.</i></p>"
    )
