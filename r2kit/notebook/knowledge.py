"""Notebooks 00-02 and 07: the knowledge base as tables, browsers and charts (principles, themes, practices, data)."""

from __future__ import annotations

import html
import json
import os
import urllib.parse
from pathlib import Path

import pandas as pd

from .. import data, explore
from . import output
from .output import show, table

WORKSHOP = {  # the workshop notebooks, in session order (notebook 00's table of apps)
    "00_start_here": "Start here",
    "01_principles": "Principles",
    "02_mapping_explorer": "Mapping explorer",
    "03_corridor_gap_mapping": "Corridor gap-mapping: the core exercise",
    "04_peer_review_and_exchange": "Peer review and exchange",
    "05_from_gaps_to_actions": "From gaps to actions",
    "06_covid19_focus": "COVID-19 focus",
    "07_for_researchers": "For researchers",
}


def overview() -> pd.DataFrame:
    """What the knowledge base holds: one row per dataset with its size and title."""
    return pd.DataFrame(
        [
            {"dataset": r["name"], "rows": len(data.load(r["name"])), "what it holds": r["title"]}
            for r in data.package()["resources"]
        ]
    )


def principles_table(principle_set: str = "common_position") -> pd.DataFrame:
    """Principles of one set (common_position, cross_cutting, gcm_guiding, covid19_guidance): id, title, summary."""
    p = data.load("principles")
    sets = sorted(p["principle_set"].unique())
    if principle_set not in sets:
        from ..errors import unknown

        raise unknown("principle set", principle_set, sets)
    return p[p["principle_set"] == principle_set][["principle_id", "title", "summary"]].reset_index(drop=True)


def principle_browser(principle_id: str = "CP02"):
    """A dropdown of every principle showing its summary, the themes it links to and its source."""
    from .. import widgets

    return widgets.principle_browser(principle_id)


def selfcheck(answers: dict[str, int] | None = None):
    """The self-check: a quiz widget; with `answers` ({question: option}) also shows the marked answers."""
    from .. import selfcheck as sc
    from .. import widgets

    if answers:
        table(sc.check(answers)[["question", "correct", "right answer", "why", "source"]], "Self-check: answers")
    return widgets.selfcheck()


def themes_table(phase: str | None = None) -> pd.DataFrame:
    """The 19 themes (or one phase's) with their challenge in short."""
    t = explore.filter_records("themes", data.load("themes"), phase=phase)
    return t[["theme_id", "phase", "title", "challenge"]].reset_index(drop=True)


def theme_explorer(theme_id: int = 6):
    """A dropdown of the 19 themes showing challenge, response, GCM commitments and practices."""
    from .. import widgets

    return widgets.theme_explorer(theme_id)


def practice_finder(**filters):
    """Dropdowns for theme, phase, region, country and lens, and the matching practices."""
    from .. import widgets

    return widgets.practice_finder(**filters)


def practices_overview() -> None:
    """Chart of documented practices per theme, with its table."""
    from .. import charts

    practices, themes = data.load("practices"), data.load("themes")
    chart = charts.practices_overview(practices, themes)
    counts = practices.explode("theme_ids").groupby("theme_ids").size()
    frame = themes[["theme_id", "phase", "title"]].assign(
        practices=themes["theme_id"].map(counts).fillna(0).astype(int)
    )
    show(chart, frame, "documented practices per theme")


def returns_trend(corridor: str | None = None) -> None:
    """Yearly returns by type for the FICTIONAL sample corridors (all, or one corridor id), chart and table."""
    from .. import charts

    returns = data.load("corridor_returns")
    title = "Returns per year, all sample corridors (FICTIONAL)"
    if corridor is not None:
        known = sorted(returns["corridor_id"].unique())
        if corridor not in known:
            from ..errors import unknown

            raise unknown("sample corridor", corridor, known)
        returns = returns[returns["corridor_id"] == corridor]
        title = f"Returns per year, {corridor} (FICTIONAL)"
    yearly = returns.pivot_table(index="year", columns="return_type", values="returns", aggfunc="sum").reset_index()
    yearly.columns.name = None
    show(charts.returns_trend(returns, title=title), yearly, title.lower())


def _server_folder() -> tuple[str, str]:
    """(base URL, this folder under the server's root) of the Jupyter server whose root holds this notebook.

    Read from the servers' runtime files; without one, the layout of `make lab` and Binder ('/', 'notebooks/').
    """
    from jupyter_core.paths import jupyter_runtime_dir

    here = Path.cwd().resolve()
    found = []
    for path in Path(jupyter_runtime_dir()).glob("jpserver-*.json"):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            root = Path(info["root_dir"]).expanduser().resolve()
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if root == here or root in here.parents:
            found.append((len(root.parts), path.stat().st_mtime, info.get("base_url", "/"), here.relative_to(root)))
    if not found:
        return os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"), "notebooks/"
    *_, base, folder = max(found)
    return base, "" if folder == Path(".") else f"{folder.as_posix()}/"


def app_url(notebook: str) -> str:
    """The address of a workshop notebook as an app (Voila): beside this page in an app, else on this server.

    An absolute path, so that a click opens it as a page (the app's output renderer keeps relative links to itself).
    """
    if output.in_app():
        page = urllib.parse.urlsplit(os.environ.get("VOILA_REQUEST_URL", "")).path
        return urllib.parse.urljoin(page, f"{notebook}.ipynb")
    base, folder = _server_folder()
    return f"{base}voila/render/{folder}{notebook}.ipynb"


def app_links() -> None:
    """Links that open each workshop notebook as an app: the same page with its buttons, and no code."""
    from IPython.display import HTML

    rows = "".join(
        f'<li><a href="{html.escape(app_url(name), quote=True)}">{html.escape(name[:2])} {html.escape(title)}</a></li>'
        for name, title in WORKSHOP.items()
    )
    output.render(HTML(f'<ul class="r2kit-app-links">{rows}</ul>'))
