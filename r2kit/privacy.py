"""Spotting obvious personal data in free text, so that it can be flagged before it is shared.

The checks are deliberately simple and explainable: email addresses, phone numbers, passport or case numbers, and
a person's name, found three ways: a title before it ("Mr Jones", "Mme Dupont", "Dr. Haddad"), words that
introduce it ("my name is ...", "nombre: ..."), or a common given name followed by a capitalised word ("Maria
Lopez", "Ahmed Karimi"). Names of institutions and programmes ("Ministry of Interior", "Assisted Voluntary Return",
"Anna Lindh Foundation") are not flagged. They warn; they do not decide.
"""

from __future__ import annotations

import re
import unicodedata

NAME = "a person's name"
_PATTERNS = [
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("a phone number", re.compile(r"(?<![\w/.-])\+?\d[\d ()./-]{7,}\d(?![\w/-])")),
    (
        "a passport or ID number",
        re.compile(r"\b(?:passport|ID|id card|case)\s*(?:no\.?|number|#)?\s*[:#]?\s*[A-Z]{0,3}\d{6,}\b", re.I),
    ),
]
# Years and year ranges are not phone numbers.
_YEARS = re.compile(r"^(19|20)\d{2}([-/ ](19|20)?\d{2})?$")


def _words(text: str) -> frozenset[str]:
    """A set of the words of `text` (long word lists read best as text)."""
    return frozenset(text.split())


# A word: letters of any alphabet, with inner hyphens or apostrophes (García, N'Diaye, Jean-Luc, O'Brien).
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
# Titles written before a person's name (case matters: "Dr" is a title, "dr" is not).
TITLES = _words("Mr Mrs Ms Miss Mx Dr Prof Sir Madam Mme Mlle Mmes Sr Sra Srta Dña Herr Frau Sheikh Cheikh")
# Words that introduce a name ("my name is Maria"), as lower-case word sequences.
_INTRODUCERS = [
    ("my", "name", "is"),
    ("name",),  # the one-word labels only before ":" or "=" (see _introduced)
    ("nom",),
    ("nombre",),
    ("je", "m'appelle"),
    ("je", "m\u2019appelle"),
    ("me", "llamo"),
    ("mi", "nombre", "es"),
    ("mon", "nom", "est"),
]
# Common given names across the regions of the exchange. Left out on purpose: names that are also places,
# institutions or ordinary English words (Jordan, Georgia, Chad, Victoria, Florence, Sofia, Santiago, Salvador,
# Lucia, Elizabeth, Grace, Hope, Faith, Joy, Will, Mark, May, June, April, Jan, Christian, Angel, Jesus, Don, Said).
GIVEN_NAMES = _words(
    """
    Aaron Abdallah Abdel Abdou Abdoul Abdoulaye Abdul Abdullah Abdullahi Abebe Abraham Adam Adama Adel Adriana
    Adrian Agnes Ahmad Ahmed Aicha Aisha Alain Alberto Aleksandr Alejandro Alex Alexander Alexandra Alexis Ali
    Alice Alicia Alima Amadou Amanda Amina Aminata Amir Ana Anastasia Andrea Andreas Andrew Andrei Angela Anna
    Anne Antoine Antonio Anwar Arturo Asha Aziz Barbara Bashir Beatriz Ben Bernard Bilal Blessing Boubacar
    Bruno Camila Carla Carlos Carmen Caroline Catherine Cecilia Celine Charles Chen Cheng Chinedu Chloe Chukwu
    Claire Claudia Cristina Daniel Daniela Darius David Deborah Diana Diego Dimitri Dmitri Eduardo Elena Elias
    Emma Emmanuel Enrique Eric Esther Fabio Fadi Farah Fatima Fatma Fatou Fatoumata Felipe Fernando
    Francisco Francois Frank Gabriel Gabriela George Giovanni Giuseppe Gloria Guillermo Hamid Hana Hannah Hassan
    Hector Helen Helena Hiba Hussein Ibrahim Ibrahima Ignacio Igor Ilse Imran Ines Irina Isaac Isabel Isabella
    Ismail Issa Ivan Jacques James Javier Jean Jennifer Jessica Jiang Joao John Jorge Jose Joseph Juan Julia
    Julie Karim Karima Kateryna Khadija Khalid Kofi Kwame Laila Lamin Laura Layla Leila Li Lina Linda Liu Lucas
    Luis Luisa Magdalena Mahmoud Malik Mamadou Manuel Marco Maria Mariam Mariama Marie Mario Marta Martin
    Mary Maryam Mateo Matteo Mehmet Michael Miguel Mihai Ming Mohamed Mohammad Mohammed Moussa Muhammad Musa
    Mustafa Nabil Nadia Naima Natalia Nicolas Nikolai Nina Nour Olena Olga Omar Oscar Oumar Ousmane Pablo Patricia
    Patrick Paul Paula Pedro Peter Pierre Rachel Rafael Ramon Rania Rashid Ricardo Robert Roberto Rosa Salma
    Samir Samira Samuel Sandra Sara Sarah Sergei Sergio Seydou Sophie Stefan Susan Tariq Thomas Tomas Valentina
    Vasyl Veronica Viktor Vladimir Wang Wei Yan Yaw Yasmin Yassin Yousef Youssef Yusuf Zahra Zainab Zhang Zoran
    """
)
# Capitalised words of institutions, places, programmes and posts: a "name" next to one of these is not a person
# ("Anna Lindh Foundation", "Sr Officer", "Sheikh Zayed Road").
INSTITUTION_WORDS = _words(
    """
    Academy Adviser Advisor Agency Agreement Airport Alliance Association Authority Avenue Board Bureau Campus
    Centre Center Chair Charter Church Clinic College Commission Committee Company Convention Coordinator
    Corporation Council Court Department Director Directorate Embassy Fellowship Foundation Fund Group Hospital
    Institute Institution League Manager Mission Ministry Network Office Officer Organisation Organization
    Partnership Platform Police Prison Programme Program Project Protocol Road School Secretariat Service Services
    Society Square Station Street Tribunal Trust Union University
    """
)


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
        if kind == "a passport or ID number" and person_names(text):
            found.append(NAME)
        for match in pattern.finditer(text):
            if kind == "a phone number" and (
                _YEARS.match(match.group().strip()) or sum(c.isdigit() for c in match.group()) < 8
            ):
                continue
            found.append(kind)
            break
    return found


