"""French and Spanish: every translatable text has both, keeps numbers and markup, uses the glossary's UN terms,
and `load(name, lang)` returns the English frame's shape with only the translated text swapped in."""

from __future__ import annotations

import copy
import csv
import json
import re
import unicodedata

import pandas as pd
import pytest
from conftest import DATASETS

import r2kit
from r2kit import data

LANGS = ("fr", "es")
TRANSLATED = [name for name in r2kit.datasets() if data.translatable_fields(name)]
# (dataset, record_id, field) whose translation may equal the English: a proper noun or a number. Keep it short.
SAME_AS_ENGLISH: set[tuple[str, str, str]] = set()
# The terms the languages issue asks for by name, with the UN's French and Spanish forms.
REQUIRED_TERMS = {
    "gcm": (
        "Pacte mondial pour des migrations sûres, ordonnées et régulières",
        "Pacto Mundial para la Migración Segura, Ordenada y Regular",
    ),
    "non_refoulement": ("non-refoulement", "no devolución"),
    "best_interests_child": ("intérêt supérieur de l'enfant", "interés superior del niño"),
    "collective_expulsion": ("expulsion collective", "expulsión colectiva"),
    "uasc": ("enfants non accompagnés et séparés", "niños no acompañados y separados"),
    "assisted_voluntary_return": ("retour volontaire assisté", "retorno voluntario asistido"),
    "sustainable_reintegration": ("réintégration durable", "reintegración sostenible"),
}
MORE_TERMS = {
    "safe_dignified_return",
    "readmission",
    "immigration_detention",
    "due_process",
    "human_rights",
    "migrant",
    "country_of_origin",
    "country_of_destination",
    "country_of_transit",
    "firewall",
    "un_network",
    "sdgs",
    "red_line",
}


def _has_words(value: object) -> bool:
    return isinstance(value, str) and re.search(r"[^\W\d_]", value) is not None


