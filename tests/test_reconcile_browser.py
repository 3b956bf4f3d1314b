"""/reconcile in a real browser (Debian's chromium, driven by playwright) against the
production server: OpenRefine's preview iframe loads the card, and a page on another
origin calls /reconcile with fetch, so CORS is checked by the browser itself.

Skips without chromium unless NORMALIZER_TEST_BROWSER=required (as tests/test_docs_browser.py).
With NORMALIZER_SCREENSHOTS=<dir>, the preview's screenshot is also saved there (the
README's tests/data/screenshots/reconcile-preview.png is made so).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright
from serving import serving
from test_docs_browser import HANG, need_chromium

from normalizer.web.reconcile import PREVIEW_HEIGHT, PREVIEW_WIDTH

ROOT = Path(__file__).resolve().parent.parent
# Read now: the suite's fixtures clear NORMALIZER_* from the environment.
SCREENSHOTS = os.environ.get("NORMALIZER_SCREENSHOTS")


@contextmanager
def another_origin(folder: Path) -> Iterator[str]:
    """A static server for ``folder`` on a free loopback port, in a thread."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_preview_and_a_cross_origin_batch_in_chromium(tmp_path: Path) -> None:
    executable = need_chromium()
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<!DOCTYPE html><title>OpenRefine</title>")
    with (
        serving(ROOT / "aliases", tmp_path, workers=1, env={}) as base,
        another_origin(tmp_path / "page") as elsewhere,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page(viewport={"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT})
            # The iframe OpenRefine shows, at the manifest's size.
            page.goto(base + "/reconcile/preview?id=nemesio-oseguera-cervantes")
            heading = page.locator("h1")
            heading.wait_for(state="visible", timeout=HANG)
            assert heading.inner_text() == "Nemesio Oseguera Cervantes"
            assert "Эль Менчо" in page.locator("table").inner_text()
            shot = tmp_path / "reconcile-preview.png"
            page.screenshot(path=str(shot))
            if SCREENSHOTS:
                shutil.copy(shot, Path(SCREENSHOTS) / shot.name)

            # Another origin: a page from a server of its own on another port (Chromium
            # refuses a page it cannot place on the loopback any request to it).
            page.goto(elsewhere)
            batch = json.dumps({"q0": {"query": "CJNG"}, "q1": {"query": "Эль Менчо"}})
            # A form POST as OpenRefine's (a simple request), and a GET with a header the
            # browser must ask leave for first (a preflight).
            answered = page.evaluate(
                """async ([base, batch]) => {
                    const posted = await fetch(base + "/reconcile", {
                        method: "POST", body: new URLSearchParams({queries: batch})});
                    const manifest = await fetch(base + "/reconcile", {
                        headers: {"X-Request-ID": "browser-test"}});
                    return [await posted.json(), await manifest.json()];
                }""",
                [base, batch],
            )
        finally:
            browser.close()
    posted, manifest = answered
    assert posted["q0"]["result"][0]["id"] == "jalisco-new-generation-cartel"
    assert posted["q1"]["result"][0]["id"] == "nemesio-oseguera-cervantes"
    assert posted["q0"]["result"][0]["match"] is True
    assert manifest["versions"] == ["0.2"]
