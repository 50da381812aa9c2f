"""What a report reads: a session's answers and participants (or assessment files), and labels in place of ids."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from ... import analysis, groupviews
from ...errors import R2kitError


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
        from ..store import Store

        with Store(home) as store:
            info = store.session(session)
            answers, meta = store.answers(session), store.participants(session)
        if meta.empty:
            raise R2kitError(f"Session {session!r} has no submissions yet: nothing to report.")
        return ReportData(info["title"], answers, meta, info, info["label_salt"])
    if not files:
        raise R2kitError("A report needs a session name or a list of assessment files.")
    from ...assessment import Assessment

    loaded = [Assessment.load(f) for f in files]
    return ReportData("Assessments from files", analysis.answers_table(loaded), groupviews.participants(loaded))


def labelled(frame: pd.DataFrame, names: dict[str, str], columns: tuple[str, ...]) -> pd.DataFrame:
    """`frame` with assessment ids in `columns` replaced by their labels (named or 'peer A' ...)."""
    return frame.assign(**{c: frame[c].map(names) for c in columns if c in frame})


def viewer_frame(data: ReportData, corridor_id: str) -> pd.DataFrame:
    """Metadata of the corridor's own assessments; raises R2kitError listing the corridors if it is not there."""
    own = data.meta[data.meta["corridor_id"] == corridor_id]
    if own.empty:
        known = ", ".join(sorted(set(data.meta["corridor_id"])))
        raise R2kitError(f"No assessment of corridor {corridor_id!r} here; corridors: {known}.")
    return own


def evidence(answers: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The answers that carry evidence text, with the assessment's label and the item's question."""
    from ... import checklist

    given = answers[answers["evidence"].notna() & answers["evidence"].astype(str).str.strip().ne("")]
    questions = checklist.items().set_index("item_id")["question"]
    return given.assign(participant=given["assessment_id"].map(names), question=given["item_id"].map(questions))
