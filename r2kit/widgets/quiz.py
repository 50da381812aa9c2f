"""The principles quiz: selfcheck, marked with feedback and nothing recorded."""

from __future__ import annotations

import html

import ipywidgets as w

from .. import selfcheck as sc
from .common import WIDE, _guarded, _message, fit


def selfcheck() -> w.VBox:
    """The self-check quiz: choose an answer per question, then 'Check my answers' for feedback."""
    rows, radios, feedback = [], {}, {}
    for q in sc.QUESTIONS:
        radios[q["id"]] = w.RadioButtons(
            options=[(o, i) for i, o in enumerate(q["options"])], value=None, layout=WIDE, tooltip=q["question"]
        )
        feedback[q["id"]] = w.HTML()
        rows += [w.HTML(f"<b>{q['id']}. {html.escape(q['question'])}</b>"), radios[q["id"]], feedback[q["id"]]]
    button = w.Button(description="Check my answers", button_style="primary", icon="check", layout=fit())
    summary = w.HTML()

    def mark(_):
        def work():
            given = {k: r.value for k, r in radios.items() if r.value is not None}
            result = sc.check(given)
            for q, (_, row) in zip(sc.QUESTIONS, result.iterrows(), strict=True):
                if q["id"] not in given:
                    feedback[q["id"]].value = _message("Not answered yet.", "warning")
                    continue
                verdict = "Right." if row["correct"] else f"Not quite: the answer is \u201c{row['right answer']}\u201d."
                feedback[q["id"]].value = _message(
                    f"{verdict} {row['why']} ({row['source']})", "success" if row["correct"] else "warning"
                )
            summary.value = _message(
                f"{int(result['correct'].sum())} of {len(result)} right. This is for your own "
                "learning: nothing is recorded.",
                "info",
            )

        _guarded(summary, work)

    button.on_click(mark)
    return w.VBox(rows + [button, summary])
