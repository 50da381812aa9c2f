"""The notebooks as a Voila app, without a browser: charts as images, results cells that live in widgets, app links.

tests/test_browser_app.py drives the real app in Chromium.
"""

from __future__ import annotations

import base64
import html
import json
import os
import subprocess
import sys

import ipywidgets as w
import pytest
from test_widgets import answer_buttons, open_theme, run_notebook_03

import r2kit
from r2kit import analysis, charts, notebook
from r2kit.samples import sample_paths


@pytest.fixture()
def in_app(monkeypatch):
    """A kernel as Voila starts it (it names the kernel in VOILA_KERNEL_ID), with its request's address."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "0f1e2d3c")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/user/ana/voila/render/notebooks/00_start_here.ipynb")
    notebook.setup()
    charts.draw_as_images()  # what importing r2kit.charts does in an app's kernel (tested below, in a fresh one)
    yield
    charts.draw_as_images(False)


def test_an_apps_kernel_loads_altair_with_the_first_chart_and_draws_images():
    code = ("import sys, r2kit.notebook as nb\n"
            "nb.setup()\n"
            "print('altair' in sys.modules)\n"
            "from r2kit import charts\n"
            "print(charts.drawn_as_images())")
    env = {**os.environ, "VOILA_KERNEL_ID": "0f1e2d3c"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
    env.pop("VOILA_KERNEL_ID")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]  # in JupyterLab setup() enables the renderer for any Altair chart


def test_in_the_app_a_chart_is_an_image_of_its_svg_with_its_description_as_text(in_app):
    assessment = r2kit.Assessment.load(sample_paths()[0])
    chart = charts.profile(analysis.theme_scores(assessment.answers_frame()), title="Gap profile: test")
    for bundle in (chart._repr_mimebundle_(), charts.Live(chart)._repr_mimebundle_()):
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert set(data) == {"text/html", "text/plain"}  # no Vega-Lite: Voila cannot draw it inside widgets
        image = data["text/html"]
        assert image.startswith('<img class="r2kit-chart" src="data:image/svg+xml;base64,')
        svg = base64.b64decode(image.split("base64,")[1].split('"')[0]).decode()
        assert svg.lstrip().startswith("<svg") and "Gap profile: test" in svg  # the title is drawn
        assert f'alt="{html.escape(data["text/plain"], quote=True)}"' in image
        assert data["text/plain"].startswith("Chart: Gap profile: test.") and "table" in data["text/plain"]


def test_outside_the_app_charts_stay_vegalite(monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    notebook.setup()
    assert not charts.drawn_as_images()
    chart = charts.returns_trend(r2kit.load("corridor_returns"))
    assert "application/vnd.vegalite.v5+json" in charts.Live(chart)._repr_mimebundle_()


def test_in_the_app_results_cells_live_in_widgets_that_follow_the_form(in_app, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(notebook.output, "render", lambda obj, **kw: shown.append((obj, kw)))
    notebook._WORKSPACES.clear()
    ws, form = run_notebook_03(tmp_path)
    boxes = [obj for obj, kw in shown if isinstance(obj, w.Output)]
    assert len(boxes) == 4 and not any(kw for obj, kw in shown if isinstance(obj, w.Output))  # no display ids

    def text(box: w.Output) -> str:
        return html.unescape(" ".join(o["data"].get("text/html", "") for o in box.outputs))

    profile, red = boxes[0], boxes[1]  # in the order of the cells: gap profile, red lines, priority gaps, check
    assert "Red lines: 6 hold, 1 don't know." in text(red)
    assert all(o["data"].get("text/html") for b in boxes for o in b.outputs)  # no blank slots
    open_theme(form, 1)
    answer_buttons(form, "C01.2").label = "0 Not in place"
    assert "Red lines: 1 at risk, 5 hold, 1 don't know." in text(red)
    assert '<img class="r2kit-chart"' in text(profile) and "Red lines: 1 at risk" in text(profile)
    notebook._WORKSPACES.clear()


def test_app_links_open_each_notebook_beside_the_page_in_the_app(in_app):
    url = notebook.app_url("03_corridor_gap_mapping")
    assert url == "/user/ana/voila/render/notebooks/03_corridor_gap_mapping.ipynb"


def test_app_links_in_jupyterlab_follow_the_server_that_serves_the_notebook(monkeypatch, tmp_path):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    runtime, root = tmp_path / "runtime", tmp_path / "workshop"
    (root / "notebooks").mkdir(parents=True)
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.chdir(root / "notebooks")  # a kernel runs in its notebook's folder
    assert notebook.app_url("03_corridor_gap_mapping") == "/voila/render/notebooks/03_corridor_gap_mapping.ipynb"
    (runtime / "jpserver-1.json").write_text(json.dumps({"root_dir": str(root), "base_url": "/user/ana/"}))
    (runtime / "jpserver-2.json").write_text(json.dumps({"root_dir": str(tmp_path / "elsewhere"), "base_url": "/x/"}))
    (runtime / "jpserver-3.json").write_text("not json")
    assert notebook.app_url("01_principles") == "/user/ana/voila/render/notebooks/01_principles.ipynb"
    (runtime / "jpserver-4.json").write_text(json.dumps({"root_dir": str(root / "notebooks"), "base_url": "/"}))
    assert notebook.app_url("01_principles") == "/voila/render/01_principles.ipynb"  # the nearest root wins


def test_an_error_in_the_app_says_reload_the_page(in_app, monkeypatch):
    shown = []
    monkeypatch.setattr(notebook.output, "render", shown.append)
    notebook.output._friendly(None, ValueError, ValueError("boom"), None)
    assert "Reload the page" in shown[0].data and "Kernel" not in shown[0].data
