"""The exercise sheets and the facilitator guide in exercises/: what a participant or facilitator would notice.

A sheet that names a notebook that does not exist, a step list whose times do not add up, an agenda that
runs over, a command that the r2kit CLI does not know, a sample corridor not called fictional, or wording
that grades or ranks States: each of these is visible to the people who use the sheets, so each is tested.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
import yaml
from conftest import ROOT

import r2kit

EXERCISES = ROOT / "exercises"
README = EXERCISES / "README.md"
GUIDE = EXERCISES / "facilitator_guide.md"
EXPECTED_SHEETS = (
    "00_getting_started.md",
    "01_principles.md",
    "02_mapping_explorer.md",
    "03_corridor_gap_mapping.md",
    "04_peer_review.md",
    "05_gaps_to_actions.md",
    "06_covid19_focus.md",
    "07_for_researchers.md",
)
FRONT_MATTER_KEYS = ("title", "notebook", "teaching", "exercises", "audience", "questions", "objectives", "keypoints")
SHEET_SECTIONS = ("Before you start", "Steps", "Discussion prompts", "What to hand in", "Facilitator notes")
GUIDE_SECTIONS = (
    "Ground rules",
    "Preparation",
    "Agenda",
    "Breakout rooms",
    "Debrief",
    "COVID-19 variant",
    "Accessibility and low bandwidth",
    "Data protection",
)

# Wording that would grade or rank States. Allowed only in a sentence that says r2kit does not do it.
GRADING = re.compile(
    r"\brank(?:s|ed|ing|ings)?\b|\bleague tables?\b|\bscore ?cards?\b|\bgrad(?:e|es|ed|ing)\b"
    r"|\bnaming and shaming\b|\b(?:best|worst|top|bottom)[- ]perform\w*|\bcompliance ratings?\b"
    r"|\bcompar\w* (?:of |between )?(?:named )?(?:states|countries)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(?:not|never|no|nor|nobody|nothing|none|neither|without)\b|n't", re.IGNORECASE)
FICTIONAL_WINDOW = 160  # characters either side of a corridor's name within which "fictional" must appear


# --- reading the sheets --------------------------------------------------------------------------------------


def documents() -> list[Path]:
    """Every sheet and the facilitator guide: the Markdown files of exercises/ except the README."""
    return sorted(p for p in EXERCISES.glob("*.md") if p.name != README.name)


def sheets() -> list[Path]:
    return [p for p in documents() if p != GUIDE]


def all_markdown() -> list[Path]:
    return documents() + ([README] if README.exists() else [])


def split(path: Path) -> tuple[dict, str]:
    """The YAML front matter (a dict) and the Markdown body of a sheet."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.DOTALL)
    assert match, f"{path.name}: must start with YAML front matter between two '---' lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: the front matter is not a YAML mapping"
    return meta, match.group(2)


def without_code(text: str) -> str:
    """Text with fenced code blocks blanked out, keeping every position (headings inside code are not headings)."""
    return re.sub(r"```.*?```", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.DOTALL)


def sections(body: str, keep_code: bool = False) -> dict[str, str]:
    """Level-2 sections by heading text (fenced code blanked out unless `keep_code`)."""
    masked = without_code(body)
    source = body if keep_code else masked
    headings = list(re.finditer(r"^## +(.+?) *$", masked, flags=re.MULTILINE))
    ends = [h.start() for h in headings[1:]] + [len(body)]
    return {h.group(1).strip(): source[h.end() : end] for h, end in zip(headings, ends, strict=True)}


def section(body: str, name: str, keep_code: bool = False) -> str:
    """The section whose heading starts with `name`."""
    for heading, text in sections(body, keep_code).items():
        if heading.startswith(name):
            return text
    raise AssertionError(f"no section '## {name}'")


