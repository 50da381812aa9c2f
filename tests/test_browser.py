"""End to end in a real browser: JupyterLab on loopback, headless Chromium, notebook 03 driven with the mouse.

Needs Debian's chromium (.ci/run installs it). Skipped when it is missing, unless R2KIT_REQUIRE_BROWSER=1 (CI),
where a missing browser fails. A screenshot is saved to build/test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "build" / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM:
        if os.environ.get("R2KIT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (R2KIT_REQUIRE_BROWSER=1) but not installed: apt-get install chromium")
        pytest.skip("chromium not installed")
    pytest.importorskip("playwright")
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    port, token = _free_port(), "r2kit-test-token"
    # Lab settings for a test run: no news pop-up over the page, and every cell rendered (no windowing).
    settings = work / "settings" / "@jupyterlab"
    for ext, name, value in [("apputils-extension", "notification", {"fetchNews": "false"}),
                             ("notebook-extension", "tracker", {"windowingMode": "none"})]:
        (settings / ext).mkdir(parents=True, exist_ok=True)
        (settings / ext / f"{name}.jupyterlab-settings").write_text(json.dumps(value))
    env = {**os.environ, "HOME": str(work), "JUPYTER_CONFIG_DIR": str(work / "cfg"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "R2KIT_HOME": str(work / "r2kit-home"),
           "JUPYTER_PATH": str(ROOT / "share" / "jupyter")}  # the repository's Voila template (the app), not a copy
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work / 'notebooks'}",
           "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(work / "lab.log", "w")  # noqa: SIM115  (closed in teardown)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not start: " + (work / "lab.log").read_text()[-2000:])
    yield {"url": url, "token": token, "work": work}
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_notebook_03_with_the_mouse(lab):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab['url']}/lab/tree/03_corridor_gap_mapping.ipynb?token={lab['token']}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            # Run All only once the kernel is connected and idle (status bar "Python 3 (ipykernel) | Idle").
            expect(page.locator(".jp-StatusBar-Item", has_text=re.compile(r"\| Idle"))).to_be_visible(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            summary = page.locator(".r2kit-live-summary")
            expect(summary).to_contain_text("Overall score", timeout=120_000)
            before = summary.inner_text()
            # Charts render from the local bundle: a Vega-Lite chart is drawn in the form and in the results.
            expect(page.locator(".vega-embed").first).to_be_visible(timeout=60_000)
            # Open theme 1 and answer its second question "0 Not in place" with the mouse.
            page.locator(".lm-TabBar-tabLabel", has_text="Pre-return").first.click()
            page.locator(".jupyter-widget-Collapse-header", has_text="1. Upholding").first.click()
            item = page.locator(".r2kit-item-C01-2")
            item.scroll_into_view_if_needed()
            item.locator("button", has_text="Not in place").click()
            expect(summary).not_to_have_text(before, timeout=30_000)
            after = summary.inner_text()
            summary.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-03.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-03-failure.png"))
            raise
        finally:
            browser.close()
    assert before != after and "Overall score" in after
    assert (ARTIFACTS / "browser-notebook-03.png").stat().st_size > 10_000
