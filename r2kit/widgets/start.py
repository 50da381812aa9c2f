"""What a participant works on: Workspace (the start panel) and sample_choices."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..assessment import Assessment
from .common import WIDE, _guarded, _message


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
