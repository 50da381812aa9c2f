"""Reading files from strangers: one reader for every JSON file r2kit accepts (validate, import, submit, uploads).

A participant's file is untrusted. Before anything parses it, the reader makes sure it is a regular file inside the
folder it was found in (not a pipe, a device, or a link to elsewhere), caps the bytes read, and then parses strict
JSON: bounded nesting and number length (no recursion errors, no huge integers), no duplicate keys, no NaN or
Infinity, valid UTF-8 and no lone surrogates. Each refusal is a plain `Problem` naming the file, the place and what
was expected; nothing here raises for bad input.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 2_000_000  # a complete assessment with long evidence is well under 200 KB
MAX_DEPTH = 32  # an assessment nests 4 levels; anything far deeper is not one
MAX_LISTED = 20  # problems of one kind listed per file: enough to see the pattern, never a flood
MAX_NUMBER_CHARS = 32  # numbers in an assessment are small; a 5,000-digit integer is an attack or an accident
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_O_FLAGS |= getattr(os, "O_BINARY", 0)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_JSON_TYPES = {dict: "a group of fields", list: "a list", str: "text", bool: "true or false", type(None): "null"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a file: the file, the place in it, and what was expected."""

    file: str
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.file}: {self.where}: {label}{self.message}"


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, as a person would say it ('a number', 'null', 'text' ...)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return next((name for kind, name in _JSON_TYPES.items() if isinstance(value, kind)), type(value).__name__)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def read_bytes(path: str | os.PathLike, folder: str | os.PathLike | None = None, max_bytes: int = MAX_BYTES):
    """The bytes of a regular file inside `folder` (default: its own folder), or (None, [Problem]) if refused.

    Links are followed only when they point to a file inside that folder; pipes, devices and sockets are refused
    before they are opened for reading (a FIFO would hang, /dev/zero would never end). At most `max_bytes` are read.
    """
    path = Path(path)
    name = str(path)
    try:
        info = os.lstat(path)
    except OSError as err:
        return None, [Problem(name, "the file", f"cannot be read ({err.strerror or err})")]
    target = path
    if stat.S_ISLNK(info.st_mode):
        root = Path(os.path.realpath(folder if folder is not None else path.absolute().parent))
        target = Path(os.path.realpath(path))
        if not _inside(target, root):
            return None, [
                Problem(name, "the file", f"is a link to {target}, outside {root}; r2kit reads only files in a folder")
            ]
        try:
            info = os.lstat(target)
        except OSError as err:
            return None, [Problem(name, "the file", f"is a link to a file that cannot be read ({err.strerror or err})")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem(name, "the file", f"is {_kind(info.st_mode)}, not a file; expected a .json file")]
    if info.st_size > max_bytes:
        return None, [_too_big(name, info.st_size, max_bytes)]
    try:
        fd = os.open(target, _O_FLAGS)
    except OSError as err:
        return None, [Problem(name, "the file", f"cannot be read ({err.strerror or err})")]
    try:
        opened = os.fstat(fd)  # the file may have been swapped for something else since lstat
        if not stat.S_ISREG(opened.st_mode):
            return None, [Problem(name, "the file", f"is {_kind(opened.st_mode)}, not a file; expected a .json file")]
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        return None, [Problem(name, "the file", f"cannot be read ({err.strerror or err})")]
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        return None, [_too_big(name, len(raw), max_bytes)]
    return raw, []


def _too_big(name: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        name,
        "the file",
        f"is {size / 1e6:.1f} MB; an assessment is at most {max_bytes / 1e6:.0f} MB (is this the right file?)",
    )


class _Collector:
    """json.loads hooks that note duplicate keys, long numbers and non-finite numbers instead of accepting them."""

    def __init__(self) -> None:
        self.duplicates: dict[str, None] = {}  # an ordered set: a flood of duplicates stays linear
        self.constants: list[str] = []
        self.long_numbers: list[str] = []

    def pairs(self, pairs: list[tuple[str, object]]) -> dict:
        out: dict = {}
        for key, value in pairs:
            if key in out:
                self.duplicates[key] = None
            out[key] = value
        return out

    def constant(self, token: str) -> None:
        self.constants.append(token)

    def integer(self, token: str) -> int:
        if len(token) > MAX_NUMBER_CHARS:  # checked before int() does quadratic work on thousands of digits
            self.long_numbers.append(token)
            return 0
        return int(token)

    def number(self, token: str) -> float:
        if len(token) > MAX_NUMBER_CHARS:
            self.long_numbers.append(token)
            return 0.0
        value = float(token)
        if value in (float("inf"), float("-inf")):
            self.constants.append(token)
            return 0.0
        return value


