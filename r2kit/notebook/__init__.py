"""One-line calls for the workshop notebooks: each shows a table, a chart with its table, or a widget.

Notebooks hold no logic: every function here calls tested code in r2kit and only decides what to show. The
helpers live by notebook (knowledge: 00-02 and 07; corridor: 03, 05, 06; group: 04) and how they show things in
`show`. `setup()` turns r2kit's own errors into plain-language messages (no traceback) while keeping the cell
marked as failed, so papermill and nbval still see the error.
"""

from __future__ import annotations

from ..explore import find_practices
from ..samples import load_assessments as load
from .corridor import (
    _WORKSPACES,
    action_plan,
    check_assessment,
    checklist_form,
    corridors,
    covid_focus,
    covid_guidance,
    export_draft_plan,
    gap_links,
    gap_practices,
    gap_profile,
    priority_gaps,
    red_line_status,
    save_assessment,
    start_assessment,
    workspace,
)
from .group import breakout_groups, group_view, peer_matches, peer_review, peer_review_picker
from .knowledge import (
    app_links,
    app_url,
    overview,
    practice_finder,
    practices_overview,
    principle_browser,
    principles_table,
    returns_trend,
    selfcheck,
    theme_explorer,
    themes_table,
)
from .output import in_app, note, ready, setup, show, table

__all__ = [
    "action_plan",
    "app_links",
    "app_url",
    "breakout_groups",
    "check_assessment",
    "checklist_form",
    "corridors",
    "covid_focus",
    "covid_guidance",
    "export_draft_plan",
    "find_practices",
    "gap_links",
    "gap_practices",
    "gap_profile",
    "group_view",
    "in_app",
    "load",
    "note",
    "overview",
    "peer_matches",
    "peer_review",
    "peer_review_picker",
    "practice_finder",
    "practices_overview",
    "principle_browser",
    "principles_table",
    "priority_gaps",
    "ready",
    "red_line_status",
    "returns_trend",
    "save_assessment",
    "selfcheck",
    "setup",
    "show",
    "start_assessment",
    "table",
    "theme_explorer",
    "themes_table",
    "workspace",
    "_WORKSPACES",
]
