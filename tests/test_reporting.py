"""What the session and corridor reports show, computed by tested functions (the report notebooks only call them).

What a facilitator would notice: charts that fit a slide at any size of group, one row per participant where people
look for themselves, agreement as a percentage, long tables in pages, full tables beside the report.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from r2kit import charts, groupviews
from r2kit.errors import R2kitError
from r2kit.exchange import reporting
from r2kit.exchange.benchmark import png_width, synthetic_documents
from r2kit.samples import sample_paths

TEMPLATES = Path(reporting.__file__).resolve().parents[2] / "templates"


@pytest.fixture(scope="module")
def data() -> reporting.ReportData:
    return reporting.load(files=[str(p) for p in sample_paths()])


def synthetic_data(n: int) -> reporting.ReportData:
    """A fictional session of `n` participants (two per corridor, four regions), as the store would give it."""
    docs = synthetic_documents(n, seed=5)
    ids = [f"{d['corridor']['id']}/{d['assessor']['code']}" for d in docs]
    answers = pd.DataFrame(
        [
            {"assessment_id": i, "corridor_id": d["corridor"]["id"], "evidence": None, **a}
            for i, d in zip(ids, docs, strict=True)
            for a in d["answers"]
        ]
    )
    meta = groupviews.meta_from_answers(answers).assign(region=[d["corridor"]["region"] for d in docs])
    return reporting.ReportData(f"Exchange of {n}", answers, meta, {"name": f"s{n}"}, salt="a secret")


@pytest.fixture(scope="module")
def big() -> reporting.SessionView:
    return reporting.session_view(synthetic_data(200))


@pytest.fixture(scope="module")
def small(data) -> reporting.SessionView:
    return reporting.session_view(data)


def test_a_corridor_sees_its_own_assessments_named_and_everyone_else_anonymised(data):
    view = reporting.corridor_view(data, "NOR-ALD")
    own = {"NOR-ALD/GOV-1 (you)", "NOR-ALD/CSO-2 (you)"}
    assert set(view.themes["assessment_id"]) == own
    assert set(view.learn_from["learner"]) == own
    assert set(view.share_with["peer"]) == own
    others = set(view.learn_from["peer"]) | set(view.share_with["learner"])
    assert others and all(label.startswith("peer ") for label in others)
    assert not any("/" in label for label in others), "no other corridor's id may show"


def test_rows_are_chosen_by_assessment_not_by_the_wording_of_labels(data, monkeypatch):
    english = reporting.corridor_view(data, "NOR-ALD")
    relabel = groupviews.labels

    def french(meta, viewer=None, salt=""):
        return {k: v.replace("(you)", "(vous)") for k, v in relabel(meta, viewer, salt).items()}

    monkeypatch.setattr(groupviews, "labels", french)
    translated = reporting.corridor_view(data, "NOR-ALD")
    assert len(translated.learn_from) == len(english.learn_from) > 0
    assert len(translated.share_with) == len(english.share_with) > 0
    assert set(translated.learn_from["learner"]) == {"NOR-ALD/GOV-1 (vous)", "NOR-ALD/CSO-2 (vous)"}


def test_two_assessors_get_a_peer_review_with_items_to_discuss_and_an_agreement_chart(data):
    view = reporting.corridor_view(data, "NOR-ALD")
    assert view.review is not None and len(view.pairs) == 1
    assert len(reporting.to_discuss(view)) == view.pairs["to_discuss"].iloc[0] > 0
    figures = reporting.corridor_charts(view)
    assert set(figures) == {"profile-GOV-1", "profile-CSO-2", "red_lines", "agreement", "score_bands", "gap_map"}
    assert "<svg" in reporting.show(figures, "profile").data  # both profiles, side by side
    assert reporting.show(figures, "profile").data.count("<svg") == 2


def test_one_assessor_has_no_peer_review_and_the_report_says_so_instead_of_failing(data):
    view = reporting.corridor_view(data, "KAL-COR")
    assert view.review is None and view.pairs.empty
    assert reporting.to_discuss(view).empty
    assert list(reporting.to_discuss(view).columns) == ["item_id", "question", "first", "second", "why"]
    figures = reporting.corridor_charts(view)
    assert "agreement" not in figures
    assert reporting.show(figures, "agreement") is None
    assert "No chart" in reporting.show(figures, "agreement", empty="No chart to show.").data


def test_an_unknown_corridor_is_refused_with_the_corridors_there_are(data):
    with pytest.raises(R2kitError, match="No assessment of corridor 'XXX-YYY'.*NOR-ALD"):
        reporting.corridor_view(data, "XXX-YYY")


# --- the session report -------------------------------------------------------------------------------------------


def test_charts_for_slides_fit_a_slide_with_200_participants(big, tmp_path):
    figures = reporting.session_charts(big)
    assert "gap_map" not in figures  # one column per participant: 200 columns would not fit any slide
    saved = reporting.save_charts(figures, tmp_path)
    assert {p.name for p in saved} == {f"{n}.{f}" for n in ("distribution", "score_bands") for f in ("svg", "png")}
    for path in saved:
        if path.suffix == ".png":
            assert png_width(path) <= charts.SLIDE_WIDTH_PX, path.name
        else:
            assert charts.svg_width(path.read_text(encoding="utf-8")) <= charts.SLIDE_WIDTH_PX / 2, path.name


def test_small_groups_keep_the_map_with_one_column_per_participant_and_it_fits_too(small, tmp_path):
    figures = reporting.session_charts(small)
    assert set(figures) == {"distribution", "score_bands", "gap_map"}
    gap_map = figures["gap_map"].to_dict()
    assert gap_map["title"]["text"] == "Gap map (anonymised)"
    png = [p for p in reporting.save_charts(figures, tmp_path) if p.suffix == ".png"]
    assert max(png_width(p) for p in png) <= charts.SLIDE_WIDTH_PX
    assert "<svg" in reporting.participant_map(figures, small.participants).data


def test_a_large_group_gets_a_note_instead_of_an_unreadable_map_and_every_row_in_the_table(big):
    figures = reporting.session_charts(big)
    assert "200 participants" in reporting.participant_map(figures, big.participants).data
    assert len(big.scores) == 200 and big.scores["participant"].is_unique
    html = reporting.table(big.scores, reporting.score_columns(big.scores)).data
    assert html.count("<details") == 4 and html.count('<details class="r2kit-page" open>') == 1
    assert "Rows 151 to 200 of 200" in html and html.count("<tr>") >= 200


def test_score_bands_chart_is_the_same_size_for_20_and_200_participants(big):
    twenty = reporting.session_view(synthetic_data(20))
    sizes = [charts.svg_width(reporting.svg_text(reporting.session_charts(v)["score_bands"])) for v in (twenty, big)]
    assert sizes[0] == sizes[1] <= 800


def test_who_can_learn_from_whom_has_one_row_per_participant_with_peers_and_themes_in_words(small, data):
    assert len(small.learning) == small.participants == 11  # it used to be one row per match: 3 per person
    assert small.learning["participant"].is_unique
    row = small.learning[small.learning["peers"] > 0].iloc[0]
    lines = row["can_learn_from"].split("\n")
    assert len(lines) == row["peers"]
    assert all(re.match(r"^(peer [A-Z]+|\S+/\S+): \d+\. [A-Z]", line) for line in lines)  # "peer C: 3. Access to ..."
    html = reporting.table(small.learning, {"participant": "Participant", "can_learn_from": "Can learn from"}).data
    assert html.count("<tr>") == 11 and "<br>" in html  # 11 rows (and a heading); one line per peer inside a row


def test_agreement_is_a_percentage_and_kappa_has_two_decimals(small):
    html = reporting.table(small.reviews, {"first": "First", "agreement": "Agreement", "kappa": "Kappa"}).data
    for row in small.reviews.itertuples():
        assert f"<td>{row.agreement:.0%}</td>" in html and f"<td>{row.kappa:.2f}</td>" in html
    assert not re.search(r"<td>0\.\d+</td>", html.split("Kappa")[1].split("<td>peer")[0])
    shown = reporting.review_table(small.reviews)
    assert shown["agreement"].str.fullmatch(r"\d{1,3}%").all() and shown["kappa"].str.fullmatch(r"-?\d\.\d\d").all()
    assert reporting.two_decimals(-0.001) == "0.00" and reporting.percent(float("nan")) == ""


def test_the_reports_text_and_its_chart_say_the_same_about_ticks():
    cells = json.loads((TEMPLATES / "session_report.ipynb").read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert charts.DISTRIBUTION_READING in text
    assert "tick is one corridor" not in text and "corridor" not in charts.DISTRIBUTION_READING


def test_session_report_template_only_calls_reporting_in_short_cells():
    import ast

    cells = json.loads((TEMPLATES / "session_report.ipynb").read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells[2:] if c["cell_type"] == "code"]
    logic = (ast.If, ast.IfExp, ast.For, ast.While, ast.Lambda, ast.Compare, ast.comprehension)
    for source in code[1:]:  # the first imports reporting
        tree = ast.parse(source)
        assert len(tree.body) <= 2, source
        assert not [n for n in ast.walk(tree) if isinstance(n, logic)], source  # no filtering, no branching
        picks = [n.slice for n in ast.walk(tree) if isinstance(n, ast.Subscript)]
        assert all(isinstance(k, ast.Constant) for k in picks), source  # figures["name"], never a filter
        calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
        assert all(isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "reporting" for f in calls), source


def test_full_tables_are_written_beside_the_report_for_a_spreadsheet(big, tmp_path):
    written = reporting.save_tables(big, tmp_path / "tables", "Exchange of 200")
    names = {p.name for p in written}
    assert {"theme_scores.csv", "who_can_learn_from_whom.csv", "session_tables.xlsx"} <= names
    with (tmp_path / "tables" / "theme_scores.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 200 and rows[0]["Participant"].startswith("peer ")
    assert "8. Assisted voluntary return upholding migrants' free, prior and informed consent" in rows[0]
    assert not any("BEN-" in v for row in rows for v in row.values())  # anonymised, like the report
    book = openpyxl.load_workbook(tmp_path / "tables" / "session_tables.xlsx")
    assert book.sheetnames[0] == "About" and "Theme scores" in book.sheetnames
    assert book["Theme scores"].max_row == 201 and book["Theme scores"].freeze_panes == "A2"
    with (tmp_path / "tables" / "peer_review.csv").open(encoding="utf-8-sig", newline="") as f:
        reviews = list(csv.DictReader(f))
    assert len(reviews) == 100 and all(re.fullmatch(r"\d{1,3}%", r["Agreement"]) for r in reviews)
    note = reporting.files_note(written, "The full tables:").data
    assert 'href="' in note and "theme_scores.csv" in note


def test_line_breaks_in_cells_show_as_breaks_and_text_stays_text():
    frame = pd.DataFrame({"text": ["first line\n<script>alert(1)</script>", "a \ue000 b"]})
    html = reporting.table(frame).data
    assert "first line<br>&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "a \ufffd b" in html  # a participant cannot smuggle a line break marker in


def test_corridor_report_in_a_large_group_shows_score_bands_not_a_200_column_map():
    view = reporting.corridor_view(synthetic_data(200), "BEN-0003")
    figures = reporting.corridor_charts(view)
    assert "score_bands" in figures and "gap_map" not in figures
    assert len(view.group_bands) == 19 and view.group_bands["assessments"].eq(200).all()  # the chart's table
    assert "too large" in reporting.show(figures, "gap_map", empty="The group is too large.").data
