"""Notebook 03 in a real browser, as a new participant works it with the mouse: results follow the form, the
personal-data warning sits beside its evidence box, Save asks first and offers a download, labels are whole.

Uses the JupyterLab fixture of test_browser.py (headless Chromium; skipped without it unless R2KIT_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import re

import pytest
from test_browser import ARTIFACTS, CHROMIUM, lab  # noqa: F401  (lab is the JupyterLab fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_results_follow_the_form_and_personal_data_is_flagged_beside_its_box(lab):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab['url']}/lab/tree/03_corridor_gap_mapping.ipynb?token={lab['token']}")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            expect(page.locator(".jp-StatusBar-Item", has_text=re.compile(r"\| Idle"))).to_be_visible(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            expect(page.locator(".r2kit-live-summary")).to_contain_text("Overall score", timeout=120_000)
            # The start panel's labels show whole, and it says what was started (no stale note above it).
            panel = page.locator(".r2kit-start-message")
            panel.scroll_into_view_if_needed()
            expect(panel).to_contain_text("Sample corridor Norvania")
            for label in (page.get_by_text("Show our corridor by name in group views (otherwise: peer A, B ...)"),
                          page.locator(".jupyter-widgets", has_text="Continue from a saved file"),
                          page.locator("button", has_text=re.compile(r"^\s*Start\s*$"))):
                expect(label.last).to_be_visible()
                assert label.last.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), label
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-03-start.png"), full_page=False)
            # The red-lines cell (a normal cell under "Your results") says how the red lines stand.
            red_cell = page.locator(".jp-OutputArea-output", has_text="Red lines: 6 hold, 1 don't know.").first
            expect(red_cell).to_be_visible(timeout=60_000)
            # Answer red line C01.2 "0 Not in place" in the form: the results cells change without running them.
            page.locator(".lm-TabBar-tabLabel", has_text="Pre-return").first.click()
            page.locator(".jupyter-widget-Collapse-header", has_text="1. Upholding").first.click()
            item = page.locator(".r2kit-item-C01-2")
            item.scroll_into_view_if_needed()
            item.locator("button", has_text="Not in place").click()
            expect(page.locator(".jp-OutputArea-output", has_text="Red lines: 1 at risk, 5 hold, 1 don't know.")
                   .first).to_be_visible(timeout=30_000)
            expect(page.locator(".jp-OutputArea-output", has_text="1 red line at risk").first).to_be_visible()
            # Personal data typed in the evidence box: the warning appears right under that box.
            evidence = page.locator("textarea[placeholder^='Evidence']").nth(1)  # C01.2, the theme's second item
            evidence.fill("Maria Lopez, maria@example.org")
            evidence.press("Tab")  # the box sends its text when the participant leaves it
            note = page.locator(".r2kit-evidence-note-C01-2")
            expect(note).to_contain_text("seems to contain an email address and a person's name", timeout=30_000)
            # Save asks first; Save anyway saves and says so honestly, with a one-click download.
            save = page.locator("button", has_text="Save my assessment")
            save.scroll_into_view_if_needed()
            assert save.evaluate("b => b.scrollWidth <= b.clientWidth")  # the whole label shows
            save.click()
            status = page.locator(".r2kit-save-status")
            expect(status).to_contain_text("Before you save", timeout=30_000)
            page.locator("button", has_text="Save anyway").click()
            expect(status).to_contain_text("still holds text that looks like personal data", timeout=30_000)
            link = page.locator("a[download='NOR-ALD_MY-TEAM.json']")
            expect(link).to_be_visible()
            assert link.get_attribute("href").startswith("data:application/json;base64,")
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == "NOR-ALD_MY-TEAM.json"
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-03-results.png"), full_page=False)
            # The guide's fix for missing widgets, Restart Kernel and Run All, loses nothing: the draft is offered.
            page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").first.click()
            page.locator(".jp-Dialog-button", has_text="Restart").first.click()
            resume = page.locator("button", has_text="Continue your draft")
            expect(resume.first).to_be_visible(timeout=120_000)
            expect(resume.first).to_contain_text("78 answers, last changed")
            resume.first.click()
            expect(page.locator(".r2kit-live-summary")).to_contain_text("Red lines: 1 at risk", timeout=30_000)
            expect(page.locator(".jp-OutputArea-output", has_text="Red lines: 1 at risk, 5 hold, 1 don't know.")
                   .first).to_be_visible(timeout=30_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser-notebook-03-results-failure.png"))
            raise
        finally:
            browser.close()
