"""What a participant works on: Workspace (the start panel, drafts kept automatically) and sample_choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from .. import analysis, data
from ..assessment import Assessment, Draft, drafts, save_draft
from ..errors import R2kitError
from ..validation import corridor_code_problem, team_code_problem
from .common import WIDE, _guarded, _message, fit
from .findings import findings


def sample_choices() -> list[tuple[str, str]]:
    """(label, sample id) for every shipped sample assessment, each labelled fictional, in the order of the files.

    Read from the sample datasets (the shipped files are exactly what made them), not from the ten files.
    """
    assessments = data.load("sample_answers")[["corridor_id", "assessor_code", "role"]].drop_duplicates()
    corridors = data.load("corridors").set_index("corridor_id")
    choices = []
    for a in assessments.itertuples():
        sample = f"{a.corridor_id}_{a.assessor_code}"
        where = f"{corridors.at[a.corridor_id, 'destination']} \u2192 {corridors.at[a.corridor_id, 'origin']}"
        choices.append((f"{where} (fictional), {a.role.replace('_', ' ')} view [{sample}]", sample))
    return sorted(choices, key=lambda choice: choice[1])


def answers_so_far(assessment: Assessment) -> str:
    """'no answers yet' or '73 of 78 items answered: 68 on the 0-3 scale, 5 don't know', as the summary says it."""
    found = findings(assessment)
    if found.empty:
        return "no answers yet"
    return analysis.answers_text(found.progress)


