"""Sample corridors: FICTIONAL countries, assessments and return figures, made by a seeded generator.

Nothing here describes a real State. The shipped files in datasets/ (corridors.csv, corridor_returns.csv,
sample_assessments/*.json) are exactly `write_samples(datasets_dir)` with the default seed; a test checks it.
An academic can make more: `corridors(n=40, seed=7)`, then `assessment(...)` and `returns(...)` for each.

Each corridor follows an archetype (where it is strong or weak across the three phases, which lenses and
themes stand out, whether red lines are at risk); the seed adds the noise of real answers.
"""

from __future__ import annotations

import copy
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import checklist
from .assessment import Assessment, AssessmentError
from .errors import R2kitError

SEED = 2021
ASSESSED_ON = "2026-10-15"
FICTIONAL_NOTE = "FICTIONAL sample corridor made by r2kit's generator for teaching; no real State is described."

# Invented country names (checked against UN member and observer State names: none is real).
DESTINATIONS = ["Norvania", "Estrelia", "Kaldoria", "Merovan Republic", "Sundoria", "Velmaris", "Oskarra", "Talvenia"]
ORIGINS = ["Aldoria", "Brevania", "Corvessa", "Dunmarra", "Elvadia", "Feranthi", "Galvora", "Halvenne"]
REGIONS = [
    "North Coast (fictional)",
    "Eastern Highlands (fictional)",
    "Southern Plains (fictional)",
    "Island States (fictional)",
]

# Archetypes: phase levels (0-1) for pre-return, return, post-return; theme and lens adjustments; red lines at risk.
ARCHETYPES = [
    {"name": "strong safeguards, weak reintegration", "phases": (0.8, 0.7, 0.3), "themes": {15: -0.1, 16: -0.15}},
    {"name": "strong reintegration, weak safeguards", "phases": (0.3, 0.4, 0.8), "themes": {2: -0.1}, "red": ["C01.3"]},
    {"name": "balanced, middle of the road", "phases": (0.55, 0.5, 0.55), "themes": {}},
    {
        "name": "low capacity, hit hard by COVID-19",
        "phases": (0.25, 0.3, 0.25),
        "lenses": {"covid-19": -0.2},
        "red": ["C06.1"],
    },
    {"name": "independent return monitoring in place", "phases": (0.5, 0.85, 0.45), "themes": {11: 0.15, 19: 0.3}},
    {"name": "child-focused systems", "phases": (0.5, 0.45, 0.55), "lenses": {"child-sensitive": 0.35}},
    {"name": "labour migration corridor", "phases": (0.45, 0.5, 0.5), "themes": {7: 0.3, 16: 0.4, 17: 0.45, 18: 0.4}},
    {
        "name": "transit corridor with push-backs",
        "phases": (0.2, 0.35, 0.4),
        "themes": {5: 0.2},
        "red": ["C01.1", "C01.3", "C08.1"],
    },
]
RETURN_TYPES = ["forced", "assisted voluntary", "spontaneous"]


def _name(rng: np.random.Generator, taken: set[str]) -> str:
    starts = [
        "Al",
        "Bre",
        "Cor",
        "Dun",
        "El",
        "Fer",
        "Gal",
        "Hal",
        "Ist",
        "Kor",
        "Lum",
        "Mer",
        "Nor",
        "Os",
        "Tal",
        "Vel",
    ]
    ends = ["doria", "vania", "vessa", "marra", "vadia", "anthi", "vora", "venne", "trelia", "maris"]
    while True:
        name = str(rng.choice(starts)) + str(rng.choice(ends))
        if name not in taken:
            taken.add(name)
            return name