def tables(text: str) -> list[list[list[str]]]:
    """Markdown tables in `text`: lists of rows of cell strings, separator rows left out."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def flat(text: str) -> str:
    """Text on one line with Markdown emphasis removed, for sentence-level checks."""
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", ""))


def sentences(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n|\n\s*(?:[-*]|\d+\.) |\|", text)
    return [s for block in blocks for s in re.split(r"(?<=[.!?])\s+", flat(block)) if s.strip()]


def notebooks_of(meta: dict) -> list[str]:
    value = meta["notebook"]
    return [value] if isinstance(value, str) else list(value)


def agenda_minutes(rows: list[list[str]], where: str) -> int:
    """Sum of the Minutes column of an agenda table, checking that each start time follows from the last."""
    header = [c.lower() for c in rows[0]]
    assert "start" in header and "minutes" in header, f"{where}: the agenda table needs Start and Minutes columns"
    start_col, minutes_col = header.index("start"), header.index("minutes")
    clock = 0
    for row in rows[1:]:
        hours, minutes = (int(x) for x in row[start_col].split(":"))
        assert hours * 60 + minutes == clock, (
            f"{where}: the row starting at {row[start_col]} should start at {clock // 60}:{clock % 60:02d}, "
            "the end of the row before it"
        )
        clock += int(row[minutes_col])
    return clock


def guide_agendas() -> dict[str, list[list[str]]]:
    _, body = split(GUIDE)
    out = {}
    for name in ("Agenda", "COVID-19 variant"):
        found = tables(section(body, name))
        assert found, f"facilitator guide: no agenda table in '## {name}'"
        out[name] = found[0]
    return out


@pytest.fixture(scope="module")
def corridor_names() -> list[str]:
    corridors = r2kit.load("corridors")
    names = set(corridors["corridor_id"]) | set(corridors["origin"]) | set(corridors["destination"])
    return sorted(names, key=len, reverse=True)


# --- the set of sheets -----------------------------------------------------------------------------------------


def test_every_sheet_and_the_guide_are_there():
    missing = [name for name in (*EXPECTED_SHEETS, GUIDE.name, README.name) if not (EXERCISES / name).exists()]
    assert not missing, f"missing in exercises/: {missing}"


def test_the_readme_index_lists_every_sheet_with_its_notebook_and_minutes():
    rows = {}
    for table in tables(README.read_text(encoding="utf-8")):
        for row in table[1:]:
            link = re.search(r"\]\(([^)]+\.md)\)", row[0])
            if link:
                rows[link.group(1)] = row
    for path in documents():
        assert path.name in rows, f"README.md: the index table has no row for {path.name}"
        meta, _ = split(path)
        minutes = int(rows[path.name][2])
        if path == GUIDE:
            expected = agenda_minutes(guide_agendas()["Agenda"], "facilitator guide")
            assert minutes == expected, f"README.md: the guide is listed as {minutes} minutes; its agenda is {expected}"
        else:
            assert minutes == meta["teaching"] + meta["exercises"], (
                f"README.md: {path.name} is listed as {minutes} minutes, its front matter says "
                f"{meta['teaching']} + {meta['exercises']}"
            )
            assert rows[path.name][1].strip("`") == meta["notebook"], f"README.md: wrong notebook for {path.name}"


# --- each sheet --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_front_matter_is_complete(path):
    meta, _ = split(path)
    missing = [key for key in FRONT_MATTER_KEYS if key not in meta]
    assert not missing, f"{path.name}: front matter lacks {missing}"
    assert isinstance(meta["title"], str) and meta["title"].strip(), f"{path.name}: empty title"
    assert isinstance(meta["audience"], str) and meta["audience"].strip(), f"{path.name}: empty audience"
    for key in ("teaching", "exercises"):
        value = meta[key]
        assert isinstance(value, int) and not isinstance(value, bool) and value > 0, (
            f"{path.name}: '{key}' must be a positive whole number of minutes, not {value!r}"
        )
    for key in ("questions", "objectives", "keypoints"):
        value = meta[key]
        assert isinstance(value, list) and value, f"{path.name}: '{key}' must be a non-empty list"
        assert all(isinstance(v, str) and v.strip() for v in value), f"{path.name}: an empty entry in '{key}'"
    assert notebooks_of(meta), f"{path.name}: names no notebook"


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_names_notebooks_that_exist(path):
    meta, _ = split(path)
    for notebook in notebooks_of(meta):
        assert re.fullmatch(r"notebooks/[\w.-]+\.ipynb", notebook), f"{path.name}: {notebook!r} is not a notebook path"
        assert (ROOT / notebook).is_file(), f"{path.name}: names {notebook}, which is not in notebooks/"


@pytest.mark.parametrize("path", sheets(), ids=lambda p: p.name)
def test_sheet_has_the_required_sections(path):
    _, body = split(path)
    found = sections(body)
    for name in SHEET_SECTIONS:
        assert name in found, f"{path.name}: no '## {name}' section"
        assert found[name].strip(), f"{path.name}: the '## {name}' section is empty"


def test_guide_has_the_required_sections():
    _, body = split(GUIDE)
    headings = list(sections(body))
    for name in GUIDE_SECTIONS:
        assert any(h.startswith(name) for h in headings), f"facilitator guide: no '## {name}' section"


@pytest.mark.parametrize("path", sheets(), ids=lambda p: p.name)
def test_steps_are_numbered_timed_and_add_up(path):
    meta, body = split(path)
    raw_steps = section(body, "Steps", keep_code=True)
    assert "```" not in raw_steps, f"{path.name}: participants never type code, so Steps hold no code blocks"
    steps = re.findall(r"^(\d+)\. (.*)$", section(body, "Steps"), flags=re.MULTILINE)
    assert len(steps) >= 3, f"{path.name}: Steps should be a numbered list of at least 3 steps"
    assert [int(n) for n, _ in steps] == list(range(1, len(steps) + 1)), (
        f"{path.name}: steps are not numbered 1, 2, 3 ..."
    )
    for number, line in steps:
        assert re.search(r"\(\d+ min\)", line), f"{path.name}: step {number} does not give its time as '(N min)'"
    total = sum(int(m) for m in re.findall(r"\((\d+) min\)", section(body, "Steps")))
    assert total == meta["teaching"] + meta["exercises"], (
        f"{path.name}: the step times add up to {total} min, but teaching + exercises is "
        f"{meta['teaching']} + {meta['exercises']} = {meta['teaching'] + meta['exercises']} min"
    )


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_challenges_have_solutions(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("<details>") == text.count("</details>"), f"{path.name}: a <details> block is not closed"
    _, body = split(path)
    if "Challenges" not in sections(body):
        return
    challenges = section(body, "Challenges")
    numbered = re.findall(r"^\d+\. ", challenges, flags=re.MULTILINE)
    solutions = re.findall(r"<details><summary>Solution</summary>", challenges)
    assert numbered, f"{path.name}: the Challenges section has no numbered challenge"
    assert len(solutions) == len(numbered), (
        f"{path.name}: {len(numbered)} challenges but {len(solutions)} solutions "
        "in <details><summary>Solution</summary>"
    )


# --- wording ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_no_grading_or_ranking_of_states(path):
    offending = [s for s in sentences(path.read_text(encoding="utf-8")) if GRADING.search(s) and not NEGATION.search(s)]
    assert not offending, (
        f"{path.name}: the checklist is for learning, never for grading or ranking States; "
        f"reword (or say that r2kit does not do it): {offending}"
    )


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_sample_corridors_are_called_fictional(path, corridor_names):
    text = path.read_text(encoding="utf-8")
    for name in corridor_names:
        for match in re.finditer(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text):
            around = text[max(0, match.start() - FICTIONAL_WINDOW) : match.end() + FICTIONAL_WINDOW]
            assert "fictional" in around.lower(), (
                f"{path.name}: the sample corridor name {name!r} (near {text[match.start() : match.end() + 40]!r}) "
                "must be called fictional where it appears"
            )


# --- facts that must match r2kit -----------------------------------------------------------------------------------


def test_guide_agendas_fit_a_two_to_three_hour_session():
    for name, rows in guide_agendas().items():
        total = agenda_minutes(rows, f"facilitator guide, {name}")
        assert 120 <= total <= 180, f"facilitator guide, {name}: the agenda adds up to {total} minutes, not 120-180"


def step_minutes(path: Path) -> dict[int, int]:
    """The minutes of each numbered step of a sheet, by step number."""
    _, body = split(path)
    steps = re.findall(r"^(\d+)\. .*?\((\d+) min\)", section(body, "Steps"), flags=re.MULTILINE)
    return {int(n): int(m) for n, m in steps}


def notebook_minutes(notebook: Path) -> tuple[list[int], list[int]]:
    """The minutes a notebook announces: its opening '**Time:** about N minutes' and its 'Time to learn'."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    about = re.findall(r"\*\*Time:\*\* about (\d+) minutes", text)
    learn = re.findall(r"\*\*Time to learn:\*\* (\d+) minutes", text)
    return [int(m) for m in about], [int(m) for m in learn]


