"""The curation pages in a real browser: Debian's chromium, driven by playwright, against the
production server (``normalizer serve``, two workers, the embedded store) on a copy of the
bundled alias files. A curator searches "El Mencho", opens the entity, signs in, and
accepts a queued name: the YAML file changes, and every worker then serves the alias.

Skips without chromium unless NORMALIZER_TEST_BROWSER=required (as tests/test_docs_browser.py).
With NORMALIZER_SCREENSHOTS=<dir>, the search and the review queue's screenshots are saved
there too (the README's tests/data/screenshots/ui-*.png are made so).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.parse
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from serving import serving
from test_docs_browser import HANG, need_chromium

BUNDLED = Path(__file__).resolve().parent.parent / "aliases"
SCREENSHOTS = os.environ.get("NORMALIZER_SCREENSHOTS")  # read now: fixtures clear NORMALIZER_*
TOKEN = "curator-token-0123456789"
QUEUED = "Fuerzas Armadas de Guatemala"


def queued(base: str) -> list[str]:
    request = urllib.request.Request(
        base + "/v1/review", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=HANG / 1000) as response:  # noqa: S310
        return [entry["name"] for entry in json.load(response)["names"]]


def resolve(base: str, name: str) -> str | None:
    url = base + "/v1/resolve?" + urllib.parse.urlencode({"name": name})
    with urllib.request.urlopen(url, timeout=HANG / 1000) as response:  # noqa: S310
        match = json.load(response)["match"]
    return None if match is None else str(match["id"])


def screenshot(page: Page, folder: Path, name: str) -> None:
    shot = folder / name
    page.screenshot(path=str(shot), full_page=True)
    if SCREENSHOTS:
        shutil.copy(shot, Path(SCREENSHOTS) / name)


def test_a_curator_searches_opens_the_entity_and_accepts_a_queued_name(tmp_path: Path) -> None:
    executable = need_chromium()
    aliases = Path(shutil.copytree(BUNDLED, tmp_path / "aliases"))
    env = {
        "NORMALIZER_ADMIN_TOKEN": TOKEN,
        "NORMALIZER_REVIEW": "1",
        "NORMALIZER_REVIEW_PATH": str(tmp_path / "review.sqlite3"),
    }
    with (
        serving(aliases, tmp_path, workers=2, env=env, ready="/readyz") as base,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.set_default_timeout(HANG)
            page.goto(base + "/ui")
            page.get_by_label("Name").fill("El Mencho")
            page.get_by_role("button", name="Resolve").click()
            match = page.locator("#match")
            match.wait_for(state="visible")
            assert "Resolves to Nemesio Oseguera Cervantes" in match.inner_text()
            page.locator("#candidates details").first.click()  # the alignment, unfolded
            screenshot(page, tmp_path, "ui-search.png")

            match.get_by_role("link", name="Nemesio Oseguera Cervantes").click()
            page.locator("h1").wait_for(state="visible")
            assert page.locator("h1").inner_text() == "Nemesio Oseguera Cervantes"
            assert "Эль Менчо" in page.locator("#aliases").inner_text()
            assert "El Menchito" in page.locator("#excluded").inner_text()

            # A lookup the table cannot answer reaches the queue (written in the background).
            assert resolve(base, QUEUED) is None
            deadline = time.monotonic() + HANG / 1000
            while QUEUED not in queued(base):
                assert time.monotonic() < deadline, "the miss never reached the queue"
                time.sleep(0.05)

            page.get_by_role("link", name="Review queue").click()
            page.get_by_label("Admin token").fill(TOKEN)
            page.get_by_role("button", name="Sign in").click()
            row = page.locator("#queue tr", has_text=QUEUED)
            row.wait_for(state="visible")
            row.get_by_label(f"Another entity id for {QUEUED}").fill("guatemalan-army")
            screenshot(page, tmp_path, "ui-review.png")
            row.get_by_role("button", name="Accept").click()
            status = page.get_by_role("status")
            status.wait_for(state="visible")
            assert f"Added '{QUEUED}' to guatemalan-army" in status.inner_text()
            assert page.locator("#empty").inner_text() == "Nothing to review."
        finally:
            browser.close()

        assert f"    - {QUEUED}\n" in (aliases / "organizations.yml").read_text(encoding="utf-8")
        # The worker that accepted serves the alias at once; the other follows the file.
        deadline = time.monotonic() + HANG / 1000
        while {resolve(base, QUEUED) for _ in range(10)} != {"guatemalan-army"}:
            assert time.monotonic() < deadline, "a worker never served the accepted alias"
            time.sleep(0.05)
