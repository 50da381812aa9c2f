"""The workshop as a code-free app: Voila on loopback, headless Chromium, notebook 03 worked with the mouse.

A participant starts a blank corridor with a team code, answers, types personal data in an evidence box and sees the
warning beside it, fixes it, saves and downloads the file in one click; r2kit validates the download. The page
shows no traceback and asks nothing of any machine but this one (Voila's own template would ask a CDN for Font
Awesome). The same app also opens from JupyterLab (voila's server extension).

Needs Debian's chromium; skipped when it is missing, unless R2KIT_REQUIRE_BROWSER=1 (CI), where a missing browser
fails. Screenshots go to build/test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import nbformat
import pytest
from conftest import ROOT
from test_browser import ARTIFACTS, CHROMIUM, _free_port, lab  # noqa: F401  (lab is the JupyterLab fixture)

import r2kit
from r2kit import validation

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
TRACEBACK = re.compile(r"Traceback|Javascript Error|Error:|show_tracebacks|line \d+, in ")


def app_args() -> list[str]:
    """The Voila options `make app` uses (Makefile: APP_ARGS), so the tests run the app participants get."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if line.startswith("APP_ARGS :="))
    return shlex.split(line.split(":=", 1)[1])


def app_command(root, port: int) -> list[str]:
    """The Voila server `make app` runs, on loopback and a free port."""
    return [sys.executable, "-m", "voila", str(root), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
            *app_args()]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not CHROMIUM:
        if os.environ.get("R2KIT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (R2KIT_REQUIRE_BROWSER=1) but not installed: apt-get install chromium")
        pytest.skip("chromium not installed")
    pytest.importorskip("playwright")
    pytest.importorskip("voila")
    work = tmp_path_factory.mktemp("app")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    port = _free_port()
    # Everything Jupyter and r2kit keep goes to the temporary folder; the repository's template comes first.
    env = {**os.environ, "HOME": str(work), "JUPYTER_CONFIG_DIR": str(work / "cfg"),
           "JUPYTER_DATA_DIR": str(work / "data"), "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
           "JUPYTER_PATH": str(ROOT / "share" / "jupyter"), "R2KIT_HOME": str(work / "r2kit-home")}
    log = open(work / "voila.log", "w")  # noqa: SIM115  (closed in teardown)
    proc = subprocess.Popen(app_command(work / "notebooks", port), env=env, cwd=work, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/voila/tree", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("Voila did not start: " + (work / "voila.log").read_text()[-2000:])
    yield {"url": url, "work": work}
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def _beyond_loopback(url: str) -> bool:
    return not url.startswith(("data:", "blob:", "about:")) and urllib.parse.urlsplit(url).hostname not in LOOPBACK


class Requests:
    """Every request and websocket the pages of a browser context open; any that would leave the machine is recorded
    and stopped (the test fails on it without sending it)."""

    def __init__(self, context):
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", lambda page: page.on("websocket", lambda ws: self.urls.append(ws.url)))
        context.route(_beyond_loopback, lambda route: route.abort())

    def beyond_loopback(self) -> list[str]:
        return [u for u in self.urls if _beyond_loopback(u)]


def field(page, kind: str, label: str):
    """The input of the ipywidgets control of `kind` (text, dropdown) whose label reads `label`."""
    box = page.locator(f".widget-{kind}", has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")))
    return box.locator("select" if kind == "dropdown" else "input").first


def follow(page, link):
    """Click a link as a participant does; the page it opens (a new tab when the link asks for one)."""
    if link.get_attribute("target") != "_blank":
        link.click()
        return page
    with page.expect_popup() as popup:
        link.click()
    return popup.value


def test_a_participant_works_notebook_03_as_an_app_and_downloads_a_valid_file(app, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        requests = Requests(context)
        page = context.new_page()
        try:
            # The start page (notebook 00 as an app) links each notebook's app.
            page.goto(f"{app['url']}/voila/render/00_start_here.ipynb")
            link = page.locator(".r2kit-app-links a", has_text="03 Corridor gap-mapping")
            expect(link).to_be_visible(timeout=90_000)
            assert "Three moves in JupyterLab" not in page.inner_text("body")  # a lab-only cell
            page = follow(page, link)
            corridor = field(page, "dropdown", "Corridor")
            expect(corridor).to_be_enabled(timeout=90_000)
            assert page.url == f"{app['url']}/voila/render/03_corridor_gap_mapping.ipynb"
            # No code, no JupyterLab instructions: the app shows the page, not the notebook.
            body = page.inner_text("body")
            assert "import r2kit" not in body and "nb.workspace(" not in body
            assert "The facilitator may set these for you" not in body  # the Settings cell is lab-only
            # A blank corridor of our own, with a team code.
            corridor.select_option(label="Blank corridor: my own")
            field(page, "text", "Destination").fill("Country A")
            field(page, "text", "Origin").fill("Country B")
            field(page, "text", "Corridor code").fill("AAA-BBB")
            field(page, "text", "Your code").fill("TEAM-7")
            page.locator("button", has_text=re.compile(r"^\s*Start\s*$")).click()
            expect(page.locator(".r2kit-start-message")).to_contain_text("Working on a blank corridor", timeout=30_000)
            summary = page.locator(".r2kit-live-summary")
            expect(summary).to_contain_text("No answers yet")
            # Answer three questions of theme 1 with the mouse.
            page.locator(".lm-TabBar-tabLabel", has_text="Pre-return").first.click()
            page.locator(".jupyter-widget-Collapse-header", has_text="1. Upholding").first.click()
            for item, answer in (("C01-1", "In place and applied in practice"), ("C01-2", "Not in place"),
                                 ("C01-3", "Don't know")):
                buttons = page.locator(f".r2kit-item-{item}")
                buttons.scroll_into_view_if_needed()
                buttons.locator("button", has_text=answer).click()
                expect(buttons.locator("button.mod-active", has_text=answer)).to_be_visible(timeout=30_000)
            expect(summary).to_contain_text("3 of 78 items answered", timeout=30_000)
            expect(summary).to_contain_text("Red lines: 1 at risk")
            # The results below the form follow it (an app never updates a cell's outputs: they live in widgets).
            expect(page.locator(".r2kit-live", has_text="Red lines: 1 at risk").first).to_be_visible(timeout=30_000)
            # The gap profile is an image with its description, never a chart that fails to draw.
            chart = page.locator("img.r2kit-chart").first
            expect(chart).to_be_visible(timeout=30_000)
            assert chart.get_attribute("alt").startswith("Chart: Gap profile")
            # Personal data in an evidence box: the warning appears right under it, and goes once it is fixed.
            evidence = page.locator(".r2kit-item-C01-1").locator("xpath=..").locator("textarea")
            evidence.fill("Ask Maria Lopez, maria.lopez@example.org or +44 20 7946 0958")
            evidence.press("Tab")
            note = page.locator(".r2kit-evidence-note-C01-1")
            expect(note).to_contain_text("seems to contain", timeout=30_000)
            expect(note).to_contain_text("email address")
            note.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "app-notebook-03-warning.png"))
            evidence.fill("Readmission agreement of 2019, article 4; monitoring report 2023")
            evidence.press("Tab")
            expect(note).to_have_text("", timeout=30_000)
            # Save, then download in one click.
            save = page.locator("button", has_text="Save my assessment")
            save.scroll_into_view_if_needed()
            save.click()
            expect(page.locator(".r2kit-save-status")).to_contain_text("Saved", timeout=30_000)
            link = page.locator("a[download='AAA-BBB_TEAM-7.json']")
            expect(link).to_be_visible()
            with page.expect_download() as download:
                link.click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            link.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "app-notebook-03.png"))
            text = page.inner_text("body")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "app-notebook-03-failure.png"))
            raise
        finally:
            browser.close()
    assert saved.name == "AAA-BBB_TEAM-7.json"
    assert validation.validate_file(saved) == [], "the downloaded file must be valid and free of personal data"
    loaded = r2kit.Assessment.load(saved)
    assert loaded.assessor["code"] == "TEAM-7" and len(loaded.answers) == 3
    assert loaded.answers["C01.1"]["evidence"].startswith("Readmission agreement")
    cli = subprocess.run([sys.executable, "-m", "r2kit.cli", "validate", str(saved)], capture_output=True, text=True)
    assert cli.returncode == 0 and "OK" in cli.stdout, cli.stdout + cli.stderr
    assert not TRACEBACK.search(text), TRACEBACK.search(text)
    assert requests.urls and requests.beyond_loopback() == []


