"""The checklist form: ChecklistForm (themes, live summary and profile, Save and download) and checklist_form."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from .. import checklist
from ..assessment import Assessment
from ..privacy import personal_data_hints
from .common import _guarded, _message, download_link, fit
from .findings import findings


def _scale_options() -> list[tuple[str, str]]:
    scale = checklist.answer_scale()
    return [
        (f"{r.answer_code} {r.label}" if r.answer_code.isdigit() else r.label, r.answer_code)
        for r in scale.itertuples()
    ]


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def privacy_note(evidence: str | None) -> str:
    """The warning shown under an evidence box whose text looks like personal data ('' if it does not)."""
    hints = personal_data_hints(evidence)
    if not hints:
        return ""
    return _message(
        f"This evidence seems to contain {_and(hints)}. Evidence describes documents and practice, never "
        "people: please remove it. This warning stays until the text is changed.",
        "warning",
    )


class ChecklistForm:
    """The checklist theme by theme, a live summary and profile, and Save with a download link.

    `on_change` is called after every change of an answer or its evidence (the workspace keeps a draft and updates
    the results cells with it).
    """

    def __init__(
        self, assessment: Assessment, output_dir: str = "outputs", on_change: Callable[[], None] | None = None
    ):
        self.assessment = assessment
        self.output_dir = Path(output_dir)
        self.on_change = on_change
        self.summary = w.HTML()
        self.summary.add_class("r2kit-live-summary")
        self.chart = w.Output()
        self.status = w.HTML()
        self.status.add_class("r2kit-save-status")
        self.download = w.HTML()
        self.buttons: dict[str, w.ToggleButtons] = {}
        self.notes: dict[str, w.HTML] = {}
        self.saved_at: str | None = None
        self.widget = w.VBox(
            [
                self._intro(),
                self._tabs(),
                w.HTML("<h4>Your gap profile (updates as you answer)</h4>"),
                self.summary,
                self.chart,
                self._save_row(),
                self.status,
                self.download,
            ]
        )
        self.refresh()

    def _intro(self) -> w.HTML:
        scale = checklist.answer_scale()
        rows = "".join(f"<li><b>{html.escape(r.label)}</b>: {html.escape(r.meaning)}</li>" for r in scale.itertuples())
        return w.HTML(
            f"<h4>{html.escape(self.assessment.title)}</h4><p>Answer each question for this corridor. "
            f"Choose one level:</p><ul>{rows}</ul><p>Red lines (marked) are obligations that admit no "
            "trade-off. Evidence is optional: write what shows it, never names or contact details.</p>"
        )

    def _item(self, item) -> w.VBox:
        current = self.assessment.answers.get(item.item_id, {})
        badge = ' <span style="color:#D55E00;font-weight:bold">[red line]</span>' if item.red_line else ""
        question = w.HTML(f"<b>{item.item_id}</b>{badge} {html.escape(item.question)}")
        buttons = w.ToggleButtons(
            options=_scale_options(),
            value=current.get("answer"),
            style={"button_width": "auto"},
            tooltip=f"{item.item_id} {item.question}",
        )
        buttons.add_class(f"r2kit-item-{item.item_id.replace('.', '-')}")
        guidance = w.HTML(
            f"<small><i>In place means:</i> {html.escape(item.in_place_means)} "
            f"<i>Evidence could be:</i> {html.escape(item.evidence_examples)}</small>"
        )
        evidence = w.Textarea(
            value=current.get("evidence", ""),
            placeholder="Evidence (optional; no personal data)",
            tooltip=f"Evidence for {item.item_id}",
            layout=w.Layout(width="95%", height="44px"),
            continuous_update=False,
        )
        note = w.HTML(privacy_note(current.get("evidence")))
        note.add_class(f"r2kit-evidence-note-{item.item_id.replace('.', '-')}")
        buttons.observe(lambda ch, i=item.item_id, e=evidence: self._answer(i, ch["new"], e.value), "value")
        evidence.observe(lambda ch, i=item.item_id, b=buttons: self._answer(i, b.value, ch["new"]), "value")
        self.buttons[item.item_id] = buttons
        self.notes[item.item_id] = note
        return w.VBox([question, buttons, guidance, evidence, note], layout=w.Layout(margin="0 0 10px 0"))

    def _tabs(self) -> w.Tab:
        """Phase tabs of theme accordions; a theme's questions are built when it is first opened (fast start)."""
        items = checklist.items()
        pages = []
        for phase in checklist.PHASES:
            groups = list(items[items["phase"] == phase].groupby("theme_id", sort=True))
            acc = w.Accordion(children=[w.VBox() for _ in groups], selected_index=None)
            for n, (theme_id, group) in enumerate(groups):
                acc.set_title(n, f"{theme_id}. {group['theme_title'].iloc[0]}")

            def fill(change, acc=acc, groups=groups):
                def work():
                    index = change["new"]
                    if index is not None and not acc.children[index].children:
                        acc.children[index].children = [self._item(i) for i in groups[index][1].itertuples()]

                _guarded(self.status, work)

            acc.observe(fill, "selected_index")
            pages.append(acc)
        tabs = w.Tab(children=pages)
        for n, phase in enumerate(checklist.PHASES):
            tabs.set_title(n, phase.capitalize())
        return tabs

    def _answer(self, item_id: str, code: str | None, evidence: str) -> None:
        def work():
            note = privacy_note(evidence)
            if code is None and evidence.strip():
                note += _message("Choose an answer above: the evidence is kept with it.")
            if item_id in self.notes:
                self.notes[item_id].value = note
            if code is None:
                return
            self.assessment.set_answer(item_id, code, evidence=evidence or None)
            self.refresh()
            if self.saved_at:
                self.status.value = _message(
                    f"You changed answers since you saved at {self.saved_at}: press Save my assessment again."
                )
                self.download.value = ""
            if self.on_change is not None:
                self.on_change()

        _guarded(self.status, work)

    def refresh(self) -> None:
        """Recompute the summary and redraw the profile chart from the current answers."""
        from .. import charts

        found = findings(self.assessment)
        self.summary.value = _message(found.summary, "warning" if found.red_lines_at_risk else "info")
        self.chart.clear_output(wait=True)
        if found.empty:
            return
        with self.chart:
            from IPython.display import display

            display(charts.Live(found.profile(f"Gap profile: {self.assessment.title}")))

    def _save_row(self) -> w.HBox:
        default = self.output_dir / self.assessment.file_name
        path = w.Text(value=str(default), description="Save as", layout=w.Layout(width="50%"))
        button = w.Button(description="Save my assessment", button_style="success", icon="save", layout=fit())
        anyway = w.Button(description="Save anyway", button_style="warning", icon="exclamation-triangle", layout=fit())
        anyway.layout.display = "none"

        def save(target: str, *, checked: bool) -> None:
            personal = self.assessment.personal_data()
            if personal and not checked:
                self.status.value = _message(
                    f"Before you save: {personal}. Please remove it in the marked evidence box, then press Save "
                    "my assessment again; or press Save anyway.",
                    "warning",
                )
                self.download.value = ""
                anyway.layout.display = ""
                return
            saved = self.assessment.save(target)
            anyway.layout.display = "none"
            self.saved_at = dt.datetime.now().strftime("%H:%M")
            if personal:
                self.status.value = _message(
                    f"Saved {saved}, but it still holds text that looks like personal data: {personal}. Remove it "
                    "and save again before you hand the file to your facilitator.",
                    "warning",
                )
            else:
                self.status.value = _message(
                    f"Saved {saved}. Download it with the link below and hand it to your facilitator.", "success"
                )
            self.download.value = download_link(saved, f"Download {saved.name}")

        button.on_click(lambda _: _guarded(self.status, lambda: save(path.value, checked=False)))
        anyway.on_click(lambda _: _guarded(self.status, lambda: save(path.value, checked=True)))
        return w.HBox([path, button, anyway])


def checklist_form(
    assessment: Assessment, output_dir: str = "outputs", on_change: Callable[[], None] | None = None
) -> w.VBox:
    """The checklist form for `assessment` (see ChecklistForm)."""
    form = ChecklistForm(assessment, output_dir, on_change)
    form.widget.form = form  # keep a handle for tests and advanced users
    return form.widget
