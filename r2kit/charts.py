"""Altair chart builders: pure functions, DataFrame in, Chart out, each with a title, a description and
colour-blind-safe colours (Okabe-Ito for categories, viridis for scores, labels so colour is never the only cue).

Rendering works offline everywhere (docs/offline.md): importing this module enables the `r2kit` renderer, which
sends each chart as one bundle: Vega-Lite 5 JSON (JupyterLab draws it with its bundled renderer, no CDN), an SVG
made locally by vl-convert (used by exported HTML and reports), and a text description (screen readers, plain text).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import altair as alt
import pandas as pd

from .analysis import GAP_BELOW

PHASE_COLOURS = {"pre-return": "#0072B2", "return": "#E69F00", "post-return": "#009E73"}  # Okabe-Ito
STATUS_COLOURS = {"at risk": "#D55E00", "unknown": "#999999", "holds": "#0072B2", "not applicable": "#DDDDDD"}
STATUS_MARKS = {"at risk": "!", "unknown": "?", "holds": "\u2713", "not applicable": "n/a"}
SCORE_SCALE = alt.Scale(scheme="viridis", domain=[0, 100])
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
FONT = "Arial, Helvetica, sans-serif"


def _phase_scale() -> alt.Scale:
    return alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values()))


def _theme_label(frame: pd.DataFrame) -> pd.Series:
    return (
        frame["theme_id"].astype(int).astype(str)
        + ". "
        + frame["theme_title"].map(lambda t: textwrap.shorten(str(t), 46, placeholder="..."))
    )


def _finish(chart: alt.TopLevelMixin, title: str, subtitle: str, description: str) -> alt.TopLevelMixin:
    return (
        chart.properties(title=alt.Title(title, subtitle=subtitle, anchor="start"), description=description)
        .configure(font=FONT)
        .configure_view(strokeWidth=0)
    )


def theme_heatmap(themes: pd.DataFrame, labels: dict[str, str] | None = None, title: str = "Gap map") -> alt.Chart:
    """Themes (rows, in phase order) by assessments (columns), coloured and labelled by score (from theme_scores)."""
    data = themes.assign(theme=_theme_label(themes), score=themes["score"].round(0))
    data["who"] = [(labels or {}).get(i, i) for i in data["assessment_id"]]
    order = data.drop_duplicates("theme_id").sort_values("theme_id")["theme"].tolist()
    base = alt.Chart(data).encode(
        x=alt.X("who:N", title=None, sort=list(dict.fromkeys(data["who"])), axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("theme:N", sort=order, title="Theme (1-7 pre-return, 8-11 return, 12-19 post-return)"),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("score:Q", scale=SCORE_SCALE, title="Score (0-100)"),
        tooltip=[
            "who:N",
            "theme:N",
            "phase:N",
            alt.Tooltip("score:Q", format=".0f"),
            alt.Tooltip("coverage:Q", format=".0%"),
            "red_lines_at_risk:Q",
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("score:Q", format=".0f"),
        color=alt.condition(alt.datum.score < 60, alt.value("white"), alt.value("black")),
    )
    chart = (cells + text).properties(width=max(120, 56 * data["who"].nunique()), height=19 * 19)
    n = data["who"].nunique()
    return _finish(
        chart,
        title,
        "Score 0-100 per theme; darker means a larger gap; blank means not answered",
        f"Heatmap of checklist scores for 19 themes across {n} assessment(s). Each cell shows the score "
        f"out of 100; lower scores are darker. The table below the chart gives the same numbers.",
    )


def profile(themes: pd.DataFrame, assessment_id: str | None = None, title: str | None = None) -> alt.Chart:
    """One assessment's gap profile: a bar per theme coloured by phase, the gap line at 50, red lines flagged."""
    ids = themes["assessment_id"].unique()
    assessment_id = assessment_id or ids[0]
    data = themes[themes["assessment_id"] == assessment_id].copy()
    data["theme"] = _theme_label(data)
    data["flag"] = data["red_lines_at_risk"].map(lambda n: f"red line at risk ({n})" if n else "")
    order = data.sort_values("theme_id")["theme"].tolist()
    y = alt.Y("theme:N", sort=order, title=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            y=y,
            color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
            tooltip=[
                "theme:N",
                "phase:N",
                alt.Tooltip("score:Q", format=".0f"),
                alt.Tooltip("coverage:Q", format=".0%"),
                "red_lines_at_risk:Q",
            ],
        )
    )
    flags = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, color="#D55E00", fontWeight="bold")
        .encode(x=alt.X("score:Q"), y=y, text="flag:N")
    )
    rule = alt.Chart(pd.DataFrame({"x": [GAP_BELOW]})).mark_rule(strokeDash=[4, 4], color="#555").encode(x="x:Q")
    chart = (bars + flags + rule).properties(width=360, height=19 * 19)
    return _finish(
        chart,
        title or f"Gap profile: {assessment_id}",
        "Bars under the dashed line (50) are gaps; red lines at risk are flagged in text",
        "Horizontal bar chart of the score out of 100 for each of the 19 themes, coloured by phase. "
        "Themes scoring under 50 are gaps. The table below gives the same numbers.",
    )


