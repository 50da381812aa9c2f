"""Notebook 04: two assessments compared, and the group's anonymised view, peer matches and breakout groups."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import analysis, samples
from ..samples import load_assessments as load
from .output import note, show, table


def _assessment_id(name: str) -> str:
    """'NOR-ALD_GOV-1' (a sample file's name) -> 'NOR-ALD/GOV-1' (its assessment id); ids pass unchanged."""
    return name.replace("_", "/", 1) if "/" not in name and "_" in name else name


@lru_cache(maxsize=1)
def _samples() -> dict:
    """The shipped FICTIONAL sample assessments by sample id, each read and checked once per kernel (read-only)."""
    paths = samples.sample_paths()
    return dict(zip([p.stem for p in paths], load([str(p) for p in paths]), strict=True))


def _load(names: list[str]) -> list:
    """Assessments by sample id (read once per kernel) or file path."""
    return [_samples().get(name) or load([name])[0] for name in names]


@lru_cache(maxsize=1)
def _sample_group() -> tuple[pd.DataFrame, pd.DataFrame]:
    from .. import groupviews as views

    group = list(_samples().values())
    return analysis.answers_table(group), views.participants(group)


def _group(sources: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers and metadata of a group: the shipped FICTIONAL samples unless file paths or ids are given.

    The samples' tables are made once per kernel (notebook 04 shows four views of them); each call gets a copy.
    """
    from .. import groupviews as views

    if not sources:
        answers, meta = _sample_group()
        return answers.copy(), meta.copy()
    group = load(sources)
    return analysis.answers_table(group), views.participants(group)


def peer_review(first: str = "NOR-ALD_GOV-1", second: str = "NOR-ALD_CSO-2") -> dict:
    """Two assessments of one corridor compared: agreement, kappa, the matrix chart and the items to discuss."""
    from .. import charts
    from ..widgets import discussion_table

    a, b = _load([first, second])
    review = analysis.peer_review(analysis.answers_table([a, b]), a.id, b.id)
    note(
        f"{a.id} and {b.id} gave the same answer on {review['agreement']:.0%} of the {review['compared']} items "
        f"both scored; weighted kappa {review['kappa']:.2f} (1 = full agreement, 0 = no more than chance)."
    )
    show(
        charts.agreement(review["items"]),
        discussion_table(review, a.id, b.id),
        "items to discuss (answers two or more levels apart, or one side unscored)",
    )
    return review


def peer_review_picker(first: str = "NOR-ALD_GOV-1", second: str = "NOR-ALD_CSO-2"):
    """Dropdowns to compare any two sample assessments (or saved files)."""
    from .. import widgets

    # The cell above compares first and second already: the picker compares when the participant chooses.
    return widgets.peer_review_picker(first, second, list(_samples()), known=_samples(), compare_now=False)


def group_view(viewer: str = "NOR-ALD_GOV-1", sources: list[str] | None = None) -> None:
    """The group's theme scores, common gaps and red lines, anonymised: the viewer's corridor named, others peers."""
    from .. import charts
    from .. import groupviews as views

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
    from .. import groupviews as views
    from .. import matching

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
    from .. import groupviews as views
    from .. import matching

    answers, meta = _group(sources)
    viewer_id = _assessment_id(viewer) if viewer else None
    groups = matching.breakout_groups(answers, size, meta)
    groups = groups.assign(participant=groups["assessment_id"].map(views.labels(meta, viewer_id)))
    shown = groups[["group", "participant", "region", "can_learn", "can_share"]]
    table(shown, f"Breakout groups of about {size} (can learn / can share: theme numbers)")
    return shown
