"""Generated documentation: the data dictionary as Markdown, written from datapackage.json."""

from __future__ import annotations

from . import data


def dictionary_markdown() -> str:
    """The whole data dictionary as a Markdown page (docs/data-dictionary.md is this text)."""
    pkg = data.package()
    out = [
        f"# Data dictionary: {pkg['title']}",
        "",
        "Generated from `datasets/datapackage.json` by `r2kit dictionary --format markdown`; do not edit by hand.",
        "",
        pkg["description"],
        "",
        "Load any dataset with `r2kit.load(name)`; list fields come back as Python lists.",
        "",
        "English is the reference. Fields noted *translated: fr, es* also come in French and Spanish: "
        '`r2kit.load(name, lang="fr")` or `lang="es"` returns the same columns, ids and types with those '
        "texts swapped in (the `translations` dataset; see docs/languages.md). The `glossary` dataset holds the "
        "UN terms both translations use.",
        "",
    ]
    table = data.data_dictionary()
    for res in pkg["resources"]:
        rows = len(data.load(res["name"]))
        out += [
            f"## `{res['name']}`: {res['title']} ({rows} rows)",
            "",
            res["description"],
            "",
            f"File `datasets/{res['path']}`; licence {res['licenses'][0]['name']}.",
            "",
            "| field | type | required | description | notes |",
            "|---|---|---|---|---|",
        ]
        for row in table[table["dataset"] == res["name"]].itertuples():
            notes = row.notes.replace("|", "\\|")
            out.append(
                f"| `{row.field}` | {row.type} | {'yes' if row.required else ''} | {row.description} | {notes} |"
            )
        out.append("")
    return "\n".join(out)
