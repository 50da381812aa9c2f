"""Checklist self-assessments of one migration corridor: build, answer, save and load them.

An assessment is corridor metadata, who assesses in which role, and one answer per checklist item. Every way in
(a new assessment, a file, an upload) is checked by r2kit.validation, so an Assessment object is always valid.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import atomic, checklist
from .errors import unknown
from .privacy import personal_data_hints, personal_data_warnings
from .validation import (  # noqa: F401  (re-exported: the assessment format's public names)
    CONFIDENCE,
    FORMAT,
    FORMAT_VERSION,
    MAX_BYTES,
    ROLES,
    SCHEMA_PATH,
    AssessmentError,
    Problem,
    check_dict,
    errors_in,
    parse_bytes,
    read_problems,
    schema,
    validate_file,
)


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass
class Assessment:
    """One team's self-assessment of one corridor: metadata plus one answer per checklist item."""

    corridor: dict
    assessor: dict
    assessed_on: str
    answers: dict[str, dict] = field(default_factory=dict)
    context: str | None = None
    session: str | None = None
    warnings: list[Problem] = field(default_factory=list, repr=False)

    @classmethod
    def new(
        cls,
        corridor_id: str,
        origin: str,
        destination: str,
        assessor_code: str,
        role: str = "government",
        assessed_on: str | None = None,
        fictional: bool = False,
        context: str | None = None,
        named_in_group_views: bool = False,
    ) -> Assessment:
        """A blank assessment; raises AssessmentError listing every problem with the metadata."""
        corridor = {"id": corridor_id, "origin": origin, "destination": destination}
        if fictional:
            corridor["fictional"] = True
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "corridor": corridor,
            "assessor": {"code": assessor_code, "role": role, "named_in_group_views": named_in_group_views},
            "assessed_on": assessed_on or dt.date.today().isoformat(),
            "answers": [],
        }
        if context:
            doc["context"] = context
        return cls.from_dict(doc, "<new assessment>")

    @classmethod
    def from_dict(cls, doc: dict, source: str = "<assessment>") -> Assessment:
        """Build from a parsed document; raises AssessmentError if anything is wrong."""
        problems = check_dict(doc, source)
        if errors_in(problems):
            raise AssessmentError(problems)
        return cls(
            corridor=dict(doc["corridor"]),
            assessor=dict(doc["assessor"]),
            assessed_on=doc["assessed_on"],
            answers={a["item_id"]: {k: v for k, v in a.items() if k != "item_id"} for a in doc["answers"]},
            context=doc.get("context"),
            session=doc.get("session"),
            warnings=[p for p in problems if p.severity == "warning"],
        )

    @classmethod
    def load(cls, path: str | os.PathLike) -> Assessment:
        """Read an assessment file; raises AssessmentError listing every problem."""
        doc, problems = read_problems(path)
        if errors_in(problems):
            raise AssessmentError(problems)
        return cls.from_dict(doc, str(path))

    @classmethod
    def from_bytes(cls, raw: bytes, name: str = "<upload>") -> Assessment:
        """Read an uploaded file's content; raises AssessmentError listing every problem."""
        doc, problems = parse_bytes(raw, name)
        if errors_in(problems):
            raise AssessmentError(problems)
        return cls.from_dict(doc, name)

    @property
    def id(self) -> str:
        """Corridor id and assessor code, which together identify an assessment."""
        return f"{self.corridor['id']}/{self.assessor['code']}"

    @property
    def title(self) -> str:
        """'Destination -> Origin' with '(fictional)' where it is."""
        fic = " (fictional)" if self.corridor.get("fictional") else ""
        return f"{self.corridor['destination']} \u2192 {self.corridor['origin']}{fic}"

    def with_assessor(
        self, code: str, role: str | None = None, named: bool | None = None, assessed_on: str | None = None
    ) -> Assessment:
        """A copy with the same answers under another assessor code (role, naming opt-in, date); checked like a file.

        A team that starts from a sample makes the assessment its own: pass today's date as `assessed_on`.
        """
        doc = self.to_dict()
        doc["assessor"] = {
            "code": code.strip(),
            "role": role or self.assessor["role"],
            "named_in_group_views": bool(self.assessor.get("named_in_group_views") if named is None else named),
        }
        if assessed_on:
            doc["assessed_on"] = assessed_on
        return Assessment.from_dict(doc, "your details")

    def set_answer(self, item_id: str, answer: str, evidence: str | None = None, confidence: str | None = None) -> None:
        """Record one answer, checking the item and the code; evidence is checked for personal data."""
        if item_id not in checklist.item_ids():
            raise unknown("checklist item", item_id, list(checklist.item_ids()))
        answer = str(answer)
        if answer not in checklist.answer_codes():
            raise unknown("answer", answer, list(checklist.answer_codes()))
        if confidence is not None and confidence not in CONFIDENCE:
            raise unknown("confidence", confidence, CONFIDENCE)
        entry = {"answer": answer}
        if evidence:
            entry["evidence"] = evidence
        if confidence:
            entry["confidence"] = confidence
        self.answers[item_id] = entry
        where = f"item {item_id}, evidence"
        self.warnings = [w for w in self.warnings if w.where != where]
        self.warnings += [Problem(self.id, where, message, "warning") for message in personal_data_warnings(evidence)]

    def to_dict(self) -> dict:
        """The assessment as a JSON-ready dict in the published format, answers in item-bank order."""
        order = {item: n for n, item in enumerate(checklist.item_ids())}
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "corridor": self.corridor,
            "assessor": self.assessor,
            "assessed_on": self.assessed_on,
        }
        if self.session:
            doc["session"] = self.session
        if self.context:
            doc["context"] = self.context
        doc["answers"] = [{"item_id": item, **self.answers[item]} for item in sorted(self.answers, key=order.get)]
        return doc

    def to_json(self) -> str:
        """The file's text: indented UTF-8 JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the file atomically (a crash never leaves half a file) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic.write_bytes(path, self.to_json().encode("utf-8"))

    @property
    def file_name(self) -> str:
        """The file name an assessment is saved under: corridor id and assessor code, e.g. NOR-ALD_MY-TEAM.json."""
        return f"{self.corridor['id']}_{self.assessor['code']}.json"

    def personal_data(self) -> str:
        """Where text looks like personal data, in words ('' if nowhere).

        For example "The evidence of C06.1 and C12.2 seems to contain a person's name and an email address".
        """
        places, kinds = [], []
        texts = [(item, self.answers.get(item, {}).get("evidence")) for item in checklist.item_ids()]
        for place, text in texts + [("the context", self.context)]:
            hints = personal_data_hints(text)
            if hints:
                places.append(place)
                kinds += [k for k in hints if k not in kinds]
        if not places:
            return ""
        items = [p for p in places if p != "the context"]
        where = [f"the evidence of {_and(items)}"] if items else []
        where += ["the context"] if "the context" in places else []
        text = f"{_and(where)} {'seem' if len(where) > 1 else 'seems'} to contain {_and(kinds)}"
        return text[0].upper() + text[1:]

    def answers_frame(self) -> pd.DataFrame:
        """Tidy answers, one row per item: (assessment_id, corridor_id, item_id, answer, evidence, confidence)."""
        rows = [
            {
                "assessment_id": self.id,
                "corridor_id": self.corridor["id"],
                "item_id": item,
                "answer": a["answer"],
                "evidence": a.get("evidence"),
                "confidence": a.get("confidence"),
            }
            for item, a in self.answers.items()
        ]
        columns = ["assessment_id", "corridor_id", "item_id", "answer", "evidence", "confidence"]
        return pd.DataFrame(rows, columns=columns)


# --- drafts: answers kept automatically, so that a restart or a reload loses nothing -----------------------------

DRAFTS = ".drafts"  # inside the output folder; hidden, private, never handed in (imports skip hidden folders)


@dataclass
class Draft:
    """An assessment kept automatically while a team works, with when it last changed."""

    path: Path
    assessment: Assessment
    changed: dt.datetime

    @property
    def label(self) -> str:
        """'Continue your draft: Norvania -> Aldoria (fictional), 12 answers, last changed 14:05' for a button."""
        when = self.changed.strftime("%H:%M")
        if self.changed.date() != dt.date.today():
            when = f"{self.changed.day} {self.changed.strftime('%b')} {when}"
        n = len(self.assessment.answers)
        return f"Continue your draft: {self.assessment.title}, {n} answer{'s' if n != 1 else ''}, last changed {when}"


def drafts_folder(output_dir: str | os.PathLike) -> Path:
    """Where drafts are kept: a hidden folder in the output folder, readable by this user only."""
    return Path(output_dir) / DRAFTS


KEEP_DRAFTS = 10  # the most recent drafts kept in a folder; older ones are removed when a new one starts


def save_draft(assessment: Assessment, output_dir: str | os.PathLike, path: str | os.PathLike | None = None) -> Path:
    """Keep the assessment as a draft (atomically, private to this user); return the draft's path.

    Without `path` a new draft starts (named by corridor, code and time, so that it never overwrites an earlier
    draft of the same corridor); pass the path it returned to keep updating the same draft.
    """
    folder = atomic.private_dir(drafts_folder(output_dir))
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"{Path(assessment.file_name).stem}_{stamp}.json"
        for old in sorted(folder.glob("*.json"), key=_mtime, reverse=True)[KEEP_DRAFTS - 1 :]:
            old.unlink(missing_ok=True)
    return atomic.write_bytes(path, assessment.to_json().encode("utf-8"), atomic.PRIVATE_FILE)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def drafts(output_dir: str | os.PathLike) -> list[Draft]:
    """The drafts in an output folder, the most recently changed first; files that cannot be read are left out."""
    folder = drafts_folder(output_dir)
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            changed = dt.datetime.fromtimestamp(path.stat().st_mtime)
            found.append(Draft(path, Assessment.load(path), changed))
        except (AssessmentError, OSError):
            continue
    return sorted(found, key=lambda d: d.changed, reverse=True)