def corridors(n: int = 8, seed: int = SEED) -> pd.DataFrame:
    """`n` fictional corridors with their context; the first eight use the curated names and archetypes in order."""
    rng = np.random.default_rng(seed)
    taken = set(DESTINATIONS) | set(ORIGINS)
    rows = []
    for i in range(n):
        arch = ARCHETYPES[i % len(ARCHETYPES)]
        dest = DESTINATIONS[i] if i < len(DESTINATIONS) else _name(rng, taken)
        orig = ORIGINS[i] if i < len(ORIGINS) else _name(rng, taken)
        mix = rng.dirichlet([2.0, 2.0, 1.5])
        if "push-backs" in arch["name"]:
            mix = np.array([0.7, 0.2, 0.1])
        rows.append(
            {
                "corridor_id": f"{dest[:3].upper()}-{orig[:3].upper()}",
                "destination": dest,
                "origin": orig,
                "region": REGIONS[i % len(REGIONS)],
                "archetype": arch["name"],
                "share_forced": round(float(mix[0]), 2),
                "share_assisted_voluntary": round(float(mix[1]), 2),
                "share_spontaneous": round(1 - round(float(mix[0]), 2) - round(float(mix[1]), 2), 2),
                "share_children": round(float(rng.uniform(0.05, 0.35)), 2),
                "share_women": round(float(rng.uniform(0.2, 0.6)), 2),
                "covid_disruption": ["low", "medium", "high"][int(rng.integers(0, 3)) if i % 4 != 3 else 2],
                "fictional": True,
                "note": FICTIONAL_NOTE,
            }
        )
    return pd.DataFrame(rows)


def _archetype(corridor: pd.Series) -> dict:
    return next(a for a in ARCHETYPES if a["name"] == corridor["archetype"])


def assessment(
    corridor: pd.Series, assessor_code: str, role: str = "government", seed: int = SEED, noise: float = 0.12
) -> Assessment:
    """A complete assessment of `corridor`; two assessor codes give two plausible, partly differing views."""
    arch = _archetype(corridor)
    rng = np.random.default_rng([seed, hash_str(corridor["corridor_id"]), hash_str(assessor_code)])
    items = checklist.items()
    phase_level = dict(zip(checklist.PHASES, arch["phases"], strict=True))
    a = Assessment.new(
        corridor["corridor_id"],
        corridor["origin"],
        corridor["destination"],
        assessor_code,
        role,
        assessed_on=ASSESSED_ON,
        fictional=True,
        context=f"{FICTIONAL_NOTE} Archetype: {corridor['archetype']}.",
    )
    a.corridor["region"] = corridor["region"]
    a.corridor["description"] = (
        f"Returns: {corridor['share_forced']:.0%} forced, {corridor['share_assisted_voluntary']:.0%} "
        f"assisted voluntary, {corridor['share_spontaneous']:.0%} spontaneous; "
        f"{corridor['share_children']:.0%} children, {corridor['share_women']:.0%} women; "
        f"COVID-19 disruption {corridor['covid_disruption']}."
    )
    for item in items.itertuples():
        level = phase_level[item.phase] + arch.get("themes", {}).get(item.theme_id, 0.0)
        level += sum(arch.get("lenses", {}).get(lens, 0.0) for lens in item.lenses)
        level += rng.normal(0, noise)
        draw = rng.random()
        if item.item_id in arch.get("red", []):
            code = str(int(rng.integers(0, 2)))
        elif draw < 0.05:
            code = "dk"
        elif draw < 0.07 and not item.red_line:
            code = "na"
        else:
            # Where safeguards are strong, the absolute obligations are the first to be fully applied.
            lift = 0.6 if item.red_line else 0.0
            code = str(int(np.clip(np.rint(level * 3 + lift + rng.normal(0, 0.35)), 0, 3)))
        confidence = ["low", "medium", "high"][int(rng.integers(0, 3))]
        a.set_answer(item.item_id, code, confidence=confidence if code != "dk" else "low")
    return a


def hash_str(text: str) -> int:
    """A stable (unlike hash(), not salted per process) integer for a string, to seed generators."""
    return zlib.crc32(text.encode("utf-8"))


