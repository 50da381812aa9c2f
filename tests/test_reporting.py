"""What the corridor report shows, computed by tested functions (the report notebook only calls them)."""

from __future__ import annotations

import pytest

from r2kit import groupviews
from r2kit.errors import R2kitError
from r2kit.exchange import reporting
from r2kit.samples import sample_paths


@pytest.fixture(scope="module")
def data() -> reporting.ReportData:
    return reporting.load(files=[str(p) for p in sample_paths()])


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
    assert set(figures) == {"profile-GOV-1", "profile-CSO-2", "red_lines", "agreement", "gap_map"}
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
