"""Peer review: peer_review_picker compares two assessments (samples or uploaded files)."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from .. import analysis, checklist
from ..assessment import Assessment
from .common import _guarded, _html_table, _message


def discussion_table(review: dict, first: str, second: str) -> pd.DataFrame:
    """The items two assessments should discuss, for people: each answer in words under its assessment's name."""
    items = review["to_discuss"]

    def words(code) -> str:
        return checklist.label_of(code) if pd.notna(code) else "not yet answered"

    return pd.DataFrame(
        {
            "Item": items["item_id"],
            "Question": items["question"],
            first: items["first"].map(words),
            second: items["second"].map(words),
            "Why": items["why"],
        }
    )


def peer_review_picker(
    first: str,
    second: str,
    options: list[str],
    known: dict[str, Assessment] | None = None,
    compare_now: bool = True,
) -> w.VBox:
    """Two dropdowns of assessments (samples, plus files uploaded here) -> agreement, kappa and items to discuss.

    `known` holds assessments already read, by the names in `options`; others are read when chosen. With
    `compare_now=False` the comparison waits for the participant's first choice (the page already shows this one).
    """
    from ..samples import load_assessments as load

    read: dict[str, Assessment] = dict(known or {})
    a_pick = w.Dropdown(options=options, value=first, description="First")
    b_pick = w.Dropdown(options=options, value=second, description="Second")
    upload = w.FileUpload(accept=".json", multiple=True, description="Upload")
    result = w.HTML()
    status = w.HTML()

    def get(name: str) -> Assessment:
        return read[name] if name in read else load([name])[0]

    def refresh(_=None):
        def work():
            a, b = get(a_pick.value), get(b_pick.value)
            if a.id == b.id:
                result.value = _message("Choose two different assessments.", "info")
                return
            review = analysis.peer_review(analysis.answers_table([a, b]), a.id, b.id)
            head = (
                f"<p><b>Same answer on {review['agreement']:.0%}</b> of {review['compared']} items both scored; "
                f"weighted kappa {review['kappa']:.2f}.</p>"
            )
            if a.corridor["id"] != b.corridor["id"]:
                head += _message("These two assessments are of different corridors: agreement means little.", "warning")
            result.value = head + _html_table(discussion_table(review, a.id, b.id))

        _guarded(result, work)

    def add(_=None):
        def work():
            names = []
            for item in upload.value:
                assessment = Assessment.from_bytes(bytes(item["content"]), item["name"])
                read[item["name"]] = assessment
                names.append(item["name"])
            if not names:
                return
            for pick in (a_pick, b_pick):
                pick.options = list(dict.fromkeys([*options, *read]))
            status.value = _message(f"Added {', '.join(names)}: choose them as First or Second.", "success")

        _guarded(status, work)

    a_pick.observe(refresh, "value")
    b_pick.observe(refresh, "value")
    upload.observe(add, "value")
    if compare_now:
        refresh()
    else:
        result.value = _message("Choose two assessments, or upload saved files, to compare them here.")
    return w.VBox([w.HBox([a_pick, b_pick]), w.HBox([upload, status]), result])
