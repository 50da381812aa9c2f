"""ipywidgets front-ends (thin skins over tested r2kit functions), one per module; their public names, re-exported."""

from __future__ import annotations

from .browsers import practice_finder, principle_browser, theme_explorer
from .form import ChecklistForm, checklist_form
from .plan import action_plan
from .quiz import selfcheck
from .review import peer_review_picker
from .start import Workspace, sample_choices

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
