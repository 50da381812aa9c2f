"""ipywidgets front-ends: thin skins that read widgets, call tested r2kit functions and show the result.

ipywidgets swallows errors raised in callbacks, so every callback goes through `_guarded`, which shows a
plain-language message in the widget instead; the notebooks also call the same functions in normal cells.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import actionplan, analysis, checklist, data, display, explore
from .. import selfcheck as sc
from ..assessment import Assessment
from ..errors import R2kitError

WIDE = w.Layout(width="98%")


def _message(text: str, kind: str = "info") -> str:
    colours = {"info": "#e8f1fb", "success": "#e6f4ea", "warning": "#fff4e5", "error": "#fdecea"}
    return f'<div style="background:{colours[kind]};padding:6px 10px;border-radius:4px">{html.escape(text)}</div>'


def _guarded(target: w.HTML, action: Callable[[], None]) -> None:
    """Run a callback's work; show a plain message in `target` instead of losing an error."""
    try:
        action()
    except R2kitError as err:
        target.value = _message(str(err), "error")
    except Exception as err:  # noqa: BLE001  (a participant must never see a traceback)
        target.value = _message(
            f"Something went wrong ({type(err).__name__}: {err}). Please tell your facilitator.", "error"
        )


def _html_table(frame: pd.DataFrame) -> str:
    return display.html_table(frame)


# --- browsing ------------------------------------------------------------------------------------------------


def principle_browser(principle_id: str = "CP02") -> w.VBox:
    """Dropdown of all principles -> summary, linked themes, source."""
    p = data.load("principles")
    options = [(f"{r.principle_id}: {r.title}", r.principle_id) for r in p.itertuples()]
    pick = w.Dropdown(options=options, value=principle_id, description="Principle", layout=WIDE)
    card = w.HTML(explore.principle_card(principle_id))
    pick.observe(lambda ch: _guarded(card, lambda: setattr(card, "value", explore.principle_card(ch["new"]))), "value")
    return w.VBox([pick, card])


def theme_explorer(theme_id: int = 6) -> w.VBox:
    """Dropdown of the 19 themes (grouped by phase) -> challenge, response, commitments and practices."""
    t = data.load("themes")
    options = [(f"{r.phase}: {r.theme_id}. {r.title}", int(r.theme_id)) for r in t.itertuples()]
    pick = w.Dropdown(options=options, value=theme_id, description="Theme", layout=WIDE)
    card = w.HTML(explore.theme_card(theme_id))
    pick.observe(lambda ch: _guarded(card, lambda: setattr(card, "value", explore.theme_card(ch["new"]))), "value")
    return w.VBox([pick, card])


def practice_finder(**filters) -> w.VBox:
    """Filters for theme, phase, region, country and lens -> the matching practices as a table."""
    p = data.load("practices")
    every = ("All", None)
    choices = {
        "theme": [every] + [(f"{r.theme_id}. {r.title}", int(r.theme_id)) for r in data.load("themes").itertuples()],
        "phase": [every] + [(x, x) for x in checklist.PHASES],
        "region": [every] + [(x, x) for x in sorted(p["region"].unique())],
        "country": [every] + [(x, x) for x in sorted(p["country"].unique())],
        "lens": [every] + [(x, x) for x in checklist.LENSES],
    }
    pickers = {
        k: w.Dropdown(options=v, value=filters.get(k), description=k.capitalize(), layout=w.Layout(width="48%"))
        for k, v in choices.items()
    }
    result = w.HTML()
    detail_pick = w.Dropdown(description="Practice", layout=WIDE)
    detail = w.HTML()

    def show_detail(_=None):
        def work():
            detail.value = explore.practice_card(detail_pick.value) if detail_pick.value else ""

        _guarded(detail, work)

    def refresh(_=None):
        def work():
            found = explore.find_practices(**{k: d.value for k, d in pickers.items()})
            count = f"<p><b>{len(found)} practice row(s)</b> (one per country or region)</p>"
            empty = _message("No practice matches these filters.")
            result.value = count + (_html_table(found) if len(found) else empty)
            detail_pick.options = [(f"{r.practice_id}: {r.title}", r.practice_id) for r in found.itertuples()]
            show_detail()

        _guarded(result, work)

    for d in pickers.values():
        d.observe(refresh, "value")
    detail_pick.observe(show_detail, "value")
    refresh()
    boxes = list(pickers.values())
    return w.VBox(
        [
            w.HBox(boxes[:2]),
            w.HBox(boxes[2:4]),
            boxes[4],
            result,
            w.HTML("<b>Read one practice in full:</b>"),
            detail_pick,
            detail,
        ]
    )


