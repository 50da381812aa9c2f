"""The knowledge base validates, its keys hold, its counts and facts match the source documents."""

from __future__ import annotations

import copy
import csv
import json
import re

import pytest
from conftest import DATASETS, words

import r2kit

LENSES = {"human-rights", "gender-responsive", "child-sensitive", "covid-19"}
FICTIONAL = ("corridors", "corridor_returns", "sample_answers")


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATASETS / "datapackage.json"))
    errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors] + [
        err.message for err in report.errors
    ]
    assert report.valid, "\n".join(errors[:30])


def test_every_resource_has_description_sources_licence_and_hash():
    for res in r2kit.data.package()["resources"]:
        for key in ("description", "licenses", "path", "format", "bytes", "hash", "schema"):
            assert res.get(key), f"{res['name']} lacks {key}"
        assert res["sources"] or res["name"] == "sources"
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']} lacks a description"


def test_counts_match_the_sources():
    themes = r2kit.load("themes")
    assert themes["theme_id"].tolist() == list(range(1, 20))
    assert themes.groupby("phase").size().to_dict() == {"pre-return": 7, "return": 4, "post-return": 8}
    assert themes.loc[themes["theme_id"].between(1, 7), "phase"].eq("pre-return").all()
    assert themes.loc[themes["theme_id"].between(8, 11), "phase"].eq("return").all()
    principles = r2kit.load("principles")
    sizes = principles.groupby("principle_set").size().to_dict()
    assert sizes["common_position"] == 15 and sizes["cross_cutting"] == 3 and sizes["gcm_guiding"] == 10
    assert sizes["covid19_guidance"] == 7
    assert r2kit.load("gcm_actions")["action_id"].tolist() == list("abcdefghi")
    assert set(r2kit.load("sdg_targets")["target_id"]) == {"1.3", "1.4", "10.7", "16.9", "16.b", "17.18"}
    assert set(r2kit.load("definitions")["term_id"]) == {"return", "sustainable_reintegration", "readmission"}


def test_theme_titles_follow_the_mapping_contents(source_texts):
    contents = source_texts["mapping_2021"].split("/ CONTENTS")[1].split("I Definitions")[0]
    for row in r2kit.load("themes").itertuples():
        line = re.search(rf"^{row.theme_id}\. (.+?)\t(\d+)$", contents, re.M)
        assert line, f"theme {row.theme_id} not in the contents"
        assert words(line.group(1)) == words(row.title), row.theme_id
        assert int(line.group(2)) == row.page


def test_primary_keys_are_unique():
    for name in r2kit.datasets():
        key = r2kit.data.resource(name)["schema"]["primaryKey"]
        frame = r2kit.load(name)
        assert not frame.duplicated(key).any(), f"duplicate ids in {name}"


def test_list_valued_references_resolve():
    themes = set(r2kit.load("themes")["theme_id"])
    principles = set(r2kit.load("principles")["principle_id"])
    actions = set(r2kit.load("gcm_actions")["action_id"])
    for ids in r2kit.load("practices")["theme_ids"]:
        assert ids and set(ids) <= themes
    checklist = r2kit.load("checklist")
    for row in checklist.itertuples():
        assert set(row.principle_ids) <= principles, row.item_id
        assert set(row.action_ids) <= actions, row.item_id
    for name in ("principles", "themes", "practices", "checklist"):
        for lenses in r2kit.load(name)["lenses"]:
            assert set(lenses) <= LENSES, (name, lenses)


def test_every_record_cites_a_source():
    for name in r2kit.datasets():
        frame = r2kit.load(name)
        if "source_doc" in frame:
            assert frame["source_doc"].notna().all() and frame["source_section"].notna().all(), name
            assert frame["source_section"].str.len().gt(5).all(), name


def test_crosswalk_covers_every_theme_principle_and_action():
    cw = r2kit.load("crosswalk")
    principles = cw[cw["link_type"] == "principle"]
    actions = cw[cw["link_type"] == "gcm_action"]
    assert set(principles[principles["principle_id"].str.startswith("CP")]["theme_id"]) == set(range(1, 20))
    assert set(actions["theme_id"]) == set(range(1, 20))
    assert {f"CP{i:02d}" for i in range(1, 16)} <= set(principles["principle_id"])
    assert set("abcdefghi") <= set(actions["action_id"])
    typed = {"principle": "principle_id", "gcm_action": "action_id", "sdg_target": "sdg_target"}
    assert set(cw["link_type"]) == set(typed)
    for link_type, column in typed.items():
        links = cw[cw["link_type"] == link_type]
        others = [c for c in typed.values() if c != column]
        assert links[column].notna().all(), f"a {link_type} link must name its {column}"
        assert links[others].isna().all().all(), f"a {link_type} link leaves {others} blank"


