"""The knowledge base: datasets described by datapackage.json, loaded as typed pandas DataFrames.

One obvious loader (`load`), one list of names (`datasets`) and a data dictionary (`data_dictionary`),
all read from the Frictionless Data Package so the descriptor stays the single source of truth.
English is the reference; `load(name, lang="fr")` or `lang="es"` swaps in the French or Spanish text of the
fields the descriptor marks `"translatable": true`, read from the `translations` dataset (docs/languages.md).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from .errors import R2kitError, unknown

LIST_DELIMITER = ";"
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""Languages of the knowledge base: English (the reference), French and Spanish."""
KEY_DELIMITER = "|"


def data_dir() -> Path:
    """Folder holding datapackage.json: inside an installed wheel, or datasets/ of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent / "datasets"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise R2kitError(f"r2kit's data files are missing: looked in {here / '_data'} and {here.parent / 'datasets'}.")


@lru_cache(maxsize=1)
def package() -> dict:
    """The parsed datapackage.json descriptor."""
    return json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))


def datasets() -> list[str]:
    """Names of the datasets `load` accepts, in descriptor order."""
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict:
    """The descriptor of one dataset; an unknown name raises an error listing the known ones."""
    for r in package()["resources"]:
        if r["name"] == name:
            return r
    raise unknown("dataset", name, datasets())


def _split(value: str, item_type: str) -> list:
    if value == "":
        return []
    items = [v.strip() for v in value.split(LIST_DELIMITER)]
    return [int(v) for v in items] if item_type == "integer" else items


def _typed(column: pd.Series, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    if kind == "integer":
        return pd.to_numeric(column.replace("", None)).astype("Int64")
    if kind == "number":
        return pd.to_numeric(column.replace("", None)).astype("Float64")
    if kind == "boolean":
        return column.map({"true": True, "false": False, "": None}).astype("boolean")
    if kind == "list":
        item_type = field.get("itemType", "string")
        return column.map(lambda v: _split(v, item_type)).astype(object)
    return column.replace("", None).astype("string")


@cache
def _load(name: str) -> pd.DataFrame:
    res = resource(name)
    raw = pd.read_csv(data_dir() / res["path"], dtype=str, keep_default_na=False, encoding="utf-8")
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        raise R2kitError(f"{res['path']}: columns {list(raw.columns)} do not match the schema {expected}.")
    return pd.DataFrame({f["name"]: _typed(raw[f["name"]], f) for f in fields})


def check_language(lang: str) -> str:
    """Return `lang` if the knowledge base has it; otherwise raise an error that lists en, fr and es."""
    if lang not in LANGUAGES:
        raise unknown("language", lang, list(LANGUAGES))
    return lang


def translatable_fields(name: str) -> list[str]:
    """Fields of dataset `name` that have French and Spanish versions, as the descriptor marks them."""
    return [f["name"] for f in resource(name)["schema"]["fields"] if f.get("translatable")]


def record_ids(name: str, frame: pd.DataFrame | None = None) -> pd.Series:
    """Each record's primary key as text (key columns joined by '|'), the `record_id` translations.csv uses."""
    frame = _load(name) if frame is None else frame
    key = resource(name)["schema"]["primaryKey"]
    return frame[key].astype(str).agg(KEY_DELIMITER.join, axis=1)


@cache
def _translation_index() -> dict[tuple[str, str], dict[tuple[str, str], str]]:
    """Translations by (dataset, lang), each a mapping of (record_id, field) to text: built once, read often."""
    index: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    for row in _load("translations").itertuples(index=False):
        index.setdefault((row.dataset, row.lang), {})[(row.record_id, row.field)] = row.text
    return index


def _translated(frame: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """`frame` with its translatable fields in `lang`; a text without a translation stays in English."""
    fields = translatable_fields(name)
    if not fields:
        return frame
    texts = _translation_index().get((name, lang), {})
    ids = record_ids(name, frame).tolist()
    for field in fields:
        translated = pd.Series([texts.get((i, field)) for i in ids], index=frame.index, dtype="string")
        frame[field] = translated.fillna(frame[field])
    return frame


def load(name: str, lang: str = "en") -> pd.DataFrame:
    """Load dataset `name` as a DataFrame with typed columns; list fields hold Python lists.

    With `lang="fr"` or `"es"` the translatable text fields come in that language; columns, ids, order and
    dtypes stay those of the English reference. A fresh copy each call, so callers may modify it freely.
    """
    res = resource(name)
    check_language(lang)
    frame = _load(name).copy()
    if lang != "en":
        frame = _translated(frame, name, lang)
    for field in res["schema"]["fields"]:
        if field.get("type") == "list":  # copy the lists too, not only the column
            frame[field["name"]] = frame[field["name"]].map(list)
    return frame


def glossary() -> pd.DataFrame:
    """The en/fr/es glossary of UN terms of art, so every translation and interface uses the same words."""
    return load("glossary")


def _spelled(value: object) -> str:
    """A constraint value as the CSV files spell it (true/false, not Python's True/False)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def data_dictionary(name: str | None = None) -> pd.DataFrame:
    """One row per field of every dataset (or of `name`): type, required, description, constraints."""
    rows = []
    for res in package()["resources"]:
        if name is not None and res["name"] != resource(name)["name"]:
            continue
        pk = res["schema"].get("primaryKey", [])
        fks = {
            fk["fields"][0]: "{resource}.{fields[0]}".format(**fk["reference"])
            for fk in res["schema"].get("foreignKeys", [])
        }
        for field in res["schema"]["fields"]:
            cons = dict(field.get("constraints", {}))
            required = bool(cons.pop("required", False)) or field["name"] in pk
            kind = field["type"] + (f" of {field.get('itemType', 'string')}" if field["type"] == "list" else "")
            notes = []
            if field["name"] in pk:
                notes.append("primary key")
            if field["name"] in fks:
                notes.append(f"refers to {fks[field['name']]}")
            if field.get("translatable"):
                notes.append("translated: " + ", ".join(LANGUAGES[1:]))
            notes += [
                f"{k}: {', '.join(map(_spelled, v)) if isinstance(v, list) else _spelled(v)}" for k, v in cons.items()
            ]
            rows.append(
                {
                    "dataset": res["name"],
                    "field": field["name"],
                    "type": kind,
                    "required": required,
                    "description": field.get("description", ""),
                    "notes": "; ".join(notes),
                }
            )
    return pd.DataFrame(rows)