def test_errors_in_the_app_are_plain_messages_and_no_page_asks_the_network(app):
    from playwright.sync_api import expect, sync_playwright

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"},
                                            "voila": {"template": "r2kit"}})
    nb.cells = [nbformat.v4.new_code_cell("import r2kit.notebook as nb\nnb.setup()"),
                nbformat.v4.new_code_cell("nb.start_assessment('NOWHERE')")]
    nbformat.write(nb, app["work"] / "notebooks" / "zz_error.ipynb")
    before = nbformat.v4.new_notebook(metadata=nb.metadata)
    before.cells = [nbformat.v4.new_code_cell("1 / 0")]  # an error before setup(): Voila's own message, no traceback
    nbformat.write(before, app["work"] / "notebooks" / "zz_error_before_setup.ipynb")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        requests = Requests(context)
        page = context.new_page()
        try:
            page.goto(f"{app['url']}/voila/render/zz_error.ipynb")
            expect(page.get_by_text("There is no sample corridor 'NOWHERE'")).to_be_visible(timeout=90_000)
            first = page.inner_text("body")
            page.goto(f"{app['url']}/voila/render/zz_error_before_setup.ipynb")
            expect(page.get_by_text("Please tell your facilitator.")).to_be_visible(timeout=90_000)
            second = page.inner_text("body")
            page.goto(f"{app['url']}/voila/render/no_such_notebook.ipynb")  # Voila's error page, r2kit's template
            page.wait_for_load_state("networkidle")
            page.goto(app["url"])  # the start page `make app` opens: the list of notebooks
            expect(page.get_by_text("03_corridor_gap_mapping.ipynb")).to_be_visible(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(ARTIFACTS / "app-start-page.png"))
        finally:
            browser.close()
    for text in (first, second):
        assert "Traceback" not in text and "ZeroDivisionError" not in text and "show_tracebacks" not in text, text
    assert requests.beyond_loopback() == []