def test_practices_have_the_countries_and_figures_of_the_sources():
    practices = r2kit.load("practices")
    iso3 = set(practices["iso3"].dropna())
    assert {
        "ITA",
        "CHE",
        "NZL",
        "ESP",
        "ARG",
        "MAR",
        "DEU",
        "NLD",
        "MEX",
        "CAN",
        "PHL",
        "GBR",
        "GTM",
        "ALB",
        "CMR",
        "ETH",
        "FRA",
        "TUN",
        "HND",
    } <= iso3
    by_iso = practices.groupby("iso3")
    assert by_iso.get_group("CAN")["figures"].str.contains("61%").any()
    assert by_iso.get_group("PHL")["figures"].str.contains("2,681").any()
    assert by_iso.get_group("HND")["figures"].str.contains("2,000").any()
    assert practices[practices["country"].str.contains("Bali")]["figures"].str.contains("49").any()
    nld = by_iso.get_group("NLD")
    assert nld["status"].eq("discontinued").all() and nld["years"].map(lambda y: 2013 in y).all()
    assert by_iso.get_group("MAR")["years"].map(lambda y: {2014, 2017} <= set(y)).all()
    assert by_iso.get_group("CAN")["years"].map(lambda y: 2018 in y).all()
    # A heading that names several countries gives several rows.
    assert practices.groupby("practice_group")["practice_id"].count().max() >= 3


def test_every_number_in_the_data_is_in_its_source(source_texts):
    """Numbers in practice figures, years and summaries must appear in the cited document."""
    number = re.compile(r"\d[\d,.]*\d|\d")
    for row in r2kit.load("practices").itertuples():
        text = source_texts[row.source_doc]
        texts = [t for t in (row.figures, row.summary) if isinstance(t, str)]
        for num in number.findall(" ".join(texts)):
            assert num.rstrip(".,") in text, f"{row.practice_id}: {num} not in {row.source_doc}"
        for year in row.years:  # "2015/16" in a source stands for 2015 and 2016
            assert str(year) in text or f"{year - 1}/{str(year)[2:]}" in text, f"{row.practice_id}: {year}"


TEXT_FIELDS = {
    "definitions": ["summary"],
    "principles": ["summary"],
    "themes": ["challenge", "response", "commitments"],
    "practices": ["summary"],
    "gcm_actions": ["summary"],
    "sdg_targets": ["summary"],
    "crosswalk": ["basis"],
    "checklist": ["question", "in_place_means", "evidence_examples", "red_line_basis"],
}


def test_summaries_are_in_r2kits_own_words(source_texts):
    """No text field shares a run of 8 consecutive words with any source document."""
    size = 8
    shingles = set()
    for text in source_texts.values():
        w = words(text)
        shingles.update(tuple(w[i : i + size]) for i in range(len(w) - size + 1))
    copied = []
    for name, fields in TEXT_FIELDS.items():
        frame = r2kit.load(name)
        for field in fields:
            for value in frame[field].dropna():
                w = words(value)
                hits = [
                    " ".join(w[i : i + size]) for i in range(len(w) - size + 1) if tuple(w[i : i + size]) in shingles
                ]
                if hits:
                    copied.append(f"{name}.{field}: '{hits[0]}'")
    assert not copied, "\n".join(copied[:20])


def test_no_individual_is_named():
    people = ["graviano", "lewis", "knaus", "alpes", "schuster", "majidi", "@"]
    for name in r2kit.datasets():
        text = (DATASETS / r2kit.data.resource(name)["path"]).read_text(encoding="utf-8").lower()
        for person in people:
            assert person not in text, f"{name} names {person!r}"


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def test_adoption_years_in_practices_are_those_of_the_source(source_texts):
    """A practice says something was adopted in a year only where its source says so (P17 once did not)."""
    year = re.compile(r"\b(?:19|20)\d\d\b")
    for row in r2kit.load("practices").itertuples():
        backed = [s for s in _sentences(source_texts[row.source_doc]) if "adopt" in s.lower()]
        for sentence in _sentences(row.summary):
            if "adopt" in sentence.lower():
                for y in year.findall(sentence):
                    assert any(y in s for s in backed), f"{row.practice_id}: adopted in {y}? not in {row.source_doc}"


