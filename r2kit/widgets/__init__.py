"""ipywidgets front-ends (thin skins over tested r2kit functions), one per module; their public names, re-exported."""

from __future__ import annotations

from .browsers import practice_finder, principle_browser, theme_explorer
from .common import download_link
from .findings import Findings, findings
from .form import ChecklistForm, checklist_form, privacy_note
from .plan import action_plan
from .quiz import selfcheck
from .review import discussion_table, peer_review_picker
from .start import Workspace, answers_so_far, sample_choices

__all__ = [
    "ChecklistForm",
    "Findings",
    "Workspace",
    "action_plan",
    "answers_so_far",
    "checklist_form",
    "discussion_table",
    "download_link",
    "findings",
    "peer_review_picker",
    "practice_finder",
    "principle_browser",
    "privacy_note",
    "sample_choices",
    "selfcheck",
    "theme_explorer",
]
