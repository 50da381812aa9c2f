"""Spotting obvious personal data in free text, so that it can be flagged before it is shared.

The checks are deliberately simple and explainable: email addresses, phone numbers, and a person's
name introduced by a title (Mr, Ms, Dr ...) or a label such as "name:". They warn; they do not decide.
"""

from __future__ import annotations

import re

_PATTERNS = [
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("a phone number", re.compile(r"(?<![\w/.-])\+?\d[\d ()./-]{7,}\d(?![\w/-])")),
    ("a person's name", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx|Sr|Sra|Mme|M)\.?\s+[A-Z][a-z]+")),
    ("a person's name", re.compile(r"\b(?:name|named|called|nom|nombre)\s*[:=]?\s+[A-Z][a-z]+\s+[A-Z][a-z]+")),
    (
        "a passport or ID number",
        re.compile(r"\b(?:passport|ID|id card|case)\s*(?:no\.?|number|#)?\s*[:#]?\s*[A-Z]{0,3}\d{6,}\b", re.I),
    ),
]
# Years and year ranges are not phone numbers.
_YEARS = re.compile(r"^(19|20)\d{2}([-/ ](19|20)?\d{2})?$")


def personal_data_warnings(text: str | None) -> list[str]:
    """One message per kind of personal data that `text` seems to contain: the words every part of r2kit shows."""
    return [
        f"the text seems to contain {kind}; r2kit asks for no personal data, please remove it"
        for kind in personal_data_hints(text)
    ]


def personal_data_hints(text: str | None) -> list[str]:
    """Kinds of personal data that `text` seems to contain, e.g. ['an email address']; empty if none."""
    if not text:
        return []
    found = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind == "a phone number" and (
                _YEARS.match(match.group().strip()) or sum(c.isdigit() for c in match.group()) < 8
            ):
                continue
            if kind not in found:
                found.append(kind)
            break
    return found
