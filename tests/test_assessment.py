"""Assessment files: build, save, load, and validation that lists every problem in plain words."""

from __future__ import annotations

import datetime
import json
import os
import stat

import pytest

import r2kit
from r2kit import assessment as draft_tools
from r2kit import validation
from r2kit.assessment import AssessmentError, validate_file
from r2kit.samples import sample_paths


def good_doc(**changes) -> dict:
    doc = json.loads(sample_paths()[0].read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def write(tmp_path, doc, name="a.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def test_round_trip_keeps_every_answer(tmp_path):
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1", fictional=True)
    a.set_answer("C06.1", "3", evidence="Law of 2019 bans detention of children", confidence="high")
    a.set_answer("C01.1", "dk")
    path = a.save(tmp_path / "sub" / "mine.json")
    back = r2kit.Assessment.load(path)
    assert back.answers == a.answers and back.corridor == a.corridor
    assert [x["item_id"] for x in json.loads(path.read_text())["answers"]] == ["C01.1", "C06.1"]  # bank order
    assert validate_file(path) == []


def test_every_problem_is_listed_in_one_go(tmp_path):
    doc = good_doc()
    doc["answers"][0]["answer"] = "maybe"
    doc["answers"][1]["item_id"] = "C6.1"
    doc["answers"].append(dict(doc["answers"][2]))
    del doc["assessor"]["role"]
    doc["assessed_on"] = "2026-02-30"
    problems = validate_file(write(tmp_path, doc))
    text = "\n".join(map(str, problems))
    assert "'maybe' is not allowed; expected one of 0, 1, 2, 3, dk, na" in text
    assert "item C6.1" in text and "did you mean C06.1" in text
    assert "answered twice" in text
    assert "missing required field 'role'" in text
    assert "not a real date" in text
    assert all(str(p).startswith(str(tmp_path / "a.json")) for p in problems)


def test_fields_outside_the_format_are_refused(tmp_path):
    doc = good_doc()
    doc["assessor"]["email"] = "someone@example.org"
    problems = validate_file(write(tmp_path, doc))
    assert any("'email' does not belong" in p.message for p in problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "(a JSON object) with the assessment, found a list"),
    ],
)
def test_broken_files_say_what_is_wrong(tmp_path, content, expected):
    problems = validate_file(write(tmp_path, content))
    assert len(problems) == 1 and expected in problems[0].message


def test_non_utf8_and_huge_and_newer_files(tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"context": "Sant\u00e9"}'.encode("latin-1"))
    assert "not UTF-8" in validate_file(latin)[0].message
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(good_doc(context="x" * 3_000_000)))
    assert "MB" in validate_file(huge)[0].message
    newer = validate_file(write(tmp_path, good_doc(format_version=2)))
    assert len(newer) == 1 and "newer than this r2kit reads" in newer[0].message


def test_personal_data_in_evidence_is_a_warning_not_an_error(tmp_path):
    doc = good_doc()
    doc["answers"][0]["evidence"] = "Ask Mr. Smith, smith@ministry.example or +41 22 123 45 67"
    problems = validate_file(write(tmp_path, doc))
    assert problems and all(p.severity == "warning" for p in problems)
    kinds = " ".join(p.message for p in problems)
    assert "email address" in kinds and "phone number" in kinds and "person's name" in kinds
    assert r2kit.Assessment.load(write(tmp_path, doc, "b.json")).warnings


def test_years_and_law_numbers_are_not_phone_numbers():
    from r2kit.privacy import personal_data_hints

    assert personal_data_hints("Law n. 47/17 of 2017, budget 2019-2023, 61% drop") == []


def test_load_raises_with_all_problems(tmp_path):
    doc = good_doc()
    doc["answers"][0]["answer"] = 7
    doc["corridor"]["id"] = "has spaces"
    with pytest.raises(AssessmentError) as info:
        r2kit.Assessment.load(write(tmp_path, doc))
    assert len(info.value.problems) == 2 and "2 problems" in str(info.value)


def test_set_answer_rejects_unknown_items_and_codes():
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1")
    with pytest.raises(r2kit.UnknownNameError, match="Unknown checklist item 'C99.1'"):
        a.set_answer("C99.1", "2")
    with pytest.raises(r2kit.UnknownNameError, match="Unknown answer '5'"):
        a.set_answer("C01.1", "5")


def test_with_assessor_keeps_answers_and_checks_the_code():
    a = r2kit.Assessment.load(sample_paths()[0])
    mine = a.with_assessor("TEAM-7", "civil_society", named=True)
    assert mine.answers == a.answers and mine.assessor == {
        "code": "TEAM-7",
        "role": "civil_society",
        "named_in_group_views": True,
    }
    with pytest.raises(AssessmentError, match="not in the expected form"):
        a.with_assessor("Jane Doe")


