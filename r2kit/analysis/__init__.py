"""Gap analysis of checklist self-assessments: pure functions, tidy DataFrame in, DataFrame out.

The method (docs/method.md) in short:
- each answer scores 0, 33.3, 66.7 or 100; "don't know" and "not applicable" have no score and are not zeros;
- a theme's score is the mean of its scored items; a phase's and the overall score are means of theme scores,
  so every theme weighs the same whatever its number of items; a lens score is the mean of its items;
- coverage is the share of applicable items answered on the 0-3 scale;
- red lines are reported item by item and never averaged away: a red line is "at risk" unless it is in place
  and applied in practice (3), "unknown" when not answered or answered "don't know";
- priority gaps: themes with a red line at risk first, then themes by score, lowest first.

Every function takes `answers`: a tidy table with columns assessment_id, item_id, answer (one row per answer),
as made by `answers_table` from Assessment objects, or read from a file or database.

The functions live by topic (scores, completion, gaps, review); they are all reached as `r2kit.analysis.<name>`,
the stable API that notebooks, reports and researchers use.
"""

from __future__ import annotations

from .completion import (
    RED_LINE_WORDS,
    answers_text,
    progress,
    progress_text,
    red_line_status,
    red_lines_text,
)
from .gaps import (
    covid_guidance,
    gap_resources,
    links_for,
    practices_for,
    priority_gaps,
)
from .review import (
    complementarity,
    peer_review,
    weighted_kappa,
)
from .scores import (
    CODE_INDEX,
    GAP_BELOW,
    RED_LINE_HOLDS,
    STRENGTH_FROM,
    answer_matrix,
    answers_table,
    item_facts,
    item_scores,
    lens_scores,
    overall,
    phase_scores,
    profiles,
    red_lines,
    theme_scores,
)

__all__ = [
    "answer_matrix",
    "answers_table",
    "answers_text",
    "CODE_INDEX",
    "complementarity",
    "covid_guidance",
    "GAP_BELOW",
    "gap_resources",
    "item_facts",
    "item_scores",
    "lens_scores",
    "links_for",
    "overall",
    "peer_review",
    "phase_scores",
    "practices_for",
    "priority_gaps",
    "profiles",
    "progress",
    "progress_text",
    "RED_LINE_HOLDS",
    "red_line_status",
    "RED_LINE_WORDS",
    "red_lines",
    "red_lines_text",
    "STRENGTH_FROM",
    "theme_scores",
    "weighted_kappa",
]
