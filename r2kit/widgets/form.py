"""The checklist form: ChecklistForm (themes, live summary and profile, Save) and checklist_form."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from .. import analysis, checklist
from ..assessment import Assessment
from .common import _guarded, _message


def _scale_options() -> list[tuple[str, str]]:
    scale = checklist.answer_scale()
    return [
        (f"{r.answer_code} {r.label}" if r.answer_code.isdigit() else r.label, r.answer_code)
        for r in scale.itertuples()
    ]


class ChecklistForm:
    """The checklist theme by theme, a live summary and profile, and a Save button."""

    def __init__(self, assessment: Assessment, output_dir: str = "outputs"):
        self.assessment = assessment
        self.output_dir = Path(output_dir)
        self.summary = w.HTML()
        self.summary.add_class("r2kit-live-summary")
        self.chart = w.Output()
        self.status = w.HTML()
        self.buttons: dict[str, w.ToggleButtons] = {}
        self.widget = w.VBox(
            [
                self._intro(),
                self._tabs(),
                w.HTML("<h4>Your gap profile (updates as you answer)</h4>"),
                self.summary,
                self.chart,
                self._save_row(),
                self.status,
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
        buttons.observe(lambda ch, i=item.item_id, e=evidence: self._answer(i, ch["new"], e.value), "value")
        evidence.observe(lambda ch, i=item.item_id, b=buttons: self._answer(i, b.value, ch["new"]), "value")
        self.buttons[item.item_id] = buttons
        return w.VBox([question, buttons, guidance, evidence], layout=w.Layout(margin="0 0 10px 0"))

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
                index = change["new"]
                if index is not None and not acc.children[index].children:
                    acc.children[index].children = [self._item(i) for i in groups[index][1].itertuples()]

            acc.observe(fill, "selected_index")
            pages.append(acc)
        tabs = w.Tab(children=pages)
        for n, phase in enumerate(checklist.PHASES):
            tabs.set_title(n, phase.capitalize())
        return tabs

    def _answer(self, item_id: str, code: str | None, evidence: str) -> None:
        def work():
            if code is None:
                return
            self.assessment.set_answer(item_id, code, evidence=evidence or None)
            self.refresh()

        _guarded(self.status, work)

    def refresh(self) -> None:
        """Recompute the summary and redraw the profile chart from the current answers."""
        from .. import charts

        answers = self.assessment.answers_frame()
        if answers.empty:
            self.summary.value = _message("No answers yet: start with the first theme above.")
            return
        total = analysis.overall(answers).iloc[0]
        rl = analysis.red_lines(answers)
        risk = int((rl["status"] == "at risk").sum())
        self.summary.value = _message(
            f"Overall score {total['score']:.0f} of 100; {int(total['answered'])} of {int(total['items'])} items "
            f"answered; red lines at risk: {risk}.",
            "warning" if risk else "info",
        )
        warnings = "; ".join(f"{p.where}: {p.message}" for p in self.assessment.warnings)
        self.status.value = _message(warnings, "warning") if warnings else ""
        self.chart.clear_output(wait=True)
        with self.chart:
            from IPython.display import display

            chart = charts.profile(analysis.theme_scores(answers), title=f"Gap profile: {self.assessment.title}")
            display(charts.Live(chart))

    def _save_row(self) -> w.HBox:
        default = self.output_dir / f"{self.assessment.corridor['id']}_{self.assessment.assessor['code']}.json"
        path = w.Text(value=str(default), description="Save as", layout=w.Layout(width="60%"))
        button = w.Button(description="Save my assessment", button_style="success", icon="save")

        def save(_):
            def work():
                saved = self.assessment.save(path.value)
                self.status.value = _message(f"Saved {saved}. Hand this file to your facilitator.", "success")

            _guarded(self.status, work)

        button.on_click(save)
        return w.HBox([path, button])


def checklist_form(assessment: Assessment, output_dir: str = "outputs") -> w.VBox:
    """The checklist form for `assessment` (see ChecklistForm)."""
    form = ChecklistForm(assessment, output_dir)
    form.widget.form = form  # keep a handle for tests and advanced users
    return form.widget
