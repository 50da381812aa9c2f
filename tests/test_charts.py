"""Charts: titled, described, colour-blind-safe, and renderable offline in every context."""

from __future__ import annotations

import json
import re

import pytest

import r2kit
from r2kit import analysis, charts, samples


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
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999", "#DDDDDD", "#555", "white", "black"}
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
