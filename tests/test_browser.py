"""The web UI in a real browser: `prepro ui` serves it on a loopback port, Debian's chromium (driven by
Playwright, never a downloaded browser) logs in, asks in Chat, opens a citation's page, and opens Review.

Streamlit draws through a websocket after the page has loaded, so every step waits for the app's own elements.
Screenshots go to the test's tmp folder; the Review one is copied to docs/screenshot-review.png for the README.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.uiapp import ADMIN_PASSWORD, PASSWORD, Home, make_home

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SH_001 = ROOT / "evals" / "datasets" / "parts" / "SH-001.yaml"
WAIT_MS = 90_000  # the first question loads the embedding model in the server

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`prepro ui` exited with {server.returncode}: {server.stdout.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"`prepro ui` did not answer on {url} within {seconds:.0f} s")


@pytest.fixture
def served(tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Home]]:
    """`prepro ui` on a free loopback port over a home with documents, accounts and SH-001 saved for review."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) for the browser test")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    home = make_home(tmp_path, embeddings, monkeypatch)
    workspace = home.assistant.workspace
    technologist = workspace.authenticate(home.token("tech"))
    content = home.assistant.draft("routing", SH_001).model_dump(mode="json")
    draft_id = workspace.save_version(technologist, "routing", content, SH_001, note="drafted").draft_id
    content["operations"][1]["setup_time_min"] = -5.0  # an edit with an error for the banner
    workspace.save_version(technologist, "routing", content, SH_001, expected_version=1, note="setup of 010")
    workspace.comment(technologist, draft_id, "Setup time of 010 to be confirmed with the shop.")
    port = _free_port()
    prepro = Path(sys.executable).with_name("prepro")
    env = {**os.environ, "PREPRO_HOME": str(home.path), "PREPRO_ADMIN_PASSWORD": ADMIN_PASSWORD}
    server = subprocess.Popen(
        [str(prepro), "ui", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url, home
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_login_chat_citation_and_review_in_chromium(served: tuple[str, Home], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = served
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        page.get_by_role("textbox", name="User name").fill("tech")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
        page.screenshot(path=shots / "login.png")
        page.wait_for_function("document.cookie.includes('prepro_session=')")  # set by the app after the login
        page.reload()  # the session cookie brings the login back
        expect(page.get_by_text("Signed in as tech")).to_be_visible()

        page.get_by_placeholder("Ask about tolerances").fill("What roughness does fine turning of steel reach?")
        page.keyboard.press("Enter")
        citation = page.get_by_role("button", name="[1] turning.pdf")
        expect(citation).to_be_visible()
        citation.click()
        expect(page.get_by_text("turning.pdf, page 2:")).to_be_visible()
        expect(page.locator("[data-testid='stImage'] img").first).to_be_visible()
        page.screenshot(path=shots / "chat-citation.png", full_page=True)

        page.get_by_role("link", name="Review").click()
        expect(page.get_by_text("routing/SH-001 — version 2, draft")).to_be_visible()
        expect(page.get_by_text("time-not-positive").first).to_be_visible()
        page.wait_for_timeout(1000)  # the data editor paints its canvas after it appears
        page.screenshot(path=shots / "review.png", full_page=False)
        browser.close()
    for shot in ("login.png", "chat-citation.png", "review.png"):
        assert (shots / shot).stat().st_size > 10_000
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(shots / "review.png", docs / "screenshot-review.png")