class Workspace:
    """What a participant works on: a FICTIONAL sample corridor, a blank corridor of their own, a saved file or a draft.

    Views attached with `attach` are rebuilt when the participant starts something else; functions registered with
    `listen` are called with the assessment whenever an answer changes or another assessment is started (the results
    cells follow the form). Every change of an answer is kept as a draft in the output folder's hidden, private
    `.drafts` folder, and the start panel offers the latest drafts after a restart or a reload.
    """

    def __init__(
        self,
        assessment: Assessment,
        output_dir: str = "outputs",
        allow_blank: bool = True,
        sample_id: str | None = None,
        message: str = "",
        offer_drafts: bool = True,
    ):
        self.assessment = assessment
        self.sample_id = sample_id
        self.output_dir = output_dir
        self.draft_path: Path | None = None
        self._views: list[tuple[w.Box, Callable[[Assessment], w.Widget]]] = []
        self._listeners: dict[str, Callable[[Assessment], None]] = {}
        self.message = w.HTML(_message(message) if message else "")
        self.message.add_class("r2kit-start-message")
        self.drafts_box = w.VBox()
        self.widget = self._panel(allow_blank, drafts(output_dir) if offer_drafts else [])

    def attach(self, build: Callable[[Assessment], w.Widget]) -> w.Box:
        """A box showing build(current assessment), rebuilt whenever the assessment changes."""
        box = w.VBox([build(self.assessment)])
        self._views.append((box, build))
        return box

    def say(self, text: str, kind: str = "info") -> None:
        """Show `text` in the panel's message line, replacing what it said before."""
        self.message.value = _message(text, kind)

    def listen(self, key: str, update: Callable[[Assessment], None]) -> None:
        """Call update(assessment) after every change; a later listener with the same key replaces the earlier one."""
        self._listeners[key] = update

    def use(self, assessment: Assessment, draft: Path | None = None) -> None:
        """Switch to another assessment (continuing `draft` if given); rebuild the attached views and the results."""
        self.assessment = assessment
        self.draft_path = draft
        self.drafts_box.layout.display = "none"
        for box, build in self._views:
            box.children = [build(assessment)]
        self._notify()

    def answered(self) -> None:
        """After an answer changed: update the results and keep the answers as a draft."""
        self._notify()
        try:
            self.draft_path = save_draft(self.assessment, self.output_dir, self.draft_path)
        except OSError as err:
            raise R2kitError(
                f"Your answers are kept in this notebook, but no draft could be written ({err.strerror or err}). "
                "Save your assessment now."
            ) from None

    def _notify(self) -> None:
        for update in list(self._listeners.values()):
            update(self.assessment)

    def _panel(self, allow_blank: bool, found: list[Draft]) -> w.VBox:
        from ..assessment import ROLES

        a = self.assessment
        choices = sample_choices() + ([("Blank corridor: my own", "blank")] if allow_blank else [])
        current = self.sample_id or ("blank" if allow_blank else None)
        values = [c[1] for c in choices]
        short = w.Layout(width="45%")
        label = {"description_width": "110px"}
        pick = w.Dropdown(
            options=choices,
            value=current if current in values else values[0],
            description="Corridor",
            layout=WIDE,
            style=label,
        )
        code = w.Text(
            value=a.assessor["code"],
            description="Your code",
            layout=short,
            placeholder="e.g. TEAM-7 (not your name)",
            style=label,
        )
        code_note = w.HTML()
        code_note.add_class("r2kit-code-note")
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
            layout=fit(),
        )
        dest = w.Text(
            description="Destination", placeholder="country of destination or transit", layout=short, style=label
        )
        orig = w.Text(description="Origin", placeholder="country of origin", layout=short)
        cid = w.Text(description="Corridor code", placeholder="e.g. XXX-YYY", layout=short, style=label)
        blank_note = w.HTML()
        blank_box = w.VBox([w.HBox([dest, orig]), cid, blank_note])
        upload = w.FileUpload(accept=".json", multiple=False, description="Continue from a saved file", layout=fit())
        start = w.Button(description="Start", button_style="primary", icon="play", layout=fit())

        def toggle(_=None):
            blank_box.layout.display = "" if pick.value == "blank" else "none"

        def check_code(_=None) -> bool:
            problem = team_code_problem(code.value)
            code_note.value = _message(problem, "warning") if problem else ""
            return problem is None

        def check_blank() -> bool:
            missing = [
                text
                for box, text in (
                    (dest, "the country of destination or transit"),
                    (orig, "the country of origin"),
                )
                if not box.value.strip()
            ]
            problem = corridor_code_problem(cid.value)
            words = (["Please write " + " and ".join(missing) + "."] if missing else []) + (
                [problem] if problem else []
            )
            blank_note.value = _message(" ".join(words), "warning") if words else ""
            return not words

        def go(_):
            def work():
                if upload.value:
                    item = upload.value[0]
                    chosen = Assessment.from_bytes(bytes(item["content"]), item["name"])
                    upload.value = ()
                    how = f"Continuing from {item['name']}"
                else:
                    ok = check_code() & (pick.value != "blank" or check_blank())
                    if not ok:
                        self.message.value = _message(
                            "Please correct what is marked above, then press Start.", "warning"
                        )
                        return
                    today = dt.date.today().isoformat()
                    if pick.value == "blank":
                        chosen = Assessment.new(
                            cid.value.strip() or "MY-CORRIDOR",
                            orig.value.strip(),
                            dest.value.strip(),
                            code.value.strip(),
                            role.value,
                            assessed_on=today,
                            named_in_group_views=named.value,
                        )
                        how = "Working on a blank corridor"
                    else:
                        from ..samples import sample_paths

                        path = next(p for p in sample_paths() if p.stem == pick.value)
                        chosen = Assessment.load(path).with_assessor(code.value, role.value, named.value, today)
                        how = "Working on a FICTIONAL sample corridor, for practice"
                self.use(chosen)
                self.message.value = _message(
                    f"{how}: {chosen.title} as {chosen.assessor['code']}, {answers_so_far(chosen)}. "
                    "Your answers are kept as a draft as you go.",
                    "success",
                )

            _guarded(self.message, work)

        def resume(draft: Draft) -> None:
            def work():
                self.use(draft.assessment, draft.path)
                code.value = draft.assessment.assessor["code"]
                role.value = draft.assessment.assessor["role"]
                self.message.value = _message(
                    f"Continuing your draft: {draft.assessment.title} as {draft.assessment.assessor['code']}, "
                    f"{answers_so_far(draft.assessment)}.",
                    "success",
                )

            _guarded(self.message, work)

        buttons = []
        for draft in found[:3]:
            button = w.Button(description=draft.label, icon="history", layout=fit(), tooltip=draft.label)
            button.on_click(lambda _, d=draft: resume(d))
            buttons.append(button)
        self.drafts_box.children = (
            [w.HTML("<b>Your work is kept as a draft as you answer.</b> To pick up where you left off:")] + buttons
            if buttons
            else []
        )
        pick.observe(toggle, "value")
        code.observe(check_code, "value")
        start.on_click(go)
        toggle()
        return w.VBox(
            [
                self.drafts_box,
                w.HTML("<b>Choose what to work on, then press Start.</b>"),
                pick,
                w.HBox([code, role]),
                code_note,
                named,
                blank_box,
                w.HBox([upload, start]),
                self.message,
            ]
        )