@pytest.mark.parametrize("path", sheets(), ids=lambda p: p.name)
def test_notebook_announces_the_minutes_of_its_sheet(path):
    meta, _ = split(path)
    total = meta["teaching"] + meta["exercises"]
    (notebook,) = notebooks_of(meta)
    about, learn = notebook_minutes(ROOT / notebook)
    assert about == [total], f"{notebook}: opens with 'Time: about {about} minutes'; {path.name} takes {total}"
    assert learn == [total], f"{notebook}: 'Time to learn' is {learn} minutes; {path.name} takes {total}"


def test_the_project_readme_pairs_each_notebook_with_its_sheet():
    pairs = {}
    for table in tables((ROOT / "README.md").read_text(encoding="utf-8")):
        for row in table[1:]:
            if row[-1].startswith("`exercises/"):
                pairs[row[-1].strip("`")] = f"notebooks/{row[0].strip('`')}.ipynb"
    for path in sheets():
        meta, _ = split(path)
        assert pairs.get(f"exercises/{path.name}") == meta["notebook"], f"README.md: wrong notebook for {path.name}"


# Sheet 00 is done before the session (the guide sends it with the invitation): its agenda row is the welcome.
DONE_BEFORE = {"00"}


def test_guide_agenda_gives_each_exercise_the_minutes_of_its_sheet():
    by_number = {p.name[:2]: p for p in sheets()}
    for name, rows in guide_agendas().items():
        header = [c.lower() for c in rows[0]]
        minutes_col, activity_col, sheet_col = header.index("minutes"), header.index("activity"), len(header) - 1
        for row in rows[1:]:
            where, minutes = f"facilitator guide, {name}, {row[0]}", int(row[minutes_col])
            parts = [int(m) for m in re.findall(r"\((\d+)\)", row[activity_col])]
            assert not parts or sum(parts) == minutes, f"{where}: the parts {parts} do not add up to {minutes} minutes"
            ref = re.match(r"(\d{2})(?: steps? (\d+)(?:-(\d+))?)?\b", row[sheet_col])
            if not ref or ref.group(1) in DONE_BEFORE:
                continue
            sheet = by_number[ref.group(1)]
            steps = step_minutes(sheet)
            if ref.group(2):
                first, last = int(ref.group(2)), int(ref.group(3) or ref.group(2))
                expected = sum(steps[n] for n in range(first, last + 1))
                what = f"{sheet.name} " + (f"steps {first}-{last}" if last > first else f"step {first}")
            else:
                expected, what = sum(steps.values()), sheet.name
            assert minutes == expected, f"{where}: {minutes} minutes for {what}, which take {expected}"


