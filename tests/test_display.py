"""Tables for people: plain headings, lists as text, empty lists and missing values blank."""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2kit import display


def test_column_names_read_as_headings():
    assert [
        display.heading(n)
        for n in ["theme_id", "red_lines_at_risk", "gcm_actions", "sdg_targets", "theme_ids", "n_themes", "dont_know"]
    ] == ["Theme", "Red lines at risk", "GCM actions", "SDG targets", "Themes", "Number of themes", "Don't know"]
    assert display.heading("Next step") == "Next step"  # already written for people


def test_lists_read_as_text_and_empty_lists_are_blank():
    frame = pd.DataFrame({"can_learn": [[1, 2, 3], [], np.array([4, 5])], "named": [True, False, None]})
    html = display.html_table(frame, headings=True)
    assert "<th>Can learn</th>" in html and "<th>Named</th>" in html
    assert "1, 2, 3" in html and "4, 5" in html and "yes" in html and "no" in html
    assert "[" not in html and "]" not in html and "None" not in html and "nan" not in html


def test_without_headings_tables_keep_their_column_names():
    html = display.html_table(pd.DataFrame({"theme_id": [1]}))
    assert "<th>theme_id</th>" in html


def test_a_pivot_tables_axis_name_is_not_shown_as_a_heading():
    frame = pd.DataFrame({"year": [2019], "forced": [3]})
    frame.columns.name = "return_type"
    assert "return_type" not in display.html_table(frame, headings=True)