def distribution(themes: pd.DataFrame, title: str = "How the group scores each theme") -> alt.Chart:
    """Group view: the spread of theme scores across assessments (box plot plus one dot per assessment)."""
    data = themes.dropna(subset=["score"]).assign(theme=lambda d: _theme_label(d))
    order = data.drop_duplicates("theme_id").sort_values("theme_id")["theme"].tolist()
    y = alt.Y("theme:N", sort=order, title=None)
    box = (
        alt.Chart(data)
        .mark_boxplot(extent="min-max", opacity=0.5)
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            y=y,
            color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
        )
    )
    dots = alt.Chart(data).mark_tick(color="black", thickness=1).encode(x="score:Q", y=y)
    chart = (box + dots).properties(width=360, height=19 * 19)
    n = data["assessment_id"].nunique()
    return _finish(
        chart,
        title,
        f"{n} assessments; each tick is one corridor, the box spans the middle half",
        f"Box plots of the score out of 100 for each theme across {n} anonymised assessments. "
        "The table below lists the median, lowest and highest score per theme.",
    )


def red_lines(rl: pd.DataFrame, labels: dict[str, str] | None = None, title: str = "Red lines") -> alt.Chart:
    """Red-line items (rows) by assessment (columns), coloured and marked by status (analysis.red_lines)."""
    data = rl.assign(
        mark=rl["status"].map(STATUS_MARKS),
        item=rl["item_id"] + " " + rl["question"].map(lambda q: textwrap.shorten(q, 60, placeholder="...")),
    )
    data["who"] = [(labels or {}).get(i, i) for i in data["assessment_id"]]
    base = alt.Chart(data).encode(
        x=alt.X("who:N", title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("item:N", title=None, sort=sorted(data["item"].unique())),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "status:N",
            title="Status",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        ),
        tooltip=["who:N", "item_id:N", "question:N", "answer:N", "status:N"],
    )
    text = base.mark_text(fontWeight="bold", color="black").encode(text="mark:N")
    chart = (cells + text).properties(width=max(80, 56 * data["who"].nunique()), height=24 * data["item"].nunique())
    return _finish(
        chart,
        title,
        "Never averaged away: ! at risk, ? unknown, \u2713 holds (in place and applied)",
        "Grid of the red-line checklist items with their status for each assessment: at risk, unknown, "
        "holds or not applicable. The table below lists the same statuses.",
    )


def agreement(items: pd.DataFrame, title: str = "Where two assessors agree") -> alt.Chart:
    """Peer review: how many items each pair of answers got (first assessor by second); the diagonal is agreement."""
    codes = ["0", "1", "2", "3", "dk", "na", "none"]
    data = items.assign(first=items["first"].fillna("none"), second=items["second"].fillna("none"))
    counts = data.groupby(["first", "second"]).size().reset_index(name="items")
    counts["same"] = counts["first"] == counts["second"]
    base = alt.Chart(counts).encode(
        x=alt.X("second:O", sort=codes, title="Second assessor's answer"),
        y=alt.Y("first:O", sort=codes, title="First assessor's answer"),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("items:Q", scale=alt.Scale(scheme="blues"), title="Items"),
        tooltip=["first:O", "second:O", "items:Q"],
    )
    text = base.mark_text().encode(
        text="items:Q", color=alt.condition(alt.datum.items > 8, alt.value("white"), alt.value("black"))
    )
    outline = base.transform_filter(alt.datum.same).mark_rect(fill=None, stroke="#D55E00", strokeWidth=2)
    chart = (cells + outline + text).properties(width=260, height=260)
    return _finish(
        chart,
        title,
        "Outlined cells on the diagonal are items where both gave the same answer",
        "Matrix counting checklist items by the first and the second assessor's answers. Cells on the "
        "diagonal are agreements. The table below lists every item where they differ.",
    )


