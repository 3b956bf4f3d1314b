"""/docs in a real browser: Debian's chromium, driven by playwright, against the
production server (``normalizer serve``). The operations render, and nothing is fetched
from another host (Swagger UI's assets come from the package, not a CDN).

Without chromium the test skips, unless NORMALIZER_TEST_BROWSER=required (set by
.ci/run, which installs chromium), so that CI can never pass it by skipping. Playwright's
own browser download is not used: the machine running the suite may have no internet.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from serving import serving

CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("NORMALIZER_TEST_BROWSER") == "required"
HANG = 60_000  # milliseconds: only a hang takes this long
PATHS = [
    "/v1/resolve",
    "/v1/entities/{entity_id}",
    "/healthz",
    "/readyz",
    "/v1/admin/reload",
    "/v1/annotate",
    "/v1/review",
    "/v1/review/accept",
    "/v1/review/reject",
]


def need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    message = "chromium is needed (apt-get install chromium)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def test_docs_lists_the_operations_with_nothing_from_outside(
    alias_file: Path, tmp_path: Path
) -> None:
    executable = need_chromium()
    requested: list[str] = []
    failed: list[str] = []
    with serving(alias_file, tmp_path, workers=1, env={}) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(base + "/docs")
            # Swagger UI fetched the document and drew an operation from it.
            summary = page.locator('.opblock-summary-path[data-path="/v1/resolve"]').first
            summary.wait_for(state="visible", timeout=HANG)
            shown = page.locator(".opblock-summary-path").evaluate_all(
                "nodes => nodes.map(node => node.dataset.path)"
            )
            # Opening GET /v1/resolve shows its parameters, from the request model.
            page.locator("#operations-resolve-get__v1_resolve").click()
            parameter = page.locator(
                '#operations-resolve-get__v1_resolve tr[data-param-name="name"]'
            )
            parameter.wait_for(state="visible", timeout=HANG)
        finally:
            browser.close()
    assert set(shown) == set(PATHS)
    assert base + "/openapi.json" in requested
    assert failed == []
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme != "data" and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert elsewhere == []