def test_guide_agenda_lasts_as_long_as_its_heading_says():
    _, body = split(GUIDE)
    hours = float(re.search(r"^## Agenda \(([\d.]+) hours\)", body, flags=re.MULTILINE).group(1))
    total = agenda_minutes(guide_agendas()["Agenda"], "facilitator guide")
    assert total == hours * 60, f"facilitator guide: the agenda is headed {hours} hours but adds up to {total} minutes"
    assert f"The session ends at {total // 60}:{total % 60:02d}." in body


def _commands(text: str) -> list[str]:
    spans = re.findall(r"`(r2kit [^`\n]+)`", text)
    fenced = [
        line.strip()
        for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)
        for line in block.splitlines()
        if line.strip().startswith("r2kit ")
    ]
    return spans + fenced


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_r2kit_commands_in_the_sheets_exist(path):
    from r2kit.cli import main

    for command in _commands(path.read_text(encoding="utf-8")):
        current: click.Command = main
        ctx = click.Context(main, info_name="r2kit")
        for word in command.split()[1:]:
            if not isinstance(current, click.Group) or not re.fullmatch(r"[a-z][a-z_-]*", word):
                break
            sub = current.get_command(ctx, word)
            assert sub is not None, f"{path.name}: `{command}`: r2kit has no command '{word}'"
            current = sub


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_relative_links_resolve(path):
    for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:|#", target):
            continue
        assert (path.parent / target.split("#")[0]).exists(), f"{path.name}: the link {target} leads nowhere"