def practices_overview(
    practices: pd.DataFrame, themes: pd.DataFrame, title: str = "Documented practices per theme"
) -> alt.Chart:
    """How many practice rows the knowledge base holds for each theme, coloured by phase (themes with none show 0)."""
    per = practices.explode("theme_ids").groupby("theme_ids").size()
    data = themes[["theme_id", "phase", "title"]].rename(columns={"title": "theme_title"}).copy()
    data["practices"] = data["theme_id"].map(per).fillna(0).astype(int)
    data["theme"] = _theme_label(data)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("practices:Q", title="Practice rows (one per country or region)", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("theme:N", sort=data.sort_values("theme_id")["theme"].tolist(), title=None),
            color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
            tooltip=["theme:N", "phase:N", "practices:Q"],
        )
        .properties(width=320, height=19 * 19)
    )
    return _finish(
        chart,
        title,
        "From the Mapping (2021) and the Objective 21 brief; a bar of 0 means none documented",
        "Bar chart of the number of documented promising practices for each of the 19 themes, coloured "
        "by phase. The table below gives the same counts.",
    )


def returns_trend(returns: pd.DataFrame, title: str = "Returns per year (FICTIONAL sample data)") -> alt.Chart:
    """Yearly returns by type for the sample corridors (corridor_returns), to show the COVID-19 dip."""
    data = returns.groupby(["year", "return_type"], as_index=False)["returns"].sum()
    types = {"forced": "#D55E00", "assisted voluntary": "#0072B2", "spontaneous": "#009E73"}
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("returns:Q", title="Returns"),
            color=alt.Color(
                "return_type:N", title="Type of return", scale=alt.Scale(domain=list(types), range=list(types.values()))
            ),
            strokeDash=alt.StrokeDash("return_type:N", legend=None),
            tooltip=["year:O", "return_type:N", "returns:Q"],
        )
        .properties(width=380, height=220)
    )
    return _finish(
        chart,
        title,
        "Invented figures for the fictional sample corridors; 2020-2021 show the COVID-19 dip",
        "Line chart of yearly returns by type (forced, assisted voluntary, spontaneous) summed over the "
        "fictional sample corridors. The table below gives the same figures.",
    )


def crosswalk_matrix(crosswalk: pd.DataFrame, title: str = "Themes and the Common Position principles") -> alt.Chart:
    """Which themes link to which principles (crosswalk rows of link_type principle)."""
    data = crosswalk[crosswalk["link_type"] == "principle"].copy()
    data["theme"] = data["theme_id"].astype(int)
    chart = (
        alt.Chart(data)
        .mark_square(size=140, color="#0072B2")
        .encode(
            x=alt.X("principle_id:N", title="Principle", sort=sorted(data["principle_id"].unique())),
            y=alt.Y("theme:O", title="Theme"),
            tooltip=["theme:O", "principle_id:N", "basis:N"],
        )
        .properties(width=22 * data["principle_id"].nunique(), height=19 * 19)
    )
    return _finish(
        chart,
        title,
        "A square marks a documented link; hover for its basis",
        "Matrix of the 19 themes against the principles they link to in the crosswalk. The table below "
        "lists each link with its basis.",
    )


# --- rendering -----------------------------------------------------------------------------------------------


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, made locally by vl-convert (no browser, no CDN)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict(), vl_version=VL_VERSION)


def save(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Write the chart as .svg, .png, .pdf or self-contained .html (works offline)."""
    import vl_convert as vlc

    path = Path(path)
    spec = chart.to_dict()
    kind = path.suffix.lower()
    if kind == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    elif kind == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=2))
    elif kind == ".pdf":
        path.write_bytes(vlc.vegalite_to_pdf(spec, vl_version=VL_VERSION))
    elif kind == ".html":
        path.write_text(vlc.vegalite_to_html(spec, vl_version=VL_VERSION, bundle=True), encoding="utf-8")
    else:
        from .errors import R2kitError

        raise R2kitError(f"Cannot save a chart as {kind!r}: use .svg, .png, .pdf or .html.")
    return path


def _describe(spec: dict) -> str:
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return f"Chart: {text}. {spec.get('description', '')}".strip()


def _renderer(spec: dict, **_) -> dict:
    """Altair renderer: Vega-Lite 5 JSON for JupyterLab, local SVG for HTML export, text for screen readers."""
    import vl_convert as vlc

    return {
        f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json": spec,
        "image/svg+xml": vlc.vegalite_to_svg(spec, vl_version=VL_VERSION),
        "text/plain": _describe(spec),
    }


class Live:
    """A chart for a live widget view: Vega-Lite and text only (JupyterLab draws it; no SVG is ever shown there)."""

    def __init__(self, chart: alt.TopLevelMixin):
        self.spec = chart.to_dict()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json": self.spec,
            "text/plain": _describe(self.spec),
        }


alt.renderers.register("r2kit", _renderer)
alt.renderers.enable("r2kit")
