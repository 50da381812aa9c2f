"""Browsing the knowledge base: principle_browser, theme_explorer and practice_finder."""

from __future__ import annotations

import ipywidgets as w

from .. import checklist, data, explore
from .common import WIDE, _guarded, _html_table, _message


def principle_browser(principle_id: str = "CP02") -> w.VBox:
    """Dropdown of all principles -> summary, linked themes, source."""
    p = data.load("principles")
    options = [(f"{r.principle_id}: {r.title}", r.principle_id) for r in p.itertuples()]
    pick = w.Dropdown(options=options, value=principle_id, description="Principle", layout=WIDE)
    card = w.HTML(explore.principle_card(principle_id))
    pick.observe(lambda ch: _guarded(card, lambda: setattr(card, "value", explore.principle_card(ch["new"]))), "value")
    return w.VBox([pick, card])


def theme_explorer(theme_id: int = 6) -> w.VBox:
    """Dropdown of the 19 themes (grouped by phase) -> challenge, response, commitments and practices."""
    t = data.load("themes")
    options = [(f"{r.phase}: {r.theme_id}. {r.title}", int(r.theme_id)) for r in t.itertuples()]
    pick = w.Dropdown(options=options, value=theme_id, description="Theme", layout=WIDE)
    card = w.HTML(explore.theme_card(theme_id))
    pick.observe(lambda ch: _guarded(card, lambda: setattr(card, "value", explore.theme_card(ch["new"]))), "value")
    return w.VBox([pick, card])


def practice_finder(**filters) -> w.VBox:
    """Filters for theme, phase, region, country and lens -> the matching practices as a table."""
    p = data.load("practices")
    every = ("All", None)
    choices = {
        "theme": [every] + [(f"{r.theme_id}. {r.title}", int(r.theme_id)) for r in data.load("themes").itertuples()],
        "phase": [every] + [(x, x) for x in checklist.PHASES],
        "region": [every] + [(x, x) for x in sorted(p["region"].unique())],
        "country": [every] + [(x, x) for x in sorted(p["country"].unique())],
        "lens": [every] + [(x, x) for x in checklist.LENSES],
    }
    pickers = {
        k: w.Dropdown(options=v, value=filters.get(k), description=k.capitalize(), layout=w.Layout(width="48%"))
        for k, v in choices.items()
    }
    result = w.HTML()
    detail_pick = w.Dropdown(description="Practice", layout=WIDE)
    detail = w.HTML()

    def show_detail(_=None):
        def work():
            detail.value = explore.practice_card(detail_pick.value) if detail_pick.value else ""

        _guarded(detail, work)

    def refresh(_=None):
        def work():
            found = explore.find_practices(**{k: d.value for k, d in pickers.items()})
            count = f"<p><b>{len(found)} practice row(s)</b> (one per country or region)</p>"
            empty = _message("No practice matches these filters.")
            result.value = count + (_html_table(found) if len(found) else empty)
            detail_pick.options = [(f"{r.practice_id}: {r.title}", r.practice_id) for r in found.itertuples()]
            show_detail()

        _guarded(result, work)

    for d in pickers.values():
        d.observe(refresh, "value")
    detail_pick.observe(show_detail, "value")
    refresh()
    boxes = list(pickers.values())
    return w.VBox(
        [
            w.HBox(boxes[:2]),
            w.HBox(boxes[2:4]),
            boxes[4],
            result,
            w.HTML("<b>Read one practice in full:</b>"),
            detail_pick,
            detail,
        ]
    )