def test_the_answer_scale_is_named_as_participants_see_it():
    _, body = split(EXERCISES / "03_corridor_gap_mapping.md")
    for label in r2kit.load("answer_scale")["label"]:
        assert label in body, f"03_corridor_gap_mapping.md: the answer '{label}' is not explained"


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_ids_and_themes_mentioned_exist(path):
    text = path.read_text(encoding="utf-8")
    items = set(r2kit.load("checklist")["item_id"])
    practices = set(r2kit.load("practices")["practice_id"])
    principles = set(r2kit.load("principles")["principle_id"])
    themes = r2kit.load("themes").set_index("theme_id")["title"]
    for item in re.findall(r"\bC\d{2}\.\d+\b", text):
        assert item in items, f"{path.name}: checklist item {item} does not exist"
    for practice in re.findall(r"\bP\d{2}\b", text):
        assert practice in practices, f"{path.name}: practice {practice} does not exist"
    for principle in re.findall(r"\b(?:CP\d{2}|CV\d{2}|GP\d{2}|XC-[A-Z]{2})\b", text):
        assert principle in principles, f"{path.name}: principle {principle} does not exist"
    for number, title in re.findall(r"[Tt]heme (\d+),?\s+\*\*([^*]+)\*\*", text):
        assert themes[int(number)] == flat(title), (
            f"{path.name}: theme {number} is {themes[int(number)]!r}, not {title!r}"
        )


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_items_called_red_lines_are_red_lines(path):
    checklist = r2kit.load("checklist").set_index("item_id")
    for sentence in sentences(path.read_text(encoding="utf-8")):
        if "red line" not in sentence.lower():
            continue
        for item in re.findall(r"\bC\d{2}\.\d+\b", sentence):
            assert item in checklist.index and bool(checklist.loc[item, "red_line"]), (
                f"{path.name}: calls {item} a red line, but it is not one: {sentence!r}"
            )


@pytest.mark.parametrize("path", all_markdown(), ids=lambda p: p.name)
def test_counts_match_the_knowledge_base(path):
    checklist = r2kit.load("checklist")
    in_set = r2kit.load("principles")["principle_set"].value_counts()
    expected = {
        r"\b(\d+) red lines\b(?! (?:at risk|hold|unknown))": int(checklist["red_line"].sum()),
        r"(?<!to )\b(\d+) (?:themes|thematic areas)\b": len(r2kit.load("themes")),  # not "linked to 7 themes"
        r"\b(\d+) items in \d+ themes\b|\ball (\d+) items\b|\b(\d+) checklist items\b": len(checklist),
        r"\b(\d+) COVID-19 items\b": int(checklist["lenses"].map(lambda lenses: "covid-19" in lenses).sum()),
        r"\b(\d+) points of (?:COVID-19 )?guidance\b": int(in_set["covid19_guidance"]),
        r"\b(\d+) (?:Common Position|numbered) principles\b": int(in_set["common_position"]),
        r"\b(\d+) cross-cutting principles\b": int(in_set["cross_cutting"]),
    }
    text = flat(path.read_text(encoding="utf-8"))
    for pattern, count in expected.items():
        for match in re.finditer(pattern, text):
            stated = int(next(g for g in match.groups() if g))
            assert stated == count, f"{path.name}: says {match.group()!r}, but r2kit has {count}"


def test_covid19_sheet_links_each_point_of_guidance_to_its_item():
    checklist = r2kit.load("checklist").set_index("item_id")
    _, body = split(EXERCISES / "06_covid19_focus.md")
    guidance = r2kit.load("principles").query("principle_set == 'covid19_guidance'")["principle_id"]
    rows = [row for table in tables(body) for row in table if re.fullmatch(r"CV\d{2}", row[0])]
    assert [row[0] for row in rows] == list(guidance), "06_covid19_focus.md: the table should list every point"
    for row in rows:
        item = row[-1]
        assert row[0] in checklist.loc[item, "principle_ids"], f"06_covid19_focus.md: {item} does not carry {row[0]}"
