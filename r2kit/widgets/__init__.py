"""ipywidgets front-ends (thin skins over tested r2kit functions); their public names, re-exported."""

from __future__ import annotations

from .form import (
    ChecklistForm,
    Workspace,
    action_plan,
    checklist_form,
    peer_review_picker,
    practice_finder,
    principle_browser,
    sample_choices,
    selfcheck,
    theme_explorer,
)

__all__ = [
    "ChecklistForm",
    "Workspace",
    "action_plan",
    "checklist_form",
    "peer_review_picker",
    "practice_finder",
    "principle_browser",
    "sample_choices",
    "selfcheck",
    "theme_explorer",
]
