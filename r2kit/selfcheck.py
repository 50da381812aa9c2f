"""The short self-check of notebook 01: questions on the principles, with answers explained and cited."""

from __future__ import annotations

import pandas as pd

from .errors import unknown

QUESTIONS = [
    {
        "id": "Q1",
        "question": "What must be established before any child is returned, alone or with family?",
        "options": [
            "A valid travel document",
            "That return is in the child's best interests, through an individual "
            "procedure involving child protection authorities",
            "The written consent of one parent",
            "A readmission agreement between the two States",
        ],
        "correct": 1,
        "why": "The Common Position makes a best-interests determination the precondition of any child's "
        "return; the procedure is formal, individual and documented.",
        "source": "Common Position, principles 2 and 3",
    },
    {
        "id": "Q2",
        "question": "Which statement about non-refoulement is right?",
        "options": [
            "It can be set aside for reasons of public order",
            "It applies only to recognised refugees",
            "It admits no exception and applies at borders and during return too",
            "It ends once a return decision is final",
        ],
        "correct": 2,
        "why": "Under human rights law the prohibition admits no exceptions or derogations and applies in "
        "every phase, including at international borders.",
        "source": "Mapping IV.A.1",
    },
    {
        "id": "Q3",
        "question": "When may children be held in immigration detention in the context of return?",
        "options": [
            "As a last resort",
            "For the shortest possible time",
            "Never: children and families are not to be detained for reasons of migration status",
            "Only when a family is together",
        ],
        "correct": 2,
        "why": "Children and families must never be detained for migration-status reasons; families stay "
        "together in non-custodial, community-based settings.",
        "source": "Common Position, principle 4",
    },
    {
        "id": "Q4",
        "question": "What makes an assisted return voluntary?",
        "options": [
            "A signed return form",
            "Free, prior and informed consent: no coercion, accessible information, "
            "time to weigh other options, and the chance to change one's mind",
            "A reintegration grant",
            "The absence of a removal order",
        ],
        "correct": 1,
        "why": "Consent must be free of physical or psychological coercion, informed in an accessible "
        "language, given with time to consider, and can be withdrawn.",
        "source": "Common Position, principle 5",
    },
    {
        "id": "Q5",
        "question": "In r2kit's checklist, how does a 'Don't know' answer count?",
        "options": [
            "As zero",
            "As half of the scale",
            "Not as a score: it lowers coverage and is itself a finding worth following up",
            "As 'in place'",
        ],
        "correct": 2,
        "why": "Don't know and not applicable carry no score; a theme's score is the mean of the items "
        "answered on the 0-3 scale.",
        "source": "r2kit method (docs/method.md)",
    },
    {
        "id": "Q6",
        "question": "Sustainable reintegration, as the Network defines it, concerns...",
        "options": [
            "Economic conditions only",
            "Political, economic, social and psychosocial conditions, in full respect of human rights",
            "The returnee's employment within one year",
            "Avoiding any further migration",
        ],
        "correct": 1,
        "why": "The working definition covers the political, economic, social and psychosocial "
        "conditions needed for life, livelihood and dignity.",
        "source": "Common Position, Definitions",
    },
]


def questions() -> pd.DataFrame:
    """The self-check questions with their options, correct option, explanation and source."""
    return pd.DataFrame(QUESTIONS)


def check(answers: dict[str, int]) -> pd.DataFrame:
    """Mark answers {question id: option index}: one row per question with correct?, the right answer and why."""
    rows = []
    by_id = {q["id"]: q for q in QUESTIONS}
    for qid in answers:
        if qid not in by_id:
            raise unknown("question", qid, list(by_id))
    for q in QUESTIONS:
        given = answers.get(q["id"])
        rows.append(
            {
                "question": q["question"],
                "your answer": q["options"][given] if given is not None else "",
                "correct": given == q["correct"],
                "right answer": q["options"][q["correct"]],
                "why": q["why"],
                "source": q["source"],
            }
        )
    return pd.DataFrame(rows)
