"""The r2kit command: browsing the knowledge base, with plain messages for unknown names."""

from __future__ import annotations

from click.testing import CliRunner

from r2kit.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_datasets_lists_names_and_sizes():
    result = run("datasets")
    assert result.exit_code == 0
    assert "practices" in result.output and "themes" in result.output and "19 rows" in result.output


def test_show_practices_by_theme_lists_only_that_theme():
    result = run("show", "practices", "--theme", "6")
    assert result.exit_code == 0, result.output
    assert "Canada" in result.output
    assert "Philippines" not in result.output


def test_show_one_theme_in_full():
    result = run("show", "themes", "6")
    assert result.exit_code == 0
    assert "Avoiding immigration detention" in result.output and "challenge" in result.output


def test_show_practices_by_country_as_csv():
    result = run("show", "practices", "--country", "phl", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.startswith("practice_id,") and "2,681" in result.output


def test_unknown_names_get_a_plain_message_not_a_traceback():
    for args, expected in [
        (("show", "practises"), "Unknown dataset 'practises'"),
        (("show", "practices", "--theme", "25"), "Unknown theme 25"),
        (("show", "themes", "42"), "Unknown themes id '42'"),
        (("show", "practices", "--country", "Atlantis"), "Unknown country 'Atlantis'"),
    ]:
        result = run(*args)
        assert result.exit_code == 2, args
        assert expected in result.output and "Traceback" not in result.output


def test_dictionary_describes_fields():
    result = run("dictionary", "practices", "--format", "csv")
    assert result.exit_code == 0
    assert "iso3" in result.output and "ISO 3166-1 alpha-3" in result.output


def test_validate_reports_every_problem_and_exits_1(tmp_path):
    import json

    from r2kit.samples import sample_paths

    doc = json.loads(sample_paths()[0].read_text())
    doc["answers"][0]["answer"] = "maybe"
    doc["answers"][1]["item_id"] = "C99.9"
    bad = tmp_path / "team7.json"
    bad.write_text(json.dumps(doc))
    broken = tmp_path / "broken.json"
    broken.write_text("{oops")
    result = run("validate", str(sample_paths()[0]), str(bad), str(broken))
    assert result.exit_code == 1
    assert f"OK      {sample_paths()[0]}" in result.output
    assert "INVALID" in result.output and "'maybe' is not allowed" in result.output
    assert "item C99.9" in result.output and "is not valid JSON" in result.output
    assert "1 valid, 2 invalid" in result.output and "Traceback" not in result.output


def test_score_prints_the_gap_profile_and_exports():
    from r2kit.samples import sample_paths

    path = str(sample_paths()[0])
    table = run("score", path)
    assert table.exit_code == 0
    for text in ("Gap profile", "not a grade", "By phase", "Red lines (never averaged away)", "Priority gaps"):
        assert text in table.output
    as_csv = run("score", path, "--format", "csv")
    assert as_csv.output.startswith("theme_id,phase,theme_title") and len(as_csv.output.splitlines()) == 20
    assert run("score", path, "--format", "json").output.lstrip().startswith("[")
    missing = run("score", "nope.json")
    assert missing.exit_code == 2 and "nope.json" in missing.output


def test_score_of_a_barely_started_assessment_gives_no_overall_score(tmp_path):
    from r2kit.assessment import Assessment

    started = Assessment.new("NEW-ONE", "Origin", "Destination", "MY-TEAM")
    started.set_answer("C01.1", "3")
    path = started.save(tmp_path / "NEW-ONE_MY-TEAM.json")
    result = run("score", str(path))
    assert result.exit_code == 0, result.output
    assert "Overall score" not in result.output and "Too few answers for an overall score" in result.output
    assert "18 of 19 themes have no answer" in result.output
    assert "[not yet answered]" in result.output and "nan" not in result.output


def test_a_filter_that_does_not_fit_the_dataset_says_so():
    result = run("show", "sources", "--theme", "3")
    assert result.exit_code == 2 and "A theme filter does not apply to sources" in result.output
