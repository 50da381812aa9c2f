"""Session and corridor reports: papermill runs, self-contained offline HTML, escaped text, charts for slides."""

from __future__ import annotations

import base64
import json
import re
import shutil

import nbformat
import pytest
from click.testing import CliRunner

from r2kit.cli import main
from r2kit.errors import R2kitError
from r2kit.exchange.benchmark import png_width
from r2kit.runner import Job, run_many, run_notebook
from r2kit.samples import sample_paths

pytestmark = pytest.mark.slow  # every test here runs notebooks with papermill

SCRIPT = '<script>alert("r2kit")</script><img src=x onerror=alert(1)>'


def run(*args, home=None):
    env = {"R2KIT_HOME": str(home)} if home else None
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def svgs(html: str) -> str:
    """Every chart in the page, inline or as a data: URI, decoded to SVG text."""
    inline = re.findall(r"<svg.*?</svg>", html, re.S)
    data = [
        base64.b64decode(b).decode("utf-8") for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    ]
    return "\n".join(inline + data)


def assert_offline(html: str) -> None:
    assert not re.search(r"<script[^>]*\ssrc=", html), "no script may need loading"
    assert not re.search(r"<link[^>]*href=[\"']?https?:", html), "no stylesheet from the network"
    assert 'import("http' not in html


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    for path in sample_paths():
        shutil.copy(path, folder / path.name)
    target = folder / "EST-BRE_GOV-1.json"
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["answers"][0]["evidence"] = f"Procedure described in the 2019 decree. {SCRIPT}"
    target.write_text(json.dumps(doc), encoding="utf-8")
    return sorted(folder.glob("*.json"))


@pytest.fixture(scope="module")
def session_report(tmp_path_factory, files):
    home = tmp_path_factory.mktemp("home")
    assert (
        run("session", "new", "demo", "--title", f"Exchange {SCRIPT}", "--focus", "COVID-19", home=home).exit_code == 0
    )
    assert run("submit", "--session", "demo", *files, home=home).exit_code == 0
    result = run("session", "report", "demo", home=home)
    assert result.exit_code == 0, result.output
    return home / "reports" / "demo", result.output


def test_session_report_is_one_html_file_that_needs_no_network(session_report):
    folder, output = session_report
    html_path = folder / "session_report.html"
    assert str(html_path) in output and "opens offline" in output
    html = html_path.read_text(encoding="utf-8")
    assert_offline(html)
    assert "How the group scores each theme" in html and "Breakout groups" in html and "Peer review" in html
    charts = svgs(html)
    assert charts.count("<svg") >= 2 and "Gap map (anonymised)" in charts


def test_session_report_escapes_text_and_names_no_corridor(session_report):
    folder, _ = session_report
    html = (folder / "session_report.html").read_text(encoding="utf-8")
    assert "Exchange &lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    everything = html + svgs(html)
    for corridor in ("NOR-ALD", "EST-BRE", "Norvania", "Aldoria"):
        assert corridor not in everything  # nobody opted in: everyone is "peer A, B ..."
    assert "peer A" in everything


