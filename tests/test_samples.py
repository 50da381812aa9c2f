"""The fictional sample corridors: reproducible from the seeded generator and labelled as fictional."""

from __future__ import annotations

import filecmp

import pandas as pd

import r2kit
from r2kit import samples
from r2kit.assessment import validate_file


def test_shipped_samples_are_exactly_the_generator_output(tmp_path):
    written = samples.write_samples(tmp_path)
    shipped = r2kit.data.data_dir()
    for path in written:
        rel = path.relative_to(tmp_path)
        assert filecmp.cmp(path, shipped / rel, shallow=False), f"{rel} differs: rerun r2kit.samples.write_samples"
    assert len(list((shipped / "sample_assessments").glob("*.json"))) == len(
        list((tmp_path / "sample_assessments").glob("*.json"))
    )


def test_samples_are_varied_complete_and_fictional():
    corridors = r2kit.load("corridors")
    assert len(corridors) >= 8 and corridors["fictional"].all()
    assert corridors["note"].str.contains("FICTIONAL").all()
    assert corridors["archetype"].nunique() == len(corridors)
    assert corridors["covid_disruption"].nunique() == 3
    for path in samples.sample_paths():
        assert [p for p in validate_file(path) if p.severity == "error"] == []
        a = r2kit.Assessment.load(path)
        assert (
            a.corridor["fictional"] and "FICTIONAL" in a.context and len(a.answers) == len(r2kit.checklist.item_ids())
        )
    per_corridor = r2kit.load("sample_answers").groupby("corridor_id")["assessor_code"].nunique()
    assert (per_corridor >= 2).sum() >= 3


def test_returns_are_disaggregated_and_dip_with_covid():
    returns = r2kit.load("corridor_returns")
    assert set(returns["return_type"]) == {"forced", "assisted voluntary", "spontaneous"}
    assert set(returns["sex"]) == {"female", "male"} and set(returns["age_group"]) == {"0-17", "18+"}
    yearly = returns.groupby(["corridor_id", "year"])["returns"].sum().unstack()
    high = r2kit.load("corridors").query("covid_disruption == 'high'")["corridor_id"]
    assert (yearly.loc[high, 2020] < yearly.loc[high, 2019]).all()


def test_more_corridors_can_be_made_with_another_seed():
    more = samples.corridors(n=20, seed=7)
    assert len(more) == 20 and more["corridor_id"].is_unique
    again = samples.corridors(n=20, seed=7)
    assert more.equals(again)


def test_the_generator_labels_every_row_fictional(tmp_path):
    """Regeneration keeps the `fictional` column: true on every row, in the columns the schema declares."""
    assert samples.returns(samples.corridors(n=3, seed=7), seed=7)["fictional"].eq(True).all()
    written = {p.name: p for p in samples.write_samples(tmp_path, seed=7) if p.suffix == ".csv"}
    for name in ("corridors", "corridor_returns", "sample_answers"):
        res = r2kit.data.resource(name)
        frame = pd.read_csv(written[res["path"]], dtype=str, keep_default_na=False)
        assert list(frame.columns) == [f["name"] for f in res["schema"]["fields"]], name
        assert frame["fictional"].eq("true").all(), name
