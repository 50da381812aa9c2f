"""What the form and the results cells show of one set of answers, computed once: `findings(assessment)`.

Every answer redraws the form's summary and chart and four results cells; each needs the same progress row, summary
and theme scores. They share one Findings per set of answers instead of computing them again (analysis.progress
takes about 30 ms). Treat what it holds as read-only.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from .. import analysis
from ..assessment import Assessment

KEEP = 8  # the most recent sets of answers kept (a participant goes back and forth between a few)
_FOUND: dict[tuple, Findings] = {}


class Findings:
    """The analyses of one set of answers (one assessment's tidy answers), each computed when first asked for."""

    def __init__(self, answers: pd.DataFrame):
        self.answers = answers
        self._profiles: dict[str, dict] = {}

    @property
    def empty(self) -> bool:
        """Whether there is no answer at all."""
        return self.answers.empty

    @cached_property
    def progress(self) -> pd.Series:
        """The assessment's row of analysis.progress (how far it has got, red lines by status, scores)."""
        return analysis.progress(self.answers).iloc[0]

    @cached_property
    def summary(self) -> str:
        """The honest summary participants read (analysis.progress_text)."""
        return analysis.progress_text(self.answers)

    @cached_property
    def themes(self) -> pd.DataFrame:
        """Scores per theme (analysis.theme_scores)."""
        return analysis.theme_scores(self.answers)

    def profile(self, title: str) -> dict:
        """The gap profile chart's Vega-Lite spec (charts.profile), made once per title: show it with charts.Drawn."""
        from .. import charts

        if title not in self._profiles:
            self._profiles[title] = charts.profile(self.themes, title=title).to_dict()
        return self._profiles[title]

    @property
    def red_lines_at_risk(self) -> bool:
        """Whether any red line is at risk."""
        return not self.empty and self.progress["red_at_risk"] > 0


def findings(assessment: Assessment) -> Findings:
    """The findings of the assessment's current answers (the same object while its answers stay the same)."""
    answers = assessment.answers_frame()
    key = tuple(answers.itertuples(index=False, name=None))
    found = _FOUND.pop(key, None) or Findings(answers)
    _FOUND[key] = found  # the most recently used last
    while len(_FOUND) > KEEP:
        del _FOUND[next(iter(_FOUND))]
    return found
