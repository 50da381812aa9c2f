"""Altair chart builders: pure functions, DataFrame in, Chart out, each with a title, a description and
colour-blind-safe colours (Okabe-Ito for categories, viridis for scores, labels so colour is never the only cue).

Rendering works offline everywhere (docs/offline.md): importing this module enables the `r2kit` renderer, which
sends each chart as one bundle: Vega-Lite 5 JSON (JupyterLab draws it with its bundled renderer, no CDN), an SVG
made locally by vl-convert (used by exported HTML and reports), and a text description (screen readers, plain text).
In a Voila app, whose widget outputs cannot draw Vega-Lite, `draw_as_images()` switches to the `r2kit-images`
renderer: each chart is an image of that SVG with its description as the image's text.
"""

from __future__ import annotations

import base64
import html
import json
import os
import textwrap
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from .analysis import GAP_BELOW
from .groupviews import SCORE_BANDS, label_key

PHASE_COLOURS = {"pre-return": "#0072B2", "return": "#E69F00", "post-return": "#009E73"}  # Okabe-Ito
STATUS_COLOURS = {"at risk": "#D55E00", "unknown": "#999999", "holds": "#0072B2", "not applicable": "#DDDDDD"}
STATUS_MARKS = {"at risk": "!", "unknown": "?", "holds": "\u2713", "not applicable": "n/a"}
SCORE_SCALE = alt.Scale(scheme="viridis", domain=[0, 100])
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
FONT = "Arial, Helvetica, sans-serif"
LABEL_WRAP = 44  # characters per line of an axis label (theme titles, red-line questions): wrapped, never cut
LINE_HEIGHT = 12  # pixels per line of a wrapped label
SLIDE_WIDTH_PX = 1600  # a PNG for slides is never wider than this (a 16:9 slide at full HD is 1920)
PNG_SCALE = 2  # PNGs are drawn at twice the size of the SVG, for sharp slides, unless that would exceed the width
DISTRIBUTION_READING = (  # the report's text says the same (tests/test_reporting.py checks it)
    "Each tick is one assessment's score (equal scores share a tick); "
    "the box spans the middle half of the group and the thick tick is its median."
)
BAND_COLOURS = {"gap": "#D55E00", "middle": "#F0E442", "strength": "#0072B2", "not_scored": "#DDDDDD"}  # Okabe-Ito


def _phase_scale() -> alt.Scale:
    return alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values()))