def test_the_network_check_sees_what_voilas_own_template_would_fetch(app):
    """The control for the checks above: the same page with Voila's lab template asks a CDN (stopped here)."""
    from playwright.sync_api import sync_playwright

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_markdown_cell("A page")]
    nbformat.write(nb, app["work"] / "notebooks" / "zz_page.ipynb")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        requests = Requests(context)
        page = context.new_page()
        try:
            page.goto(f"{app['url']}/voila/render/zz_page.ipynb?template=lab")
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    assert any("cdn.jsdelivr.net" in u for u in requests.beyond_loopback()), requests.urls


def test_notebook_00_in_jupyterlab_links_to_the_app_offline(lab):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        requests = Requests(context)
        page = context.new_page()
        try:
            page.goto(f"{lab['url']}/lab/tree/00_start_here.ipynb?token={lab['token']}")
            expect(page.locator(".jp-StatusBar-Item", has_text=re.compile(r"\| Idle"))).to_be_visible(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            # Run here, the links follow this server's layout (its root is the notebooks folder in this test).
            link = page.locator(".r2kit-app-links a[href='/voila/render/03_corridor_gap_mapping.ipynb']")
            expect(link).to_be_visible(timeout=90_000)
            link.scroll_into_view_if_needed()
            with page.expect_popup() as popup:  # JupyterLab opens links to other pages in a new tab
                link.click()
            app = popup.value
            expect(field(app, "dropdown", "Corridor")).to_be_enabled(timeout=90_000)
            expect(app.locator("img.r2kit-chart").first).to_be_visible(timeout=30_000)
            text = app.inner_text("body")
            app.screenshot(path=str(ARTIFACTS / "app-in-lab-notebook-03.png"))
        finally:
            browser.close()
    assert not TRACEBACK.search(text), TRACEBACK.search(text)
    assert requests.beyond_loopback() == []