def person_names(text: str | None) -> list[str]:
    """The stretches of `text` that look like a person's name ('Maria Lopez', 'Mr Jones'); empty if none."""
    if not text:
        return []
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    names = []
    for n, (word, _, end) in enumerate(words):
        nxt = words[n + 1] if n + 1 < len(words) else None
        if nxt and _capitalised(nxt[0]) and _is_title(word, text, end) and _close(text, end, nxt[1], "."):
            first = n + 1  # "Mr. Jones": the name starts after the title
        elif introduced := _introduced(words, n, text):
            first = n + introduced  # "my name is Maria"
        elif _plain(word) in GIVEN_NAMES and nxt and _capitalised(nxt[0]) and _close(text, end, nxt[1]):
            first = n  # "Maria Lopez": the given name is part of the name
        else:
            continue
        name = _name_from(words[first:], text)
        if first == n and len(name) < 2:
            continue
        following = words[first + len(name)][0] if first + len(name) < len(words) else ""
        if name and following not in INSTITUTION_WORDS and not INSTITUTION_WORDS.intersection(name):
            names.append(" ".join(name))
    return list(dict.fromkeys(names))


def _plain(word: str) -> str:
    """The word without accents, to compare with the list of given names: 'José' -> 'Jose', 'Inès' -> 'Ines'."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _is_title(word: str, text: str, end: int) -> bool:
    """'Mr', 'Mme', 'Dr' ... or 'M.' (the French title needs its full stop)."""
    return word in TITLES or (word == "M" and text[end : end + 1] == ".")


def _capitalised(word: str) -> bool:
    """'Lopez', 'García', "N'Diaye": a capital then at least one lower-case letter; not 'UNHCR', not 'the'."""
    return len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:])


def _close(text: str, end: int, start: int, allowed: str = "") -> bool:
    """True if only spaces (and `allowed` punctuation) separate two words: 'Mr. Jones' yes, 'Maria. Lopez' no."""
    between = text[end:start]
    return 0 < len(between) <= 3 and all(c == " " or c in allowed for c in between) and " " in between


def _name_from(words: list[tuple[str, int, int]], text: str) -> list[str]:
    """The capitalised words at the start of `words` that follow one another closely (at most three)."""
    name: list[str] = []
    for n, (word, start, _) in enumerate(words[:3]):
        if not _capitalised(word) or (n and not _close(text, words[n - 1][2], start)):
            break
        name.append(word)
    return name


def _introduced(words: list[tuple[str, int, int]], n: int, text: str) -> int:
    """How many words introduce a name at position n ('my name is' -> 3, 'Name:' -> 1), or 0."""
    for phrase in _INTRODUCERS:
        if n + len(phrase) >= len(words) or [w[0].lower() for w in words[n : n + len(phrase)]] != list(phrase):
            continue
        separator = text[words[n + len(phrase) - 1][2] : words[n + len(phrase)][1]].strip()
        if separator in (":", "=") or (separator == "" and len(phrase) > 1):
            return len(phrase)
    return 0
