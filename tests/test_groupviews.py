"""Group views and peer matching: anonymised, counts only, deterministic, usable without a store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from r2kit import analysis, matching
from r2kit import groupviews as views
from r2kit.errors import R2kitError
from r2kit.exchange.benchmark import synthetic_documents
from r2kit.samples import load_samples


@pytest.fixture(scope="module")
def samples():
    return load_samples()


@pytest.fixture(scope="module")
def answers(samples):
    return analysis.answers_table(samples)


@pytest.fixture(scope="module")
def meta(samples):
    return views.participants(samples)


def test_participants_metadata_comes_from_assessments(meta):
    assert list(meta.columns) == views.META_COLUMNS
    assert len(meta) == 11 and meta["region"].notna().all() and not meta["named"].any()


def test_labels_name_nobody_by_default_and_are_deterministic(meta):
    names = views.labels(meta)
    assert sorted(names) == sorted(meta["assessment_id"])
    assert all(label.startswith("peer ") for label in names.values())
    assert len(set(names.values())) == len(names)
    assert views.labels(meta.sample(frac=1, random_state=3)) == names  # row order does not matter
    assert views.labels(meta) == names


def test_peer_letters_do_not_follow_alphabetical_order_of_ids(meta):
    names = views.labels(meta)
    in_id_order = [names[a] for a in sorted(names)]
    assert in_id_order != sorted(in_id_order, key=lambda s: (len(s), s))
    assert views.labels(meta, salt="a secret") != names


def test_a_viewer_sees_their_own_corridor_named_and_the_same_peer_letters_as_everyone(meta):
    everyone = views.labels(meta)
    mine = views.labels(meta, viewer="NOR-ALD")
    assert mine["NOR-ALD/GOV-1"] == "NOR-ALD/GOV-1 (you)" and mine["NOR-ALD/CSO-2"] == "NOR-ALD/CSO-2 (you)"
    others = [a for a in mine if not a.startswith("NOR-ALD")]
    assert all(mine[a] == everyone[a] for a in others)
    assert views.labels(meta, viewer="EST-BRE/GOV-1")["EST-BRE/GOV-1"] == "EST-BRE/GOV-1 (you)"
    with pytest.raises(R2kitError, match="Unknown viewer 'XYZ'"):
        views.labels(meta, viewer="XYZ")


def test_participants_who_opted_in_are_named(meta):
    opted = meta.assign(named=meta["assessment_id"].eq("KAL-COR/GOV-1"))
    names = views.labels(opted)
    assert names["KAL-COR/GOV-1"] == "KAL-COR/GOV-1"
    assert sum(not n.startswith("peer ") for n in names.values()) == 1


def test_peer_letters_go_on_after_z():
    assert [views.peer_letters(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_distribution_per_theme_across_the_group(answers):
    dist = views.score_distribution(answers)
    assert len(dist) == 19 and dist["assessments"].eq(11).all()
    assert (dist["min"] <= dist["q1"]).all() and (dist["q1"] <= dist["median"]).all()
    assert (dist["median"] <= dist["q3"]).all() and (dist["q3"] <= dist["max"]).all()
    themes = analysis.theme_scores(answers)
    gaps_theme_1 = int((themes.loc[themes["theme_id"] == 1, "score"] < analysis.GAP_BELOW).sum())
    assert dist.loc[dist["theme_id"] == 1, "gaps"].item() == gaps_theme_1
    pd.testing.assert_frame_equal(views.score_distribution(themes), dist)  # theme scores work as input too


def test_common_gaps_are_counted_and_sorted_most_common_first(answers):
    gaps = views.common_gaps(answers, top=5)
    assert len(gaps) == 5
    assert gaps["assessments_with_gap"].is_monotonic_decreasing
    assert gaps["assessments_with_gap"].max() <= 11 and (gaps["share"] <= 1).all()


def test_red_lines_across_the_group_are_counts_that_never_name_anyone(answers):
    red = views.red_lines_at_risk(answers)
    assert len(red) == 7
    assert not {"assessment_id", "corridor_id", "origin", "destination"} & set(red.columns)
    assert (red[["at_risk", "unknown", "holds", "not_applicable"]].sum(axis=1) == 11).all()
    per_item = analysis.red_lines(answers).groupby("item_id")["status"].apply(lambda s: (s == "at risk").sum())
    assert red.set_index("item_id")["at_risk"].to_dict() == per_item.to_dict()


def test_group_views_work_from_samples_without_a_store(answers, meta):
    group = views.group_views(answers, meta, viewer="NOR-ALD")
    assert set(group) == {"labels", "themes", "distribution", "common_gaps", "red_lines"}
    assert group["themes"]["label"].str.endswith("(you)").sum() == 2 * 19
    without_meta = views.group_views(answers)  # an answers table alone is enough
    assert len(without_meta["labels"]) == 11


def test_anonymise_replaces_ids_and_drops_corridor_columns(answers, meta):
    out = views.anonymise(analysis.overall(answers).assign(corridor_id="x"), meta)
    assert "corridor_id" not in out and out["participant"].str.startswith("peer ").all()


def test_peer_matches_find_strong_peers_on_the_learners_gaps(answers, meta):
    matches = matching.peer_matches(answers, meta, top=3)
    assert matches.groupby("learner")["rank"].max().le(3).all()
    themes = analysis.theme_scores(answers).set_index(["assessment_id", "theme_id"])["score"]
    for row in matches.itertuples():
        assert row.learner.split("/")[0] != row.peer.split("/")[0]  # never the same corridor
        assert row.n_themes == len(row.theme_ids) > 0
        for theme in row.theme_ids:
            assert themes[(row.learner, theme)] < analysis.GAP_BELOW
            assert themes[(row.peer, theme)] >= analysis.STRENGTH_FROM
            assert f"{theme}. " in row.themes
    first = matches[matches["rank"] == 1].set_index("learner")["strength"]
    assert (matches.groupby("learner")["strength"].max() == first).all()


def test_breakout_groups_have_the_chosen_size_and_are_deterministic(answers, meta):
    groups = matching.breakout_groups(answers, 3, meta)
    assert sorted(groups["assessment_id"]) == sorted(meta["assessment_id"])
    assert sorted(groups.groupby("group").size()) == [2, 3, 3, 3]
    pd.testing.assert_frame_equal(matching.breakout_groups(answers, 3, meta), groups)
    shuffled = answers.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(matching.breakout_groups(shuffled, 3, meta.iloc[::-1]), groups)
    assert not groups.groupby("group")["corridor_id"].apply(lambda c: c.duplicated().any()).any()


def test_group_sizes_are_even_and_never_larger_than_asked():
    assert matching.group_sizes(10, 4) == [4, 3, 3]
    assert matching.group_sizes(12, 4) == [4, 4, 4]
    assert matching.group_sizes(3, 4) == [3]
    with pytest.raises(R2kitError, match="at least 2"):
        matching.group_sizes(10, 1)


def _synthetic(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    docs = synthetic_documents(n, seed=3)
    rows = [
        {"assessment_id": f"{d['corridor']['id']}/{d['assessor']['code']}", "corridor_id": d["corridor"]["id"], **a}
        for d in docs
        for a in d["answers"]
    ]
    answers = pd.DataFrame(rows)
    meta = views.meta_from_answers(answers)
    meta["region"] = [d["corridor"]["region"] for d in docs]
    return answers, meta


def test_breakout_groups_mix_regions_and_beat_a_random_split_on_complementarity():
    answers, meta = _synthetic(96)
    groups = matching.breakout_groups(answers, 4, meta)
    quality = matching.group_quality(groups, answers)
    assert quality["members"].eq(4).all()
    assert quality["regions"].mean() >= 3.5  # four regions: groups of four nearly always mix them all
    rng = np.random.default_rng(0)
    shuffled = groups.assign(group=rng.permutation(groups["group"].to_numpy()))
    random_total = matching.group_quality(shuffled, answers)["complementarity"].sum()
    assert quality["complementarity"].sum() > random_total
    assert quality["complementarity"].min() > 0  # no group is left with nothing to learn


def test_members_know_what_they_can_learn_and_share_within_their_group(answers, meta):
    groups = matching.breakout_groups(answers, 4, meta)
    themes = analysis.theme_scores(answers).set_index(["assessment_id", "theme_id"])["score"]
    for row in groups.itertuples():
        mates = groups[(groups["group"] == row.group) & (groups["assessment_id"] != row.assessment_id)]
        for theme in row.can_learn:
            assert themes[(row.assessment_id, theme)] < analysis.GAP_BELOW
            assert any(themes[(m, theme)] >= analysis.STRENGTH_FROM for m in mates["assessment_id"])


def test_review_pairs_are_assessors_of_the_same_corridor(answers, meta):
    pairs = matching.review_pairs(answers, meta)
    assert pairs["corridor_id"].tolist() == ["MER-DUN", "NOR-ALD", "TAL-HAL"]
    assert (pairs["first"].str.split("/").str[0] == pairs["corridor_id"]).all()
    assert pairs["agreement"].between(0, 1).all() and (pairs["compared"] > 0).all()


# --- views that stay the same size for 10 or 200 participants ---------------------------------------------------


def test_score_bands_count_every_assessment_once_per_theme_at_any_size(answers):
    for frame in (answers, _synthetic(200)[0]):
        themes = analysis.theme_scores(frame)
        bands = views.score_bands(themes)
        n = themes["assessment_id"].nunique()
        assert len(bands) == 19 and bands["assessments"].eq(n).all()
        assert (bands[["gap", "middle", "strength", "not_scored"]].sum(axis=1) == n).all()
        gaps = themes[themes["score"] < analysis.GAP_BELOW].groupby("theme_id").size()
        assert bands.set_index("theme_id")["gap"].to_dict() == gaps.reindex(range(1, 20), fill_value=0).to_dict()
    pd.testing.assert_frame_equal(views.score_bands(answers), views.score_bands(analysis.theme_scores(answers)))


def test_a_theme_nobody_scored_is_counted_as_not_scored(answers):
    one = answers[answers["assessment_id"] == answers["assessment_id"].iloc[0]]
    unscored = one.assign(answer=np.where(one["item_id"].str.startswith("C01."), "dk", one["answer"]))
    bands = views.score_bands(unscored).set_index("theme_id")
    assert bands.loc[1, "not_scored"] == 1 and bands.loc[1, ["gap", "middle", "strength"]].sum() == 0


def test_score_table_has_one_row_per_participant_in_label_order(answers, meta):
    names = views.labels(meta)
    table = views.score_table(answers, names)
    assert len(table) == 11 and table["participant"].tolist() == [f"peer {c}" for c in "ABCDEFGHIJK"]
    assert [c for c in table.columns if isinstance(c, int)] == list(range(1, 20))
    themes = analysis.theme_scores(answers)
    first = next(a for a, label in names.items() if label == "peer A")
    expected = themes[themes["assessment_id"] == first].set_index("theme_id")["score"]
    assert table.iloc[0][list(range(1, 20))].tolist() == expected.round(0).tolist()
    assert table.iloc[0]["gaps"] == int((expected < analysis.GAP_BELOW).sum())  # counted before rounding


def test_labels_sort_named_participants_first_then_peers_in_letter_order():
    labels = ["peer AA", "peer B", "NOR-ALD/GOV-1", "peer Z", "peer A"]
    assert sorted(labels, key=views.label_key) == ["NOR-ALD/GOV-1", "peer A", "peer B", "peer Z", "peer AA"]
    frame = pd.DataFrame({"participant": ["peer B", "peer A", "peer B"], "n": [1, 2, 3]})
    assert views.in_label_order(frame)["n"].tolist() == [2, 1, 3]


def test_learning_table_has_one_row_per_participant_even_without_a_strong_peer(answers, meta):
    matches = matching.peer_matches(answers, meta)
    everyone = list(meta["assessment_id"]) + ["LONE/GOV-1"]
    table = matching.learning_table(matches, everyone)
    assert table["participant"].tolist() == everyone and len(table) == len(meta) + 1
    lone = table.set_index("participant").loc["LONE/GOV-1"]
    assert lone["peers"] == 0 and lone["can_learn_from"] == matching.NO_PEER
    for row in table[table["peers"] > 0].itertuples():
        mine = matches[matches["learner"] == row.participant].sort_values("rank")
        assert row.can_learn_from.split("\n") == [f"{m.peer}: {m.themes}" for m in mine.itertuples()]


def test_review_pairs_give_the_same_figures_as_a_peer_review_item_by_item():
    answers, meta = _synthetic(40)
    pairs = matching.review_pairs(answers, meta)
    assert len(pairs) == 20
    for row in pairs.itertuples():
        review = analysis.peer_review(answers, row.first, row.second)
        assert row.compared == review["compared"] and row.to_discuss == len(review["to_discuss"])
        assert row.agreement == pytest.approx(review["agreement"]) and row.kappa == pytest.approx(review["kappa"])
