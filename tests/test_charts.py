"""Charts: titled, described, colour-blind-safe, and renderable offline in every context."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import r2kit
from r2kit import analysis, charts, samples
from r2kit import groupviews as views
from r2kit.exchange.benchmark import synthetic_documents


@pytest.fixture(scope="module")
def answers():
    return analysis.answers_table(samples.load_samples())


@pytest.fixture(scope="module")
def every_chart(answers):
    themes = analysis.theme_scores(answers)
    s = samples.load_samples()
    review = analysis.peer_review(answers, s[4].id, s[5].id)
    return {
        "heatmap": charts.theme_heatmap(themes),
        "score_bands": charts.score_bands(views.score_bands(themes)),
        "profile": charts.profile(themes),
        "distribution": charts.distribution(themes),
        "red_lines": charts.red_lines(analysis.red_lines(answers)),
        "agreement": charts.agreement(review["items"]),
        "practices": charts.practices_overview(r2kit.load("practices"), r2kit.load("themes")),
        "returns": charts.returns_trend(r2kit.load("corridor_returns")),
        "crosswalk": charts.crosswalk_matrix(r2kit.load("crosswalk")),
    }


def test_every_chart_has_a_title_and_a_description(every_chart):
    for name, chart in every_chart.items():
        spec = chart.to_dict()
        assert spec["title"]["text"], name
        assert len(spec["description"]) > 60 and "table" in spec["description"].lower(), name


def test_colours_come_from_colour_blind_safe_palettes(every_chart):
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#F0E442", "#999999", "#DDDDDD", "#555", "white", "black"}
    for name, chart in every_chart.items():
        text = json.dumps(chart.to_dict())
        for colour in re.findall(r"#[0-9A-Fa-f]{3,6}\b", text):
            assert colour in okabe_ito, (name, colour)
        for scheme in re.findall(r'"scheme": "(\w+)"', text):
            assert scheme in {"viridis", "blues"}, (name, scheme)


def test_the_renderer_bundles_vegalite5_svg_and_text(every_chart):
    bundle = every_chart["profile"]._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.vegalite.v5+json" in data
    assert data["image/svg+xml"].lstrip().startswith("<svg")
    assert data["text/plain"].startswith("Chart: Gap profile")


def test_save_writes_offline_files(every_chart, tmp_path):
    for suffix in (".svg", ".png", ".pdf", ".html"):
        path = charts.save(every_chart["heatmap"], tmp_path / f"map{suffix}")
        assert path.stat().st_size > 1000
    page = (tmp_path / "map.html").read_text()
    assert not re.search(r"<script[^>]+src=[\"']https?://", page), "the HTML must not load scripts from the web"
    with pytest.raises(r2kit.R2kitError, match="use .svg, .png, .pdf or .html"):
        charts.save(every_chart["heatmap"], tmp_path / "map.gif")


def test_profile_shows_the_scores_of_the_assessment(answers):
    themes = analysis.theme_scores(answers)
    first = themes["assessment_id"].iloc[0]
    values = charts.profile(themes).to_dict()
    data = next(iter(values["datasets"].values()))
    assert [round(d["score"], 3) for d in data] == themes[themes["assessment_id"] == first]["score"].round(3).tolist()


def _labels(svg: str) -> list[str]:
    """Every text drawn in an SVG, lines of a wrapped label joined by spaces."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)).strip().replace("&apos;", "'") for t in texts]


@pytest.mark.parametrize("name", ["heatmap", "score_bands", "profile", "distribution", "practices"])
def test_theme_names_show_in_full_never_cut(every_chart, name):
    shown = " | ".join(_labels(charts.to_svg(every_chart[name])))
    for theme in r2kit.load("themes").itertuples():
        assert f"{theme.theme_id}. {theme.title}" in shown, (name, theme.title)  # wrapped over lines, but whole
    assert "\u2026" not in shown and "..." not in shown


def test_red_line_questions_show_in_full(every_chart, answers):
    shown = " | ".join(_labels(charts.to_svg(every_chart["red_lines"])))
    for question in analysis.red_lines(answers)["question"].unique():
        assert question in shown


def test_every_chart_fits_a_slide(every_chart):
    for name, chart in every_chart.items():
        svg = charts.to_svg(chart)
        assert charts.svg_width(svg) * charts.png_scale(svg) <= charts.SLIDE_WIDTH_PX, name
        assert charts.svg_width(svg) <= 800, name  # sharp at twice the size


def test_a_png_is_never_wider_than_a_slide_even_for_a_very_wide_chart(tmp_path):
    docs = synthetic_documents(60, seed=1)
    answers = pd.DataFrame(
        [{"assessment_id": f"{d['corridor']['id']}/{d['assessor']['code']}", **a} for d in docs for a in d["answers"]]
    )
    wide = charts.theme_heatmap(analysis.theme_scores(answers))  # 60 columns: reports use score bands instead
    path = charts.save(wide, tmp_path / "wide.png")
    assert int.from_bytes(path.read_bytes()[16:20], "big") <= charts.SLIDE_WIDTH_PX


def test_gap_map_columns_follow_the_labels_not_the_corridors(answers):
    from r2kit import groupviews

    meta = groupviews.participants(samples.load_samples())
    names = groupviews.labels(meta)
    spec = charts.theme_heatmap(analysis.theme_scores(answers), labels=names).to_dict()
    order = spec["layer"][0]["encoding"]["x"]["sort"]
    assert order == [f"peer {c}" for c in "ABCDEFGHIJK"]  # ids in order would tell who is who
