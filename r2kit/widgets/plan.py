"""The action plan: action_plan, a form per priority gap that exports CSV and Excel."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from .. import actionplan
from ..assessment import Assessment
from .common import _guarded, _message, download_link, fit


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
    button = w.Button(description="Export CSV and Excel", button_style="success", icon="download", layout=fit())
    status = w.HTML()
    links = w.HTML()

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
            links.value = " ".join(download_link(p, f"Download {Path(p).name}") for p in paths)

        _guarded(status, work)

    button.on_click(export)
    if not rows:
        rows = [w.HTML(_message("No priority gap: no theme under 50 and no red line at risk."))]
    return w.VBox(rows + [button, status, links])
