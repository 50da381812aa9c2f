"""Shared fixtures: paths to the repository, its datasets and the source documents."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
# The source documents sit beside the repository (../shared/sources) in development and CI.
SOURCES = Path(os.environ.get("R2KIT_SOURCES", ROOT.parent / "shared" / "sources"))
SOURCE_FILES = {
    "wg_brief_2020": "000_fee87af804c26e6f.txt",
    "common_position": "001_3a1df2c089e31e4f.txt",
    "workplan_2020": "002_5f6949512a95684d.txt",
    "mapping_2021": "003_7ad00fe8f7f71adc.txt",
    "gcm_obj21_brief": "004_bd1e784d5cb08123.txt",
}


def words(text: str) -> list[str]:
    """Lower-case words with punctuation dropped, for comparing texts."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


@pytest.fixture(scope="session")
def source_texts() -> dict[str, str]:
    if not SOURCES.is_dir():
        if os.environ.get("R2KIT_REQUIRE_SOURCES") == "1":
            pytest.fail(f"source documents not found at {SOURCES}: the fidelity tests need them (R2KIT_SOURCES)")
        pytest.skip(f"source documents not found at {SOURCES} (set R2KIT_SOURCES)")
    return {doc: (SOURCES / name).read_text(encoding="utf-8") for doc, name in SOURCE_FILES.items()}


@pytest.fixture()
def r2kit_home(tmp_path, monkeypatch) -> Path:
    """An empty R2KIT_HOME for tests that write sessions or outputs."""
    home = tmp_path / "r2kit-home"
    monkeypatch.setenv("R2KIT_HOME", str(home))
    return home