def test_p17_reports_the_pact_as_the_mapping_does(source_texts):
    """The Mapping (IV.B.10) says the 2020 Pact 'includes' the requirement; it says nothing of adoption."""
    pact = [s for s in _sentences(source_texts["mapping_2021"]) if "Pact on Migration and Asylum" in s]
    assert pact and all("adopt" not in s.lower() for s in pact) and "includes a requirement" in pact[0]
    p17 = r2kit.load("practices").set_index("practice_id").loc["P17"]
    assert "adopt" not in p17["summary"].lower() and "adopt" not in p17["title"].lower()
    assert "2020" in p17["summary"] and "Pact on Migration and Asylum" in p17["summary"]


def test_action_titles_quote_the_brief_and_g_keeps_its_condition(source_texts):
    """Each title is the start of its action in the Objective 21 brief; g must not stop before its condition."""
    brief = {m[1]: words(m[2]) for m in re.finditer(r"^- ([a-i])[.)] (.+)$", source_texts["gcm_obj21_brief"], re.M)}
    assert sorted(brief) == list("abcdefghi")
    actions = r2kit.load("gcm_actions").set_index("action_id")
    for action_id, title in actions["title"].items():
        assert brief[action_id][: len(words(title))] == words(title), action_id
    assert words(actions.loc["g", "title"])[-11:] == words(
        "only after a determination of the best interests of the child"
    )


def test_c01_3_says_push_backs_may_violate_the_prohibition_as_the_mapping_does(source_texts):
    """Mapping IV.A.1: push-backs 'may violate' the prohibition of collective expulsion."""
    assert "may violate this prohibition" in source_texts["mapping_2021"]
    basis = r2kit.load("checklist").set_index("item_id").loc["C01.3", "red_line_basis"]
    assert "may violate" in basis and "not permitted" not in basis and "without exception" not in basis


def test_l013_does_not_overstate_theme_3(source_texts):
    """Theme 3 says reintegration is 'less likely to be sustainable'; only principle 7 says 'incompatible'."""
    mapping = source_texts["mapping_2021"]
    theme3 = mapping.split("3. Access to economic, social and cultural rights and related services\n\nThe Challenge")[1]
    theme3 = theme3.split("4. Promotion of regular pathways")[0]
    assert "incompatible" not in theme3 and "less likely to be sustainable" in theme3
    assert "incompatible with safe and dignified return" in source_texts["common_position"]
    basis = r2kit.load("crosswalk").set_index("link_id").loc["L013", "basis"]
    assert not basis.startswith("Both") and "less likely" in basis and "upon return" in basis


def test_every_row_of_every_fictional_dataset_says_so():
    """Each FICTIONAL dataset has a boolean `fictional` column, true on every row and constrained to be."""
    names = [r["name"] for r in r2kit.data.package()["resources"] if "FICTIONAL" in r["title"]]
    assert set(FICTIONAL) <= set(names)
    for name in names:
        frame = r2kit.load(name)
        assert "fictional" in frame, f"{name} has no fictional column"
        assert frame["fictional"].notna().all() and frame["fictional"].all(), name
        field = next(f for f in r2kit.data.resource(name)["schema"]["fields"] if f["name"] == "fictional")
        assert field["type"] == "boolean" and field["constraints"] == {"required": True, "enum": [True]}, name


@pytest.mark.parametrize("name", FICTIONAL)
def test_frictionless_rejects_a_row_not_labelled_fictional(tmp_path, name):
    frictionless = pytest.importorskip("frictionless")
    res = copy.deepcopy(r2kit.data.resource(name))
    with (DATASETS / res["path"]).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("fictional")
    rows[1][column], rows[2][column] = "false", ""
    with (tmp_path / res["path"]).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:4])
    for key in ("bytes", "hash"):
        res.pop(key)
    res["schema"]["foreignKeys"] = []  # the other resources are not copied
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "one", "resources": [res]}), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    errors = [(err.type, err.row_number, err.field_name) for task in report.tasks for err in task.errors]
    assert sorted(errors) == [("constraint-error", 2, "fictional"), ("constraint-error", 3, "fictional")]
