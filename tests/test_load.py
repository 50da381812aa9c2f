"""Loading the knowledge base: typed columns, list fields, clear errors, cheap import, wheel install."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from conftest import ROOT

import r2kit


def test_datasets_lists_every_resource():
    names = r2kit.datasets()
    for name in ("principles", "themes", "practices", "gcm_actions", "sdg_targets", "crosswalk", "checklist"):
        assert name in names
    assert {"glossary", "translations"} <= set(names)  # the French and Spanish knowledge base


def test_load_gives_typed_columns_and_python_lists():
    themes = r2kit.load("themes")
    assert str(themes["theme_id"].dtype) == "Int64"
    practices = r2kit.load("practices")
    assert all(isinstance(v, list) for v in practices["theme_ids"])
    assert all(isinstance(t, int) for ids in practices["theme_ids"] for t in ids)
    assert all(isinstance(y, int) for ys in practices["years"] for y in ys)
    assert str(r2kit.load("checklist")["red_line"].dtype) == "boolean"
    global_practices = practices[practices["region"] == "Global"]
    assert len(global_practices) >= 1 and global_practices["iso3"].isna().all()  # no country: no ISO code


def test_a_blank_cell_loads_as_missing_and_nothing_else_does():
    for name in r2kit.datasets():
        res = r2kit.data.resource(name)
        raw = pd.read_csv(ROOT / "datasets" / res["path"], dtype=str, keep_default_na=False, encoding="utf-8")
        frame = r2kit.load(name)
        for field in res["schema"]["fields"]:
            blank = raw[field["name"]].eq("")
            if field["type"] == "list":
                assert frame[field["name"]].map(len).eq(0).tolist() == blank.tolist(), f"{name}.{field['name']}"
            else:
                assert frame[field["name"]].isna().tolist() == blank.tolist(), f"{name}.{field['name']}"


def test_load_returns_a_fresh_copy():
    first = r2kit.load("practices")
    first.loc[0, "country"] = "changed"
    first.loc[1, "theme_ids"].append(99)
    second = r2kit.load("practices")
    assert second.loc[0, "country"] != "changed" and 99 not in second.loc[1, "theme_ids"]


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(r2kit.UnknownNameError, match="Unknown dataset 'practises'.*practices"):
        r2kit.load("practises")


def test_datapackage_sizes_and_hashes_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "ci" / "refresh_datapackage.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_docs_data_dictionary_is_generated_from_the_descriptor():
    from r2kit.docs import dictionary_markdown

    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == dictionary_markdown(), (
        "regenerate with: r2kit dictionary --format markdown > docs/data-dictionary.md"
    )


def test_data_dictionary_spells_boolean_constraints_as_the_csv_does():
    row = r2kit.data_dictionary("corridor_returns").set_index("field").loc["fictional"]
    assert row["type"] == "boolean" and row["required"] and row["notes"] == "enum: true"
    assert "invented" in row["description"]
    assert r2kit.load("corridor_returns")["fictional"].dtype == "boolean"


def test_import_is_cheap():
    code = (
        "import sys, r2kit; r2kit.load('themes'); "
        "print(','.join(m for m in ('altair', 'ipywidgets', 'papermill', 'vl_convert') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"import r2kit loaded {out}"


@pytest.mark.slow
def test_installed_wheel_carries_the_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)], check=True
    )
    wheel = next(tmp_path.glob("r2kit-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "r2kit" / "_data" / "datapackage.json").is_file()
    code = (
        "import r2kit, pathlib; from r2kit import samples; from r2kit.assessment import validate_file\n"
        "print(r2kit.__file__); print(len(r2kit.load('practices')), len(r2kit.load('themes')))\n"
        "print(validate_file(samples.sample_paths()[0]))\n"
        "print(sorted(p.name for p in (pathlib.Path(r2kit.__file__).parent / 'templates').glob('*.ipynb')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(site)), "the test must import the wheel's copy, not the checkout"
    assert int(out[1].split()[1]) == 19
    assert out[2] == "[]", "a sample must validate against the schema shipped in the wheel"
    assert "session_report.ipynb" in out[3] and "corridor_report.ipynb" in out[3]
