"""Fuzzing the reader of untrusted files and the import with generated malformed input (Hypothesis).

What must hold for any input: no exception escapes, every file gets exactly one verdict, and the store is never
half-written (every stored submission has all of its answers, and nothing else is in the database).
"""

from __future__ import annotations

import copy
import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from r2kit.exchange.store import Store
from r2kit.samples import sample_paths
from r2kit.validation import check_dict, parse_bytes

SAMPLE, OTHER = (json.loads(p.read_text(encoding="utf-8")) for p in sorted(sample_paths())[:2])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@st.composite
def mutated_assessments(draw) -> dict:
    """A real assessment with a few fields replaced, removed or duplicated at random."""
    doc = copy.deepcopy(SAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(["top", "corridor", "assessor", "answer"]))
        if target == "top":
            node = doc
        elif target == "answer" and isinstance(doc.get("answers"), list) and doc["answers"]:
            node = doc["answers"][draw(st.integers(0, len(doc["answers"]) - 1))]
        else:
            node = doc.get(target)
        if not isinstance(node, dict) or not node:
            continue
        key = draw(st.sampled_from(sorted(node)))
        if draw(st.booleans()):
            node[key] = draw(json_values)
        else:
            del node[key]
    return doc


@st.composite
def hostile_bytes(draw) -> bytes:
    """Byte strings near JSON: random bytes, damaged assessments, deep nesting, long numbers, bad escapes."""
    kind = draw(st.sampled_from(["bytes", "cut", "flip", "deep", "number", "escape", "json"]))
    text = json.dumps(SAMPLE)
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "cut":
        return text.encode()[: draw(st.integers(0, len(text)))]
    if kind == "flip":
        raw = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 5))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(raw)
    if kind == "deep":
        n = draw(st.integers(1, 3000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        return (opener * n + "1" + ("]" if opener == "[" else "}") * n).encode()
    if kind == "number":
        return ('{"x": ' + draw(st.sampled_from(["-", ""])) + "9" * draw(st.integers(1, 6000)) + "}").encode()
    if kind == "escape":
        esc = draw(st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "\\u001b[2J", "\\x", "\\"]))
        return text.replace('"government"', f'"gov{esc}"', 1).encode()
    return json.dumps(draw(json_values), allow_nan=True).encode()


@FUZZ
@given(hostile_bytes())
def test_the_reader_returns_a_verdict_for_any_bytes(raw):
    doc, problems = parse_bytes(raw, "fuzz.json")
    errors = [p for p in problems if p.severity == "error"]
    assert doc is not None or errors, "a refused file must say why"
    assert all(p.file == "fuzz.json" and p.message for p in problems)


@FUZZ
@given(mutated_assessments())
def test_checking_a_damaged_assessment_never_raises(doc):
    problems = check_dict(doc, "fuzz.json")
    assert all(isinstance(p.message, str) and p.message for p in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(hostile_bytes(), mutated_assessments().map(lambda d: json.dumps(d).encode())), max_size=6))
def test_import_gives_every_file_a_verdict_and_never_half_writes(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("fuzz")
    inbox = folder / "inbox"
    inbox.mkdir()
    paths = []
    for n, raw in enumerate(files + [json.dumps(OTHER).encode()]):
        path = inbox / f"file{n}.json"
        path.write_bytes(raw)
        paths.append(path)
    with Store(folder / "home") as store:
        store.create_session("fuzz")
        outcomes = list(store.submit("fuzz", paths, folder=inbox))
        assert [o.file for o in outcomes] == [str(p) for p in paths]
        assert {o.status for o in outcomes} <= {"stored", "replaced", "unchanged", "refused", "rejected"}
        assert outcomes[-1].ok  # the good file at the end is stored whatever came before it
        rejected = [o for o in outcomes if o.status == "rejected"]
        assert len(store.rejected("fuzz")) == len(rejected)
    with sqlite3.connect(folder / "home" / "exchange.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for document, stored in conn.execute(
            "SELECT s.document, COUNT(a.item_id) FROM submissions s LEFT JOIN answers a ON a.submission_id = s.id "
            "GROUP BY s.id"
        ):
            assert len(json.loads(document)["answers"]) == stored
    assert not list((folder / "home").rglob("*.tmp"))