def selfcheck() -> w.VBox:
    """The self-check quiz: choose an answer per question, then 'Check my answers' for feedback."""
    rows, radios, feedback = [], {}, {}
    for q in sc.QUESTIONS:
        radios[q["id"]] = w.RadioButtons(
            options=[(o, i) for i, o in enumerate(q["options"])], value=None, layout=WIDE, tooltip=q["question"]
        )
        feedback[q["id"]] = w.HTML()
        rows += [w.HTML(f"<b>{q['id']}. {html.escape(q['question'])}</b>"), radios[q["id"]], feedback[q["id"]]]
    button = w.Button(description="Check my answers", button_style="primary", icon="check")
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


# --- the checklist -------------------------------------------------------------------------------------------


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


# --- what a participant works on ----------------------------------------------------------------------------


def sample_choices() -> list[tuple[str, str]]:
    """(label, sample id) for every shipped sample assessment, each labelled fictional."""
    from .. import samples

    out = []
    for path in samples.sample_paths():
        a = Assessment.load(path)
        out.append(
            (
                f"{a.corridor['destination']} \u2192 {a.corridor['origin']} (fictional), "
                f"{a.assessor['role'].replace('_', ' ')} view [{path.stem}]",
                path.stem,
            )
        )
    return out


class Workspace:
    """What a participant works on: a FICTIONAL sample corridor, a blank corridor of their own, or a saved file.

    Views attached with `attach` are rebuilt when the participant presses Start with another choice.
    """

    def __init__(
        self,
        assessment: Assessment,
        output_dir: str = "outputs",
        allow_blank: bool = True,
        sample_id: str | None = None,
    ):
        self.assessment = assessment
        self.sample_id = sample_id
        self.output_dir = output_dir
        self._views: list[tuple[w.Box, Callable[[Assessment], w.Widget]]] = []
        self.message = w.HTML()
        self.widget = self._panel(allow_blank)

    def attach(self, build: Callable[[Assessment], w.Widget]) -> w.Box:
        """A box showing build(current assessment), rebuilt whenever the assessment changes."""
        box = w.VBox([build(self.assessment)])
        self._views.append((box, build))
        return box

    def use(self, assessment: Assessment) -> None:
        """Switch to another assessment and rebuild the attached views."""
        self.assessment = assessment
        for box, build in self._views:
            box.children = [build(assessment)]

    def _panel(self, allow_blank: bool) -> w.VBox:
        from ..assessment import ROLES

        a = self.assessment
        choices = sample_choices() + ([("Blank corridor: my own", "blank")] if allow_blank else [])
        current = self.sample_id or ("blank" if allow_blank else None)
        values = [c[1] for c in choices]
        short = w.Layout(width="45%")
        pick = w.Dropdown(
            options=choices,
            value=current if current in values else values[0],
            description="Corridor",
            layout=WIDE,
            style={"description_width": "110px"},
        )
        code = w.Text(
            value=a.assessor["code"],
            description="Your code",
            layout=short,
            placeholder="e.g. TEAM-7 (not your name)",
            style={"description_width": "110px"},
        )
        role = w.Dropdown(
            options=[(r.replace("_", " "), r) for r in ROLES],
            value=a.assessor["role"],
            description="Role",
            layout=short,
        )
        named = w.Checkbox(
            value=bool(a.assessor.get("named_in_group_views")),
            indent=False,
            description="Show our corridor by name in group views (otherwise: peer A, B ...)",
        )
        dest = w.Text(
            description="Destination",
            placeholder="country of destination or transit",
            layout=short,
            style={"description_width": "110px"},
        )
        orig = w.Text(description="Origin", placeholder="country of origin", layout=short)
        cid = w.Text(
            description="Corridor code", placeholder="e.g. XXX-YYY", layout=short, style={"description_width": "110px"}
        )
        blank_box = w.VBox([w.HBox([dest, orig]), cid])
        upload = w.FileUpload(accept=".json", multiple=False, description="Continue from a saved file")
        start = w.Button(description="Start", button_style="primary", icon="play")

        def toggle(_=None):
            blank_box.layout.display = "" if pick.value == "blank" else "none"

        def go(_):
            def work():
                if upload.value:
                    item = upload.value[0]
                    chosen = Assessment.from_bytes(bytes(item["content"]), item["name"])
                    upload.value = ()
                elif pick.value == "blank":
                    chosen = Assessment.new(
                        cid.value.strip() or "MY-CORRIDOR",
                        orig.value.strip(),
                        dest.value.strip(),
                        code.value.strip(),
                        role.value,
                        named_in_group_views=named.value,
                    )
                else:
                    from ..samples import sample_paths

                    path = next(p for p in sample_paths() if p.stem == pick.value)
                    chosen = Assessment.load(path).with_assessor(code.value, role.value, named.value)
                self.use(chosen)
                self.message.value = _message(
                    f"Working on {chosen.title} as {chosen.assessor['code']}: {len(chosen.answers)} answers so far.",
                    "success",
                )

            _guarded(self.message, work)

        pick.observe(toggle, "value")
        start.on_click(go)
        toggle()
        return w.VBox(
            [
                w.HTML("<b>Choose what to work on, then press Start.</b>"),
                pick,
                w.HBox([code, role]),
                named,
                blank_box,
                w.HBox([upload, start]),
                self.message,
            ]
        )