def _wrap(text: str, width: int = LABEL_WRAP) -> str:
    """Text broken into lines of at most `width` characters (never cut: a long word stays whole)."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _theme_label(frame: pd.DataFrame) -> pd.Series:
    """'8. Assisted voluntary return ...' in full, wrapped over lines (the axis draws each line)."""
    return (frame["theme_id"].astype(int).astype(str) + ". " + frame["theme_title"].astype(str)).map(_wrap)


def _lines(labels: pd.Series) -> int:
    """The most lines any of the (wrapped) labels takes."""
    return int(labels.astype(str).str.count("\n").max() + 1) if len(labels) else 1


def _row_step(labels: pd.Series) -> int:
    """Height of one row (pixels) so that its wrapped label fits without touching the next."""
    return max(20, LINE_HEIGHT * _lines(labels) + 8)


def _wrapped_axis(**kwargs) -> alt.Axis:
    """A (y) axis whose labels show in full, one line per line of the label, centred on their row (never cut)."""
    lines = "length(split(datum.value, '\\n'))"
    return alt.Axis(
        labelExpr="split(datum.label, '\\n')",
        labelLimit=0,
        labelLineHeight=LINE_HEIGHT,
        labelOffset=alt.ExprRef(f"-{LINE_HEIGHT / 2:g} * ({lines} - 1)"),  # Vega draws extra lines below the first
        **kwargs,
    )


def _finish(chart: alt.TopLevelMixin, title: str, subtitle: str | list[str], description: str) -> alt.TopLevelMixin:
    return (
        chart.properties(title=alt.Title(title, subtitle=subtitle, anchor="start"), description=description)
        .configure(font=FONT)
        .configure_view(strokeWidth=0)
    )


def theme_heatmap(themes: pd.DataFrame, labels: dict[str, str] | None = None, title: str = "Gap map") -> alt.Chart:
    """Themes (rows, in phase order) by assessments (columns, in label order: named, then peer A, B ...), coloured and
    labelled by score (from theme_scores). Columns never follow the order of corridor ids, which would name them.

    One column per assessment (34 px each): readable and slide-sized for small groups only; for larger ones show
    score_bands instead (reporting.group_map chooses).
    """
    data = themes.assign(theme=_theme_label(themes), score=themes["score"].round(0))
    data["who"] = [(labels or {}).get(i, i) for i in data["assessment_id"]]
    data["title"] = data["theme_title"]
    order = data.drop_duplicates("theme_id").sort_values("theme_id")["theme"].tolist()
    n = data["who"].nunique()
    base = alt.Chart(data).encode(
        x=alt.X("who:N", title=None, sort=sorted(set(data["who"]), key=label_key), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(
            "theme:N",
            sort=order,
            title="Theme (1-7 pre-return, 8-11 return, 12-19 post-return)",
            axis=_wrapped_axis(),
        ),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("score:Q", scale=SCORE_SCALE, title="Score (0-100)"),
        tooltip=[
            alt.Tooltip("who:N", title="assessment"),
            alt.Tooltip("title:N", title="theme"),
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
    step = _row_step(data["theme"])
    chart = (cells + text).properties(width=max(120, 34 * n), height=step * len(order))
    return _finish(
        chart,
        title,
        "Score 0-100 per theme; darker means a larger gap; blank means not answered",
        f"Heatmap of checklist scores for 19 themes across {n} assessment(s). Each cell shows the score "
        f"out of 100; lower scores are darker. The table below the chart gives the same numbers.",
    )


def score_bands(bands: pd.DataFrame, title: str = "Gap map: the group by score band") -> alt.Chart:
    """Group gap map at any size: per theme, one bar split into how many assessments score in each band.

    `bands` is groupviews.score_bands (one row per theme): the chart has 19 rows and the same size for 10 or 1,000
    assessments. Each part is labelled with its count where it is wide enough, so colour is never the only cue.
    """
    words = dict(SCORE_BANDS)
    frame = bands.assign(theme=_theme_label(bands))
    parts = frame.melt(
        id_vars=["theme_id", "theme", "theme_title", "phase", "assessments"],
        value_vars=list(words),
        var_name="band",
        value_name="count",
    )
    parts["band_order"] = parts["band"].map({b: n for n, b in enumerate(words)})
    parts = parts.sort_values(["theme_id", "band_order"])
    parts["end"] = parts.groupby("theme_id")["count"].cumsum()
    parts["start"] = parts["end"] - parts["count"]
    parts["middle"] = (parts["start"] + parts["end"]) / 2
    parts["share"] = parts["count"] / parts["assessments"].where(parts["assessments"] > 0)
    parts["band_words"] = parts["band"].map(words)
    parts["ink"] = parts["band"].map({"gap": "white", "strength": "white"}).fillna("black")
    n = int(bands["assessments"].max()) if len(bands) else 0
    order = frame.sort_values("theme_id")["theme"].tolist()
    y = alt.Y("theme:N", sort=order, title=None, axis=_wrapped_axis())
    x = alt.X("start:Q", title=f"Assessments (of {n})", scale=alt.Scale(domain=[0, max(n, 1)], nice=False))
    bars = (
        alt.Chart(parts)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            x2="end:Q",
            y=y,
            color=alt.Color(
                "band_words:N",
                title="Score band",
                sort=list(words.values()),
                scale=alt.Scale(domain=list(words.values()), range=[BAND_COLOURS[b] for b in words]),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("theme_title:N", title="theme"),
                alt.Tooltip("band_words:N", title="score band"),
                alt.Tooltip("count:Q", title="assessments"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
    )
    counts = (
        alt.Chart(parts)
        .transform_filter(f"datum.count > 0 && datum.count >= {max(n, 1)} * 0.06")
        .mark_text(fontSize=10)
        .encode(
            x="middle:Q",
            y=y,
            text="count:Q",
            color=alt.Color("ink:N", scale=None),
        )
    )
    chart = (bars + counts).properties(width=420, height=_row_step(frame["theme"]) * len(order))
    return _finish(
        chart,
        title,
        f"{n} assessments: how many score under 50 (gap), 50 to 74, 75 or more (strength), or gave no score",
        f"Stacked bars, one per theme, splitting the {n} assessments by score band: under 50 (a gap), 50 to 74, "
        "75 or more (a strength a peer can share), and not scored. The table below gives the same counts.",
    )


def profile(themes: pd.DataFrame, assessment_id: str | None = None, title: str | None = None) -> alt.Chart:
    """One assessment's gap profile: a bar per theme coloured by phase, the gap line at 50, red lines flagged."""
    ids = themes["assessment_id"].unique()
    assessment_id = assessment_id or ids[0]
    data = themes[themes["assessment_id"] == assessment_id].copy()
    data["theme"] = _theme_label(data)
    data["flag"] = data["red_lines_at_risk"].map(lambda n: f"red line at risk ({n})" if n else "")
    order = data.sort_values("theme_id")["theme"].tolist()
    y = alt.Y("theme:N", sort=order, title=None, axis=_wrapped_axis())
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            y=y,
            color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
            tooltip=[
                alt.Tooltip("theme_title:N", title="theme"),
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
    chart = (bars + flags + rule).properties(width=360, height=_row_step(data["theme"]) * len(order))
    return _finish(
        chart,
        title or f"Gap profile: {assessment_id}",
        "Bars under the dashed line (50) are gaps; red lines at risk are flagged in text",
        "Horizontal bar chart of the score out of 100 for each of the 19 themes, coloured by phase. "
        "Themes scoring under 50 are gaps. The table below gives the same numbers.",
    )


def distribution(themes: pd.DataFrame, title: str = "How the group scores each theme") -> alt.Chart:
    """Group view: the spread of theme scores across assessments (a box per theme plus a tick per score given).

    The boxes are computed here (quartiles as in groupviews.score_distribution, which the report's table shows), and
    assessments with the same whole-number score share one tick, so the chart stays small for 200 assessments.
    """
    data = themes.dropna(subset=["score"]).assign(theme=lambda d: _theme_label(d), score=lambda d: d["score"].round(0))
    order = data.drop_duplicates("theme_id").sort_values("theme_id")["theme"].tolist()
    grouped = data.groupby(["theme_id", "theme", "theme_title", "phase"], sort=True)["score"]
    boxes = grouped.describe()[["min", "25%", "50%", "75%", "max"]].reset_index()
    boxes.columns = ["theme_id", "theme", "theme_title", "phase", "low", "q1", "median", "q3", "high"]
    ticks = data.groupby(["theme", "theme_title", "score"]).size().reset_index(name="assessments")
    y = alt.Y("theme:N", sort=order, title=None, axis=_wrapped_axis())
    x_scale = alt.Scale(domain=[0, 100])
    base = alt.Chart(boxes).encode(y=y)
    whisker = base.mark_rule(color="#555").encode(x=alt.X("low:Q", scale=x_scale, title="Score (0-100)"), x2="high:Q")
    box = base.mark_bar(opacity=0.5, size=14).encode(
        x="q1:Q",
        x2="q3:Q",
        color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
        tooltip=[
            alt.Tooltip("theme_title:N", title="theme"),
            alt.Tooltip("low:Q", title="lowest", format=".0f"),
            alt.Tooltip("q1:Q", title="lower quartile", format=".0f"),
            alt.Tooltip("median:Q", format=".0f"),
            alt.Tooltip("q3:Q", title="upper quartile", format=".0f"),
            alt.Tooltip("high:Q", title="highest", format=".0f"),
        ],
    )
    median = base.mark_tick(color="black", thickness=3, size=16).encode(x="median:Q")
    dots = (
        alt.Chart(ticks)
        .mark_tick(color="black", thickness=1, size=10)
        .encode(
            x="score:Q",
            y=y,
            tooltip=[alt.Tooltip("theme_title:N", title="theme"), "score:Q", "assessments:Q"],
        )
    )
    chart = (whisker + box + dots + median).properties(width=360, height=_row_step(data["theme"]) * len(order))
    n = data["assessment_id"].nunique()
    return _finish(
        chart,
        title,
        textwrap.wrap(f"{n} assessments. {DISTRIBUTION_READING}", 90),
        f"Box plots of the score out of 100 for each theme across {n} anonymised assessments. "
        "The table below lists the median, lowest and highest score per theme.",
    )


def red_lines(rl: pd.DataFrame, labels: dict[str, str] | None = None, title: str = "Red lines") -> alt.Chart:
    """Red-line items (rows) by assessment (columns), coloured and marked by status (analysis.red_lines)."""
    data = rl.assign(
        mark=rl["status"].map(STATUS_MARKS),
        item=(rl["item_id"] + " " + rl["question"]).map(_wrap),
    )
    data["who"] = [(labels or {}).get(i, i) for i in data["assessment_id"]]
    base = alt.Chart(data).encode(
        x=alt.X("who:N", title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("item:N", title=None, sort=sorted(data["item"].unique()), axis=_wrapped_axis()),
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
    step = _row_step(data["item"])
    chart = (cells + text).properties(width=max(80, 34 * data["who"].nunique()), height=step * data["item"].nunique())
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
            y=alt.Y("theme:N", sort=data.sort_values("theme_id")["theme"].tolist(), title=None, axis=_wrapped_axis()),
            color=alt.Color("phase:N", scale=_phase_scale(), title="Phase"),
            tooltip=[alt.Tooltip("theme_title:N", title="theme"), "phase:N", "practices:Q"],
        )
        .properties(width=320, height=_row_step(data["theme"]) * len(data))
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


def svg_width(svg: str) -> float:
    """The width (CSS pixels) an SVG made by to_svg declares."""
    import re

    found = re.search(r'<svg[^>]*?\swidth="([0-9.]+)', svg)
    return float(found.group(1)) if found else 0.0


def png_scale(svg: str, max_width: int = SLIDE_WIDTH_PX) -> float:
    """PNG_SCALE, or less if that would make the PNG wider than `max_width` pixels (it must fit a slide)."""
    width = svg_width(svg)
    return min(PNG_SCALE, max_width / width) if width else PNG_SCALE


def svg_to_png(svg: str, max_width: int = SLIDE_WIDTH_PX) -> bytes:
    """A PNG of an SVG made by to_svg: twice its size for sharp slides, never wider than `max_width` pixels."""
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=png_scale(svg, max_width))


def save(chart: alt.TopLevelMixin, path: str | Path, svg: str | None = None) -> Path:
    """Write the chart as .svg, .png (at most SLIDE_WIDTH_PX wide), .pdf or self-contained .html (works offline).

    `svg` is the chart already drawn by to_svg, if at hand: .svg and .png files then reuse it instead of drawing again.
    """
    import vl_convert as vlc

    path = Path(path)
    kind = path.suffix.lower()
    if kind == ".svg":
        path.write_text(svg or to_svg(chart), encoding="utf-8")
    elif kind == ".png":
        path.write_bytes(svg_to_png(svg or to_svg(chart)))
    elif kind == ".pdf":
        path.write_bytes(vlc.vegalite_to_pdf(chart.to_dict(), vl_version=VL_VERSION))
    elif kind == ".html":
        html = vlc.vegalite_to_html(chart.to_dict(), vl_version=VL_VERSION, bundle=True)
        path.write_text(html, encoding="utf-8")
    else:
        from .errors import R2kitError

        raise R2kitError(f"Cannot save a chart as {kind!r}: use .svg, .png, .pdf or .html.")
    return path


def _describe(spec: dict) -> str:
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return f"Chart: {text}. {spec.get('description', '')}".strip()


@lru_cache(maxsize=16)
def _svg_of(spec_json: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(json.loads(spec_json), vl_version=VL_VERSION)


def _svg(spec: dict) -> str:
    """The SVG of a Vega-Lite spec (vl-convert), drawn once for the same spec (the form and a results cell share it)."""
    return _svg_of(json.dumps(spec, sort_keys=True))


def _renderer(spec: dict, **_) -> dict:
    """Altair renderer: Vega-Lite 5 JSON for JupyterLab, local SVG for HTML export, text for screen readers."""
    return {
        f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json": spec,
        "image/svg+xml": _svg(spec),
        "text/plain": _describe(spec),
    }


def _image_renderer(spec: dict, **_) -> dict:
    """Altair renderer for apps: the chart as an image of its local SVG, its description as the image's text."""
    svg = _svg(spec)
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    text = html.escape(_describe(spec), quote=True)
    return {
        "text/html": f'<img class="r2kit-chart" src="{source}" alt="{text}" style="max-width:100%">',
        "text/plain": _describe(spec),
    }


def draw_as_images(on: bool = True) -> None:
    """Draw charts as images (local SVG) instead of Vega-Lite, or back: Voila cannot draw Vega-Lite inside widgets."""
    alt.renderers.enable("r2kit-images" if on else "r2kit")


def drawn_as_images() -> bool:
    """Whether charts are drawn as images (see draw_as_images)."""
    return alt.renderers.active == "r2kit-images"


class Drawn:
    """A chart already made into its Vega-Lite spec (to_dict), shown like any chart: a spec drawn once can be shown in
    several places (the form and a results cell) without making it again."""

    def __init__(self, chart: alt.TopLevelMixin | dict):
        self.spec = chart if isinstance(chart, dict) else chart.to_dict()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return alt.renderers.get()(self.spec)


class Live(Drawn):
    """A chart for a live widget view: Vega-Lite and text only (JupyterLab draws it; no SVG is ever shown there).

    When charts are drawn as images (a Voila app), it is an image like every other chart.
    """

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        if drawn_as_images():
            return _image_renderer(self.spec)
        return {
            f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json": self.spec,
            "text/plain": _describe(self.spec),
        }


alt.renderers.register("r2kit", _renderer)
alt.renderers.register("r2kit-images", _image_renderer)
# In a Voila app (Voila names its kernel in VOILA_KERNEL_ID, see notebook.output.in_app) charts are images from the
# start: there this module is first imported by the first chart, not by notebook.setup().
alt.renderers.enable("r2kit-images" if "VOILA_KERNEL_ID" in os.environ else "r2kit")