def test_each_missing_field_is_named_once(tmp_path):
    problems = validate_file(write(tmp_path, {"format": "r2kit-assessment", "format_version": 1}))
    messages = sorted(p.message for p in problems)
    assert messages == [f"missing required field '{f}'" for f in ("answers", "assessed_on", "assessor", "corridor")]


def test_a_team_that_starts_from_a_sample_dates_it_today():
    a = r2kit.Assessment.load(sample_paths()[0])
    today = datetime.date.today().isoformat()
    assert a.with_assessor("TEAM-7", assessed_on=today).assessed_on == today
    assert a.with_assessor("TEAM-7").assessed_on == a.assessed_on


def test_personal_data_says_where_and_what_in_words():
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1")
    assert a.personal_data() == ""
    a.set_answer("C06.1", "2", evidence="Maria Lopez, maria@example.org")
    a.set_answer("C01.1", "3", evidence="Ministry of Interior circular of 2019")
    assert a.personal_data() == "The evidence of C06.1 seems to contain an email address and a person's name"
    a.set_answer("C12.2", "1", evidence="Mr Jones")
    a.context = "call +41 22 123 45 67"
    assert a.personal_data() == (
        "The evidence of C06.1 and C12.2 and the context seem to contain an email address, a person's name "
        "and a phone number"
    )


# --- team codes in plain words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("Maria Lopez", "looks like a name"),
        ("Maria", "looks like a name"),
        ("maria@example.org", "email address"),
        ("TEAM 7", "leave out the spaces"),
        ("x", "at least 2 characters"),
        ("", "Write your team code"),
        ("\u00c9quipe-1", "only letters, digits"),
    ],
)
def test_a_wrong_team_code_is_explained_in_plain_words(code, why):
    message = validation.team_code_problem(code)
    assert why in message and "such as MY-TEAM" in message and "not a person's name" in message
    assert "expected form" not in message and "assessor.code" not in message


def test_good_codes_pass():
    assert validation.team_code_problem(" TEAM-7 ") is None and validation.team_code_problem("T07") is None
    assert validation.corridor_code_problem("ABC-XYZ") is None and validation.corridor_code_problem("") is None
    assert "no spaces" in validation.corridor_code_problem("ABC XYZ")


# --- drafts ------------------------------------------------------------------------------------------------------


def test_a_draft_is_kept_privately_beside_not_among_the_files_to_hand_in(tmp_path):
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1")
    a.set_answer("C01.1", "2")
    path = draft_tools.save_draft(a, tmp_path / "outputs")
    assert path.parent == tmp_path / "outputs" / ".drafts" and not list((tmp_path / "outputs").glob("*.json"))
    assert path.name.startswith("ABC-DEF_TEAM-1_")
    if os.name == "posix":
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and stat.S_IMODE(path.stat().st_mode) == 0o600
    (found,) = draft_tools.drafts(tmp_path / "outputs")
    assert found.assessment.answers == a.answers
    assert found.label.startswith("Continue your draft: Norvania \u2192 Aldoria, 1 answer, last changed ")


def test_drafts_come_newest_first_and_broken_ones_are_left_out(tmp_path):
    old = r2kit.Assessment.new("OLD-ONE", "Aldoria", "Norvania", "TEAM-1")
    new = r2kit.Assessment.new("NEW-ONE", "Aldoria", "Norvania", "TEAM-1")
    first = draft_tools.save_draft(old, tmp_path)
    os.utime(first, (1_000_000_000, 1_000_000_000))
    draft_tools.save_draft(new, tmp_path)
    (tmp_path / ".drafts" / "broken.json").write_text("{not json", encoding="utf-8")
    assert [d.assessment.corridor["id"] for d in draft_tools.drafts(tmp_path)] == ["NEW-ONE", "OLD-ONE"]
    assert draft_tools.drafts(tmp_path / "nothing-here") == []


def test_a_new_draft_never_overwrites_an_earlier_one_and_the_same_draft_is_updated_in_place(tmp_path):
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", "TEAM-1")
    first = draft_tools.save_draft(a, tmp_path)
    a.set_answer("C01.1", "2")
    assert draft_tools.save_draft(a, tmp_path, first) == first
    second = draft_tools.save_draft(a, tmp_path)
    assert second != first and {d.path for d in draft_tools.drafts(tmp_path)} == {first, second}
    for _ in range(draft_tools.KEEP_DRAFTS + 3):
        draft_tools.save_draft(a, tmp_path)
    assert len(draft_tools.drafts(tmp_path)) == draft_tools.KEEP_DRAFTS