def _key_lines(text: str, key: str) -> str:
    pattern = re.compile(r'"' + re.escape(json.dumps(key)[1:-1]) + r'"\s*:')
    lines = list(dict.fromkeys(str(text.count("\n", 0, m.start()) + 1) for m in pattern.finditer(text)))
    return f" (lines {', '.join(lines)})" if len(lines) > 1 else f" (line {lines[0]})" if lines else ""


def _walk_problems(doc: object, name: str, strings: bool = True) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH and text with lone surrogates (not valid Unicode), found without recursion.

    Only containers, and strings when `strings` is set, are visited: a flood of numbers costs one type check each.
    """
    problems, stack = [], [("", doc, 1)]
    while stack and len(problems) < MAX_LISTED:
        where, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"is nested more than {MAX_DEPTH} levels deep; an assessment has at most 4 levels"
            return [Problem(name, where or "the file", message)]
        if isinstance(value, str):
            if _SURROGATE.search(value):
                message = "holds text that is not valid Unicode (a lone surrogate); save the file again as UTF-8"
                problems.append(Problem(name, where or "the file", message))
        elif isinstance(value, dict):
            for key, item in value.items():
                place = f"{where}.{key}".lstrip(".")
                if strings and _SURROGATE.search(key):
                    message = "is a field name that is not valid Unicode (a lone surrogate)"
                    problems.append(Problem(name, place, message))
                if isinstance(item, (dict, list)) or (strings and isinstance(item, str)):
                    stack.append((place, item, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (f"{where}[{n + 1}]", item, depth + 1)
                for n, item in enumerate(value)
                if isinstance(item, (dict, list)) or (strings and isinstance(item, str))
            )
    return sorted(problems, key=lambda p: p.where)


def parse_json(raw: bytes, name: str) -> tuple[object | None, list[Problem]]:
    """Parse untrusted bytes as strict JSON: the document (or None) and every problem that stopped it."""
    if len(raw) > MAX_BYTES:
        return None, [_too_big(name, len(raw), MAX_BYTES)]
    if not raw.strip():
        return None, [Problem(name, "the file", "is empty; expected an assessment saved by r2kit (a .json file)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [
            Problem(
                name,
                "the file",
                f"is not UTF-8 text (byte {raw[err.start]:#04x} at position {err.start}); "
                f"save it again as UTF-8, or export it from r2kit",
            )
        ]
    hooks = _Collector()
    try:
        doc = json.loads(
            text,
            object_pairs_hook=hooks.pairs,
            parse_constant=hooks.constant,
            parse_int=hooks.integer,
            parse_float=hooks.number,
        )
    except json.JSONDecodeError as err:
        return None, [Problem(name, f"line {err.lineno} column {err.colno}", f"is not valid JSON ({err.msg})")]
    except RecursionError:  # the json module's own guard against deep nesting: never let it escape
        message = f"is nested more than {MAX_DEPTH} levels deep; an assessment has at most 4 levels"
        return None, [Problem(name, "the file", message)]
    except ValueError as err:  # any other limit of the json module
        return None, [Problem(name, "the file", f"cannot be read as JSON ({err})")]
    problems = [
        Problem(name, f"field {key!r}{_key_lines(text, key)}", "appears twice in one group; keep one")
        for key in list(hooks.duplicates)[:MAX_LISTED]
    ]
    problems += [
        Problem(name, "the file", f"holds {token}, which is not a number JSON allows; expected a plain number")
        for token in list(dict.fromkeys(hooks.constants))[:MAX_LISTED]
    ]
    problems += [
        Problem(
            name,
            "the file",
            f"holds a number of {len(token)} characters; expected a short number (at most {MAX_NUMBER_CHARS})",
        )
        for token in list(dict.fromkeys(hooks.long_numbers))[:MAX_LISTED]
    ]
    # UTF-8 bytes cannot hold a surrogate, so only a \uD800-\uDFFF escape can put one in a string.
    problems += _walk_problems(doc, name, strings=_SURROGATE_ESCAPE.search(text) is not None)
    return (None if problems else doc), problems
