"""Checking an assessment against its published format, and saying what is wrong in words people understand.

The format is JSON, versioned, and published as a JSON Schema (r2kit/schemas/assessment-v1.schema.json, documented
in docs/assessment-format.md). Checks list every problem in one go, each with the file, the place (item id or
field) and what was expected. Files are read through r2kit.intake, the one reader of untrusted input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from . import checklist, intake
from .errors import R2kitError
from .intake import Problem, json_type
from .privacy import GIVEN_NAMES, person_names, personal_data_warnings

FORMAT = "r2kit-assessment"
FORMAT_VERSION = 1
MAX_BYTES = intake.MAX_BYTES
SCHEMA_PATH = Path(__file__).parent / "schemas" / "assessment-v1.schema.json"
ROLES = [
    "government",
    "un_country_team",
    "civil_society",
    "national_human_rights_institution",
    "international_organisation",
    "academia",
    "other",
]
CONFIDENCE = ["low", "medium", "high"]


class AssessmentError(R2kitError):
    """An assessment that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        head = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {errors[0].file}:" if errors else ""
        super().__init__("\n".join([head] + [f"  - {p.where}: {p.message}" for p in errors]))


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of the current format version."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator():
    r"""A JSON Schema validator whose patterns keep their JSON Schema (ECMA 262) meaning.

    Python's `re.search` lets a final `$` match before a trailing newline, so `"abc\n"` would pass as a code and
    end up in file names; JSON Schema means the end of the text, which Python spells `\Z`.
    """
    import jsonschema  # imported here: validation is not needed to load data or score

    def pattern(validator, expected, instance, schema):
        anchored = re.sub(r"(?<!\\)\$$", r"\\Z", expected)
        if validator.is_type(instance, "string") and not re.search(anchored, instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {expected!r}")

    base = jsonschema.Draft202012Validator
    return jsonschema.validators.extend(base, {"pattern": pattern})(schema())


def _where(path: list, doc: dict) -> str:
    """Turn a JSON path like ['answers', 3, 'answer'] into 'item C02.1 (answer 4)'."""
    if len(path) >= 2 and path[0] == "answers" and isinstance(path[1], int):
        try:
            item = doc["answers"][path[1]].get("item_id")
        except (AttributeError, IndexError, KeyError, TypeError):
            item = None
        place = f"item {item} (answer {path[1] + 1})" if item else f"answer {path[1] + 1}"
        return place + (f", field '{path[2]}'" if len(path) > 2 else "")
    return ".".join(str(p) for p in path) or "the file"


def _explain(err) -> str:
    """A plain-language message for one jsonschema error."""
    kind, expected = err.validator, err.validator_value
    if kind == "required":  # jsonschema reports one error per missing field
        field = re.match(r"'(.+)' is a required property", err.message)
        return f"missing required field {field[1]!r}" if field else err.message
    if kind == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        allowed = ", ".join(err.schema.get("properties", {}))
        return (
            f"field {', '.join(repr(e) for e in extra)} does not belong in an assessment "
            f"(allowed here: {allowed}); r2kit stores nothing beyond the format"
        )
    if kind == "enum":
        if not isinstance(err.instance, str) and all(isinstance(e, str) for e in expected):
            return (
                f"found {json_type(err.instance)} ({json.dumps(err.instance)}); expected text, one of "
                f"{', '.join(json.dumps(e) for e in expected)} (in quotes)"
            )
        return f"{err.instance!r} is not allowed; expected one of {', '.join(map(str, expected))}"
    if kind == "const":
        return f"{err.instance!r} is not allowed; expected {expected!r}"
    if kind == "type":
        names = {"string": "text", "array": "a list", "object": "a group of fields", "boolean": "true or false"}
        shown = "" if err.instance is None else f" ({_short(err.instance)})"
        return f"expected {names.get(expected, expected)}, found {json_type(err.instance)}{shown}"
    if kind == "pattern":
        hints = {
            "code": "2-32 letters, digits, '-' or '_' (a code you choose, not your name)",
            "id": "letters, digits, '.', '-' or '_' with no spaces",
            "assessed_on": "a date written YYYY-MM-DD",
        }
        key = err.path[-1] if err.path else ""
        return f"{err.instance!r} is not in the expected form: {hints.get(key, expected)}"
    if kind in ("maxLength", "minLength"):
        if kind == "minLength":
            return "is empty; expected some text"
        return f"text is too long ({len(err.instance)} characters; at most {expected})"
    return err.message


def _short(value: object) -> str:
    """A value as JSON, cut to 40 characters, for messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _pattern(*path: str) -> str:
    """The schema's pattern for a field, anchored for Python: ('assessor', 'code') -> the code's pattern."""
    node = schema()
    for key in path:
        node = node["properties"][key]
    return re.sub(r"(?<!\\)\$$", r"\\Z", node["pattern"])


def team_code_problem(code: str) -> str | None:
    """What is wrong with a team code, in plain words to show beside the field; None if it is fine."""
    code = code.strip()
    rule = (
        "Your team code is a short code such as MY-TEAM or T07 (2 to 32 letters, digits, - or _), "
        "the one your facilitator gave you or one you make up. It is not a person's name."
    )
    if not code:
        return "Write your team code. " + rule
    looks_like_name = person_names(code) or code in GIVEN_NAMES or (" " in code and code.replace(" ", "").isalpha())
    if re.search(_pattern("assessor", "code"), code) and not looks_like_name:
        return None
    if "@" in code:
        why = "An email address is personal data: please remove it."
    elif looks_like_name:
        why = f"\u201c{code}\u201d looks like a name: please use a code instead."
    elif " " in code:
        why = "Please leave out the spaces (write TEAM-7, not TEAM 7)."
    elif len(code) > 32:
        why = f"This one is {len(code)} characters long: please shorten it."
    elif len(code) < 2:
        why = "Please use at least 2 characters."
    else:
        why = "Please use only letters, digits, - and _ (no accents or other signs), starting with a letter or digit."
    return f"{rule} {why}"


def corridor_code_problem(code: str) -> str | None:
    """What is wrong with a corridor code, in plain words to show beside the field; None if it is fine."""
    code = code.strip()
    if not code or re.search(_pattern("corridor", "id"), code):
        return None
    return (
        "The corridor code is a short code such as ABC-XYZ: letters, digits, '.', '-' or '_', with no spaces, "
        "at most 64 characters."
    )


def check_dict(doc: object, file: str = "<assessment>") -> list[Problem]:
    """Every problem in an already-parsed assessment, plus warnings for likely personal data."""
    if not isinstance(doc, dict):
        return [
            Problem(
                file,
                "the file",
                f"expected a group of fields (a JSON object) with the assessment, found {json_type(doc)}",
            )
        ]
    problems: list[Problem] = []
    if doc.get("format") not in (FORMAT, None):
        problems.append(
            Problem(file, "format", f"{doc.get('format')!r} is not an r2kit assessment (expected {FORMAT!r})")
        )
        return problems
    version = doc.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return [
            Problem(
                file,
                "format_version",
                f"this file uses format version {version}, newer than this r2kit reads "
                f"(version {FORMAT_VERSION}); update r2kit to read it",
            )
        ]
    for err in sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.append(Problem(file, _where(list(err.absolute_path), doc), _explain(err)))
    date = doc.get("assessed_on")
    if isinstance(date, str) and len(date) == 10:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            problems.append(Problem(file, "assessed_on", f"{date!r} is not a real date (expected YYYY-MM-DD)"))
    known = set(checklist.item_ids())
    seen: dict[str, int] = {}
    answers = doc.get("answers") if isinstance(doc.get("answers"), list) else []
    for n, ans in enumerate(answers, start=1):
        if not isinstance(ans, dict) or not isinstance(ans.get("item_id"), str):
            continue
        item = ans["item_id"]
        if item not in known:
            hint = _suggest(item, known)
            problems.append(Problem(file, f"item {item} (answer {n})", f"no checklist item has this id{hint}"))
        elif item in seen:
            problems.append(
                Problem(file, f"item {item} (answer {n})", f"answered twice (first as answer {seen[item]}); keep one")
            )
        else:
            seen[item] = n
    problems += privacy_warnings(doc, file)
    return problems


def _suggest(item: str, known: set[str]) -> str:
    """'; did you mean C06.1?' for a near miss such as c6.1 or C06-1, else ''."""
    parts = re.fullmatch(r"\s*[cC]?\s*(\d{1,2})\s*[.\-_ ]\s*(\d{1,2})\s*", item)
    if parts and f"C{int(parts[1]):02d}.{int(parts[2])}" in known:
        return f"; did you mean C{int(parts[1]):02d}.{int(parts[2])}?"
    close = difflib.get_close_matches(item, sorted(known), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def privacy_warnings(doc: dict, file: str) -> list[Problem]:
    """A warning for each text field (context, description, each item's evidence) that looks like personal data."""
    texts = [("context", doc.get("context"))]
    if isinstance(doc.get("corridor"), dict):
        texts.append(("corridor.description", doc["corridor"].get("description")))
    answers = doc.get("answers")
    for ans in answers if isinstance(answers, list) else []:
        if isinstance(ans, dict):
            texts.append((f"item {ans.get('item_id')}, evidence", ans.get("evidence")))
    return [
        Problem(file, where, message, "warning")
        for where, text in texts
        if isinstance(text, str)
        for message in personal_data_warnings(text)
    ]


def parse_bytes(raw: bytes, name: str) -> tuple[object | None, list[Problem]]:
    """Check the content of an assessment file (from disk or an upload): the document (or None) and every problem."""
    doc, problems = intake.parse_json(raw, name)
    if problems:
        return None, problems
    return doc, check_dict(doc, name)


def read_problems(
    path: str | os.PathLike, folder: str | os.PathLike | None = None
) -> tuple[object | None, list[Problem]]:
    """Read and check one file (a regular file in `folder`, default its own): the document (or None) and problems."""
    raw, problems = intake.read_bytes(path, folder)
    if raw is None:
        return None, problems
    return parse_bytes(raw, str(path))


def validate_file(path: str | os.PathLike) -> list[Problem]:
    """Every problem (errors and warnings) in one assessment file."""
    return read_problems(path)[1]


def errors_in(problems: list[Problem]) -> list[Problem]:
    """The errors among `problems` (warnings left out)."""
    return [p for p in problems if p.severity == "error"]
