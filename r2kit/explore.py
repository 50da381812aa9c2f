"""Browsing the knowledge base: filters and text cards shared by the CLI, the widgets and the notebooks."""

from __future__ import annotations

import html

import pandas as pd

from . import data
from .checklist import PHASES
from .errors import R2kitError, unknown


def find_practices(
    theme: int | None = None,
    phase: str | None = None,
    region: str | None = None,
    country: str | None = None,
    lens: str | None = None,
) -> pd.DataFrame:
    """Practices matching the filters (all when none): country, title, figures and source."""
    p = filter_records(
        "practices", data.load("practices"), theme=theme, phase=phase, region=region, country=country, lens=lens
    )
    return p[["practice_id", "country", "region", "theme_ids", "title", "figures", "status"]].reset_index(drop=True)


def filter_records(
    name: str,
    frame: pd.DataFrame,
    theme: int | None = None,
    phase: str | None = None,
    country: str | None = None,
    lens: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Rows of dataset `name` matching every filter given; unknown values raise a clear error."""
    if theme is not None:
        known = data.load("themes")["theme_id"].tolist()
        if theme not in known:
            raise unknown("theme", theme, [str(t) for t in known])
        if "theme_id" in frame:
            frame = frame[frame["theme_id"] == theme]
        elif "theme_ids" in frame:
            frame = frame[frame["theme_ids"].map(lambda ids: theme in ids)]
        else:
            raise R2kitError(f"A theme filter does not apply to {name}: it has no theme column.")
    if phase is not None:
        if phase not in PHASES:
            raise unknown("phase", phase, PHASES)
        themes = data.load("themes")
        ids = set(themes.loc[themes["phase"] == phase, "theme_id"])
        if "phase" in frame:
            frame = frame[frame["phase"] == phase]
        elif "theme_id" in frame:
            frame = frame[frame["theme_id"].isin(ids)]
        elif "theme_ids" in frame:
            frame = frame[frame["theme_ids"].map(lambda t: bool(ids & set(t)))]
        else:
            raise R2kitError(f"A phase filter does not apply to {name}: it has no phase column.")
    if region is not None:
        if "region" not in frame:
            raise R2kitError(f"A region filter does not apply to {name}: it has no region column.")
        if region not in set(frame["region"].dropna()):
            raise unknown("region", region, sorted(set(data.load(name)["region"].dropna())))
        frame = frame[frame["region"] == region]
    if country is not None:
        if "country" not in frame:
            raise R2kitError(f"A country filter does not apply to {name}: it has no country column.")
        wanted = country.casefold()
        match = frame["country"].str.casefold().eq(wanted) | frame["iso3"].fillna("").str.casefold().eq(wanted)
        if not match.any():
            raise unknown("country", country, sorted(set(data.load(name)["country"].dropna())))
        frame = frame[match]
    if lens is not None:
        if "lenses" not in frame:
            raise R2kitError(f"A lens filter does not apply to {name}: it has no lens column.")
        frame = frame[frame["lenses"].map(lambda ls: lens in ls)]
    return frame


def _p(label: str, text: object) -> str:
    return f"<p><b>{html.escape(label)}</b> {html.escape(str(text))}</p>" if pd.notna(text) else ""


def _record(name: str, record_id: object, kind: str) -> pd.Series:
    """One record of dataset `name` by its id, or an error listing the ids there are."""
    frame = data.load(name).set_index(data.resource(name)["schema"]["primaryKey"][0])
    if record_id not in frame.index:
        raise unknown(kind, record_id, [str(i) for i in frame.index])
    return frame.loc[record_id]


def theme_card(theme_id: int) -> str:
    """One theme as HTML: phase, challenge, response, commitments, its practices and its source."""
    t = _record("themes", theme_id, "theme")
    practices = filter_records("practices", data.load("practices"), theme=theme_id)
    items = "".join(
        f"<li><b>{html.escape(p.country)}</b>: {html.escape(p.title)} <i>({p.practice_id})</i></li>"
        for p in practices.itertuples()
    )
    return (
        f"<h3>{theme_id}. {html.escape(t['title'])}</h3><p><i>Phase: {t['phase']}</i></p>"
        + _p("The challenge.", t["challenge"])
        + _p("The response.", t["response"])
        + _p("Closing the gap (GCM commitments).", t["commitments"])
        + f"<p><b>Documented practices ({len(practices)}):</b></p>"
        + (f"<ul>{items}</ul>" if items else "<p>None documented in the Mapping: a gap in the evidence too.</p>")
        + f"<p><small>Source: {html.escape(t['source_section'])}</small></p>"
    )


def principle_card(principle_id: str) -> str:
    """One principle as HTML: its summary, the themes it links to and its source."""
    p = _record("principles", principle_id, "principle")
    cw = data.load("crosswalk")
    linked = cw[cw["principle_id"] == principle_id].merge(data.load("themes")[["theme_id", "title"]], on="theme_id")
    themes = "".join(
        f"<li>{r.theme_id}. {html.escape(r.title)}: {html.escape(r.basis)}</li>" for r in linked.itertuples()
    )
    return (
        f"<h3>{html.escape(principle_id)}: {html.escape(p['title'])}</h3>"
        + _p("", p["summary"])
        + (f"<p><b>Themes it links to:</b></p><ul>{themes}</ul>" if themes else "")
        + f"<p><small>Source: {html.escape(p['source_section'])}</small></p>"
    )


def practice_card(practice_id: str) -> str:
    """One practice row as HTML: country, themes, actors, years, figures, status, summary and source."""
    p = _record("practices", practice_id, "practice")
    listed = {k: ", ".join(map(str, p[k])) for k in ("theme_ids", "actors", "years")}
    return (
        f"<h4>{html.escape(practice_id)}: {html.escape(p['title'])}</h4>"
        + _p("Country or region:", p["country"])
        + _p("Themes:", listed["theme_ids"])
        + _p("Actors:", listed["actors"] or None)
        + _p("Years:", listed["years"] or None)
        + _p("Figures:", p["figures"])
        + _p("Status:", p["status"])
        + _p("", p["summary"])
        + f"<p><small>Source: {html.escape(p['source_section'])}</small></p>"
    )


def themes_without_practice() -> pd.DataFrame:
    """Themes for which the Mapping and the Objective 21 brief document no practice: gaps in the evidence."""
    covered = {t for ids in data.load("practices")["theme_ids"] for t in ids}
    themes = data.load("themes")
    return themes[~themes["theme_id"].isin(covered)][["theme_id", "phase", "title"]].reset_index(drop=True)