def returns(corridor_table: pd.DataFrame, years: range = range(2018, 2024), seed: int = SEED) -> pd.DataFrame:
    """Fictional returns per corridor by year, type, sex and age group (the SDG 17.18 disaggregation spirit).

    Every row has `fictional` = True: the figures are invented, and the label travels with each row.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for c in corridor_table.itertuples():
        base = rng.integers(800, 6000)
        dip = {"low": 0.85, "medium": 0.6, "high": 0.35}[c.covid_disruption]
        shares = {
            "forced": c.share_forced,
            "assisted voluntary": c.share_assisted_voluntary,
            "spontaneous": c.share_spontaneous,
        }
        for year in years:
            total = base * (dip if year in (2020, 2021) else 1.0) * rng.uniform(0.9, 1.1)
            for rtype in RETURN_TYPES:
                for sex, s_share in (("female", c.share_women), ("male", 1 - c.share_women)):
                    for age, a_share in (("0-17", c.share_children), ("18+", 1 - c.share_children)):
                        rows.append(
                            {
                                "corridor_id": c.corridor_id,
                                "year": year,
                                "return_type": rtype,
                                "sex": sex,
                                "age_group": age,
                                "returns": int(round(total * shares[rtype] * s_share * a_share)),
                                "fictional": True,
                            }
                        )
    return pd.DataFrame(rows)


SECOND_ASSESSORS = {0: "CSO-2", 3: "CSO-2", 7: "UNCT-2"}  # corridors (by position) with a second assessor


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as CSV with booleans spelled true/false, as datapackage.json and `data.load` expect."""
    spelled = {True: "true", False: "false"}
    bools = {c: frame[c].map(spelled) for c in frame.columns if frame[c].dtype == bool}
    frame.assign(**bools).to_csv(path, index=False)


def write_samples(folder: str | Path, seed: int = SEED) -> list[Path]:
    """Write corridors.csv, corridor_returns.csv, sample_answers.csv and sample_assessments/*.json; return the paths.

    Every row of the three tables carries `fictional` = true, so the label stays with each row wherever it is copied.
    """
    folder = Path(folder)
    (folder / "sample_assessments").mkdir(parents=True, exist_ok=True)
    table = corridors(seed=seed)
    written = [folder / "corridors.csv", folder / "corridor_returns.csv"]
    _write_csv(table, written[0])
    _write_csv(returns(table, seed=seed), written[1])
    answers = []
    for i, row in table.iterrows():
        assessors = [("GOV-1", "government")]
        if i in SECOND_ASSESSORS:
            code = SECOND_ASSESSORS[i]
            assessors.append((code, "civil_society" if code.startswith("CSO") else "un_country_team"))
        for code, role in assessors:
            path = folder / "sample_assessments" / f"{row['corridor_id']}_{code}.json"
            made = assessment(row, code, role, seed=seed)
            made.save(path)
            written.append(path)
            answers.append(made.answers_frame().assign(assessor_code=code, role=role))
    tidy = pd.concat(answers, ignore_index=True)
    tidy = tidy[["assessment_id", "corridor_id", "assessor_code", "role", "item_id", "answer", "confidence"]]
    tidy = tidy.assign(fictional=True)
    written.insert(2, folder / "sample_answers.csv")
    _write_csv(tidy, written[2])
    return written


def sample_paths() -> list[Path]:
    """The shipped sample assessment files, sorted."""
    from .data import data_dir

    return sorted((data_dir() / "sample_assessments").glob("*.json"))


@lru_cache(maxsize=1)
def _validated_samples() -> tuple[dict, ...]:
    return tuple(Assessment.load(p).to_dict() for p in sample_paths())


def load_assessments(sources: list[str]) -> list[Assessment]:
    """Assessments from file paths or sample ids such as 'NOR-ALD_GOV-1' (the stem of a shipped sample file)."""
    by_name = {p.stem: p for p in sample_paths()}
    out = []
    for source in sources:
        try:
            out.append(Assessment.load(by_name.get(source, source)))
        except AssessmentError as err:
            raise R2kitError(f"Could not read {source}:\n{err}") from None
    return out


def load_samples() -> list[Assessment]:
    """The shipped sample assessments (all fictional); validated once per process, fresh objects each call."""
    return [
        Assessment.from_dict(copy.deepcopy(doc), f"sample {doc['corridor']['id']}/{doc['assessor']['code']}")
        for doc in _validated_samples()
    ]