def test_session_report_writes_svg_and_png_charts_for_slides(session_report):
    folder, output = session_report
    charts = folder / "charts"
    for name in ("distribution", "score_bands", "gap_map"):  # 11 participants: the map with a column each too
        assert (charts / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith(("<svg", "<?xml"))
        assert (charts / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png_width(charts / f"{name}.png") <= 1600
    assert str(charts) in output and str(folder / "tables") in output


def test_session_report_has_one_row_per_participant_and_full_tables_beside_it(session_report):
    folder, _ = session_report
    html = (folder / "session_report.html").read_text(encoding="utf-8")
    learning = html.split("Who can learn from whom")[1].split("Breakout groups")[0]
    assert learning.count("<tr>") == 11  # one row per participant (a heading row besides)
    assert 'href="tables/theme_scores.csv"' in html and 'href="tables/session_tables.xlsx"' in html
    assert (folder / "tables" / "theme_scores.csv").is_file() and (folder / "tables" / "session_tables.xlsx").is_file()
    review = html.split("Items to discuss")[1]
    assert re.search(r"<td>\d{1,3}%</td>", review) and re.search(r"<td>-?\d\.\d\d</td>", review)


@pytest.fixture(scope="module")
def big_session_report(tmp_path_factory):
    """The session report for 200 fictional participants, as `r2kit session report` writes it."""
    from r2kit.exchange.benchmark import synthetic_documents, write_files
    from r2kit.exchange.store import Store

    home = tmp_path_factory.mktemp("home200")
    paths = write_files(tmp_path_factory.mktemp("files200"), synthetic_documents(200, seed=4))
    with Store(home) as store:
        store.create_session("big", title="Exchange of 200 (fictional)")
        assert all(o.status == "stored" for o in store.submit("big", paths))
    result = run("session", "report", "big", home=home)
    assert result.exit_code == 0, result.output
    return home / "reports" / "big"


def test_session_report_for_200_participants_fits_slides_and_lists_everyone(big_session_report):
    folder = big_session_report
    pngs = sorted((folder / "charts").glob("*.png"))
    assert {p.stem for p in pngs} == {"distribution", "score_bands"}  # no 200-column map
    assert max(png_width(p) for p in pngs) <= 1600  # it was 23,000 pixels wide
    html = (folder / "session_report.html").read_text(encoding="utf-8")
    assert_offline(html)
    assert "With 200 participants, a map with one column each would not fit" in html
    assert "Rows 151 to 200 of 200" in html and "BEN-" not in html
    learning = html.split("Who can learn from whom")[1].split("Breakout groups")[0]
    assert learning.count("<tr>") == 200
    assert len((folder / "tables" / "theme_scores.csv").read_text(encoding="utf-8-sig").splitlines()) == 201


def test_corridor_reports_run_in_parallel_and_summarise_failures(files, tmp_path, r2kit_home):
    out = tmp_path / "reports"
    result = run("report", "--corridor", "EST-BRE", "--corridor", "NOR-ALD", "--corridor", "NOPE", *files, "-o", out)
    assert result.exit_code == 1, result.output  # one corridor does not exist
    assert "2 succeeded, 1 failed" in result.output
    assert "FAILED NOPE: no assessment of corridor 'NOPE'" in result.output
    html = (out / "EST-BRE.html").read_text(encoding="utf-8")
    assert_offline(html)
    assert "Corridor report: Estrelia \u2192 Brevania (EST-BRE)" in html
    assert "2019 decree. &lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    charts = svgs(html)
    assert "EST-BRE/GOV-1 (you)" in charts and "NOR-ALD" not in charts  # own corridor named, others anonymised
    nor = (out / "NOR-ALD.html").read_text(encoding="utf-8")
    assert "Items to discuss" in nor  # two assessors of NOR-ALD: a peer review
    assert (out / "charts" / "NOR-ALD" / "agreement.svg").exists()
    assert (out / "charts" / "EST-BRE" / "profile-GOV-1.png").exists()


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("value = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_is_reported_with_its_cell_and_run_many_goes_on(tmp_path):
    bad = _notebook(tmp_path / "bad.ipynb", "total = value + 1", "raise ValueError(f'no data for {value}')")
    good = _notebook(tmp_path / "good.ipynb", "print(value * 2)")
    with pytest.raises(R2kitError, match=r"bad\.ipynb failed in cell 3 .*ValueError: no data for 7"):
        run_notebook(bad, tmp_path / "out" / "bad.ipynb", {"value": 7}, progress=False)
    jobs = [
        Job("first", bad, tmp_path / "out" / "a.ipynb", {"value": 1}),
        Job("second", good, tmp_path / "out" / "b.ipynb", {"value": 21}, html=tmp_path / "out" / "b.html"),
    ]
    summary = run_many(jobs, workers=1, progress=False)
    assert list(summary.failed) == ["first"] and "ValueError: no data for 1" in summary.failed["first"]
    assert summary.succeeded == {"second": tmp_path / "out" / "b.html"}
    assert "42" in (tmp_path / "out" / "b.html").read_text(encoding="utf-8")
    assert "1 succeeded, 1 failed" in str(summary)


def test_the_benchmarks_run_and_report_every_figure_against_its_target():
    from r2kit.exchange import benchmark

    figures = []
    benchmark.run(lambda name, value, target, unit="s": figures.append((name, value, target, unit)), 24, 12)
    benchmark.session_report(lambda name, value, target, unit="s": figures.append((name, value, target, unit)), 12)
    names = [f[0] for f in figures]
    assert names == [
        "import 24 submission files into a session",
        "load 24 submissions from the store",
        "group views for 24 submissions",
        "breakout groups of 4 for 12 participants",
        "session report for 12 participants",
        "widest chart PNG for slides (12 participants)",
    ]
    assert all(value > 0 and target > 0 for _, value, target, _ in figures)
    assert figures[-1][1] <= 1600 and figures[-1][3] == "px"
