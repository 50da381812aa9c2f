"""Browsing the knowledge base with filters: what the CLI's `show`, the practice finder and the notebooks rely on."""

from __future__ import annotations

import pytest

import r2kit
from r2kit.errors import R2kitError
from r2kit.explore import filter_records, find_practices


def test_a_phase_keeps_only_records_of_that_phase_whatever_the_dataset():
    themes = r2kit.load("themes")
    returning = set(themes.loc[themes["phase"] == "return", "theme_id"])
    assert set(filter_records("themes", themes, phase="return")["theme_id"]) == returning == {8, 9, 10, 11}
    items = filter_records("checklist", r2kit.load("checklist"), phase="return")
    assert len(items) > 0 and set(items["theme_id"]) <= returning
    practices = find_practices(phase="return")
    assert len(practices) > 0
    assert all(set(ids) & returning for ids in practices["theme_ids"])


def test_an_unknown_phase_lists_the_three_phases():
    with pytest.raises(R2kitError, match="pre-return.*return.*post-return"):
        find_practices(phase="after")


def test_a_filter_that_a_dataset_cannot_take_says_which_column_is_missing():
    sources = r2kit.load("sources")
    for kwargs, word in [({"phase": "return"}, "phase"), ({"region": "Africa"}, "region"),
                         ({"country": "Italy"}, "country"), ({"lens": "child-sensitive"}, "lens")]:
        with pytest.raises(R2kitError, match=f"A {word} filter does not apply to sources"):
            filter_records("sources", sources, **kwargs)


def test_a_theme_filter_works_on_single_and_multiple_theme_columns():
    assert set(filter_records("checklist", r2kit.load("checklist"), theme=6)["theme_id"]) == {6}
    assert set(filter_records("crosswalk", r2kit.load("crosswalk"), theme=6)["theme_id"]) == {6}
    assert all(6 in ids for ids in find_practices(theme=6)["theme_ids"])
    with pytest.raises(R2kitError, match="theme"):
        find_practices(theme=99)


def test_region_and_country_filters_match_what_participants_type():
    africa = find_practices(region="Africa")
    assert len(africa) > 0 and set(africa["region"]) == {"Africa"}
    with pytest.raises(R2kitError, match="Europe"):
        find_practices(region="Atlantis")
    italy = find_practices(country="italy")  # any case
    assert len(italy) > 0 and set(italy["country"]) == {"Italy"}
    assert find_practices(country="ITA").equals(italy)  # or the ISO code
    with pytest.raises(R2kitError, match="Italy"):
        find_practices(country="Freedonia")


def test_a_lens_keeps_only_practices_tagged_with_it():
    every = r2kit.load("practices")
    child = filter_records("practices", every, lens="child-sensitive")
    assert 0 < len(child) < len(every)
    assert all("child-sensitive" in lenses for lenses in child["lenses"])