# --- peer review and action plans ----------------------------------------------------------------------------


def peer_review_picker(first: str, second: str, options: list[str]) -> w.VBox:
    """Two dropdowns of assessments (samples, plus files uploaded here) -> agreement, kappa and items to discuss."""
    from ..samples import load_assessments as load

    uploaded: dict[str, Assessment] = {}
    a_pick = w.Dropdown(options=options, value=first, description="First")
    b_pick = w.Dropdown(options=options, value=second, description="Second")
    upload = w.FileUpload(accept=".json", multiple=True, description="Upload")
    result = w.HTML()
    status = w.HTML()

    def get(name: str) -> Assessment:
        return uploaded[name] if name in uploaded else load([name])[0]

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
            result.value = head + _html_table(review["to_discuss"][["item_id", "question", "first", "second", "why"]])

        _guarded(result, work)

    def add(_=None):
        def work():
            names = []
            for item in upload.value:
                assessment = Assessment.from_bytes(bytes(item["content"]), item["name"])
                uploaded[item["name"]] = assessment
                names.append(item["name"])
            if not names:
                return
            for pick in (a_pick, b_pick):
                pick.options = list(options) + list(uploaded)
            status.value = _message(f"Added {', '.join(names)}: choose them as First or Second.", "success")

        _guarded(status, work)

    a_pick.observe(refresh, "value")
    b_pick.observe(refresh, "value")
    upload.observe(add, "value")
    refresh()
    return w.VBox([w.HBox([a_pick, b_pick]), w.HBox([upload, status]), result])


def action_plan(assessment: Assessment, output_dir: str = "outputs") -> w.VBox:
    """For each priority gap: next step, lead (a role or body) and timeline; exports CSV and Excel."""
    plan = actionplan.draft(assessment)
    rows, fields = [], []
    for row in plan.itertuples():
        step = w.Textarea(
            placeholder="Next step",
            tooltip=f"Next step for theme {row.theme_id}",
            layout=w.Layout(width="95%", height="44px"),
        )
        lead = w.Text(
            placeholder="Who leads: a role or body, not a person",
            tooltip=f"Who leads on theme {row.theme_id}",
            layout=w.Layout(width="60%"),
        )
        when = w.Dropdown(options=actionplan.TIMELINES, value=actionplan.TIMELINES[1], description="Timeline")
        fields.append((step, lead, when))
        rows.append(
            w.VBox(
                [
                    w.HTML(
                        f"<b>{row.rank}. Theme {row.theme_id} {html.escape(row.theme_title)}</b> "
                        f"({html.escape(row.reason)})<br><small>Practices to learn from: "
                        f"{html.escape(row.practices)}; GCM actions {html.escape(row.gcm_actions or '-')}; "
                        f"SDG targets {html.escape(row.sdg_targets or '-')}</small>"
                    ),
                    step,
                    w.HBox([lead, when]),
                ]
            )
        )
    button = w.Button(description="Export CSV and Excel", button_style="success", icon="download")
    status = w.HTML()

    def export(_):
        def work():
            filled = plan.copy()
            filled["next_step"] = [f[0].value for f in fields]
            filled["lead"] = [f[1].value for f in fields]
            filled["timeline"] = [f[2].value for f in fields]
            warnings = actionplan.check(filled)
            paths = actionplan.export(filled, output_dir, f"action_plan_{assessment.corridor['id']}")
            text = "Exported " + " and ".join(str(p) for p in paths) + "."
            status.value = _message(
                text + (" Warning: " + " ".join(warnings) if warnings else ""), "warning" if warnings else "success"
            )

        _guarded(status, work)

    button.on_click(export)
    if not rows:
        rows = [w.HTML(_message("No priority gap: no theme under 50 and no red line at risk."))]
    return w.VBox(rows + [button, status])