def _plain(text: str) -> str:
    """Lower case, one kind of apostrophe and of space, so a search for a term ignores typography."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).lower()


@pytest.fixture(scope="module")
def english() -> dict[tuple[str, str, str], str]:
    """(dataset, record_id, field) -> the English text of every translatable value that has words."""
    texts = {}
    for name in TRANSLATED:
        frame = r2kit.load(name)
        ids = data.record_ids(name, frame)
        for field in data.translatable_fields(name):
            for rid, value in zip(ids, frame[field], strict=True):
                if _has_words(value):
                    texts[(name, rid, field)] = value
    return texts


@pytest.fixture(scope="module")
def translated() -> dict[str, dict[tuple[str, str, str], str]]:
    rows = r2kit.load("translations")
    return {
        lang: {(r.dataset, r.record_id, r.field): r.text for r in rows[rows["lang"] == lang].itertuples()}
        for lang in LANGS
    }


def test_languages_are_english_french_and_spanish():
    assert data.LANGUAGES == ("en", "fr", "es")


def test_the_descriptor_marks_the_participant_facing_text_fields():
    expected = {
        "definitions": ["term", "summary"],
        "principles": ["title", "summary"],
        "themes": ["title", "challenge", "response", "commitments"],
        "practices": ["title", "figures", "summary"],
        "checklist": ["question", "in_place_means", "evidence_examples", "red_line_basis"],
        "answer_scale": ["label", "meaning"],
        "gcm_actions": ["title", "summary"],
        "sdg_targets": ["goal_title", "summary"],
    }
    assert {name: data.translatable_fields(name) for name in TRANSLATED} == expected
    for name in TRANSLATED:
        for field in data.resource(name)["schema"]["fields"]:
            assert not field.get("translatable") or field["type"] == "string", (name, field["name"])


def test_every_translatable_text_has_french_and_spanish_and_nothing_else(english, translated):
    for lang in LANGS:
        missing = sorted(set(english) - set(translated[lang]))
        extra = sorted(set(translated[lang]) - set(english))
        assert not missing, f"{lang}: {len(missing)} texts not translated, e.g. {missing[:5]}"
        assert not extra, f"{lang}: translations of no English text (unknown record or field), e.g. {extra[:5]}"
    rows = r2kit.load("translations")
    assert rows["text"].map(_has_words).all() and set(rows["status"]) <= {"machine", "reviewed"}


def test_a_translation_is_not_the_english_text(english, translated):
    same = [
        key
        for lang in LANGS
        for key, text in translated[lang].items()
        if _plain(text) == _plain(english[key]) and key not in SAME_AS_ENGLISH
    ]
    assert not same, f"left in English: {same[:10]}"


def test_numbers_and_markup_survive(english, translated):
    """Digits (figures, years, ids, citations), ' | ' separators and {placeholders} stay exactly as in English."""

    def marks(text: str) -> tuple:
        return (sorted(re.findall(r"\d+", text)), text.count(" | "), sorted(re.findall(r"\{\w*\}|<[^>]+>", text)))

    lost = [
        (lang, key) for lang in LANGS for key, text in translated[lang].items() if marks(text) != marks(english[key])
    ]
    assert not lost, "\n".join(
        f"{lang} {key}: {marks(english[key])} -> {marks(translated[lang][key])}" for lang, key in lost[:10]
    )


def test_the_glossary_has_the_un_terms():
    terms = data.glossary().set_index("term_id")
    assert set(REQUIRED_TERMS) | MORE_TERMS <= set(terms.index)
    for term_id, (fr, es) in REQUIRED_TERMS.items():
        assert (terms.loc[term_id, "fr"], terms.loc[term_id, "es"]) == (fr, es), term_id
    assert terms[["en", "fr", "es"]].notna().all().all()
    assert not terms["en"].str.lower().duplicated().any()


def _english_pattern(row) -> re.Pattern:
    forms = [row.en, *row.en_variants]
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})s?(?![\w-])", re.I)


def test_translations_use_the_glossary_terms(english, translated):
    """Wherever the English uses a glossary term, the translation uses its French or Spanish form (or a variant)."""
    misses = []
    for row in data.glossary().itertuples():
        pattern = _english_pattern(row)
        for key, text in english.items():
            if not pattern.search(text):
                continue
            for lang in LANGS:
                forms = [getattr(row, lang), *getattr(row, f"{lang}_variants")]
                if key in translated[lang] and not any(_plain(form) in _plain(translated[lang][key]) for form in forms):
                    misses.append(f"{lang} {key}: '{pattern.search(text).group()}' needs '{getattr(row, lang)}'")
    assert not misses, f"{len(misses)} misses:\n" + "\n".join(misses[:40])


@pytest.mark.parametrize("lang", LANGS)
def test_load_in_another_language_keeps_columns_ids_order_and_dtypes(lang):
    for name in r2kit.datasets():
        english, other = r2kit.load(name), r2kit.load(name, lang=lang)
        assert list(other.columns) == list(english.columns), name
        assert other.dtypes.to_dict() == english.dtypes.to_dict(), name
        assert other.index.equals(english.index), name
        fields = data.translatable_fields(name)
        kept = [c for c in english.columns if c not in fields]
        pd.testing.assert_frame_equal(other[kept], english[kept], obj=name)
        for field in fields:
            assert other[field].isna().tolist() == english[field].isna().tolist(), (name, field)
            assert (other[field] != english[field]).any(), f"{name}.{field} is not translated"


def test_english_is_the_default_and_unchanged():
    for name in TRANSLATED:
        pd.testing.assert_frame_equal(r2kit.load(name, lang="en"), r2kit.load(name))
    raw = pd.read_csv(DATASETS / "themes.csv", dtype=str, keep_default_na=False)
    assert r2kit.load("themes")["title"].tolist() == raw["title"].tolist()


def test_french_and_spanish_text_is_what_the_translations_say(translated):
    themes = r2kit.load("themes", lang="fr").set_index("theme_id")
    assert themes.loc[1, "title"] == translated["fr"][("themes", "1", "title")]
    scale = r2kit.load("answer_scale", lang="es").set_index("answer_code")
    assert scale.loc["dk", "label"] == translated["es"][("answer_scale", "dk", "label")]


def test_an_unknown_language_names_the_known_ones():
    with pytest.raises(r2kit.R2kitError, match=r"Unknown language 'de'\. Known languages: en, fr, es\."):
        r2kit.load("themes", lang="de")
    with pytest.raises(r2kit.UnknownNameError, match="Unknown dataset"):
        r2kit.load("themse", lang="fr")


def test_a_missing_translation_keeps_the_english_text(monkeypatch):
    monkeypatch.setattr(data, "_translation_index", lambda: {})
    pd.testing.assert_frame_equal(r2kit.load("principles", lang="es"), r2kit.load("principles"))


def test_load_in_french_returns_a_fresh_copy():
    first = r2kit.load("practices", lang="fr")
    first.loc[0, "title"] = "changé"
    first.loc[1, "theme_ids"].append(99)
    second = r2kit.load("practices", lang="fr")
    assert second.loc[0, "title"] != "changé" and 99 not in second.loc[1, "theme_ids"]


def test_record_ids_are_the_primary_key_as_text():
    assert data.record_ids("themes").tolist() == [str(i) for i in range(1, 20)]
    assert data.record_ids("sample_answers").iloc[0].count("|") == 1


def test_frictionless_rejects_an_unknown_language_or_status(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    res = copy.deepcopy(data.resource("translations"))
    with (DATASETS / res["path"]).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    rows[1][header.index("lang")], rows[2][header.index("status")] = "de", "final"
    with (tmp_path / res["path"]).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:4])
    for key in ("bytes", "hash"):
        res.pop(key)
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "one", "resources": [res]}), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    errors = [(err.type, err.row_number, err.field_name) for task in report.tasks for err in task.errors]
    assert sorted(errors) == [("constraint-error", 2, "lang"), ("constraint-error", 3, "status")]
