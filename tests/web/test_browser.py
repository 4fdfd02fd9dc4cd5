"""Real Debian Chromium, driven by Playwright, against a real `mockloop serve`, with a fake microphone
playing an espeak-ng recording: speak, see the transcript and the reply, end, see the scorecard."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from server.launch import free_port, start_server

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("MOCKLOOP_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))
SPOKEN = (
    "Before choosing a model, what is the objective: purchases or gross merchandise value? "
    "And what is the p99 latency budget, and how many requests per second do we serve?"
)
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@contextlib.contextmanager
def web_server(folder: Path) -> Iterator[str]:
    """A real `mockloop serve` on its own SQLite file in `folder`; yields its base URL."""
    proc, address = start_server(
        {"MOCKLOOP_DATABASE_URL": f"sqlite:///{folder / 'web.db'}", "MOCKLOOP_END_OF_TURN_MS": "1200"}
    )
    try:
        yield f"http://{address}"
    finally:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def chromium(microphone_wav: Path) -> Iterator[Browser]:
    """Debian's chromium, headless, with `microphone_wav` as a fake microphone played once."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={microphone_wav}%noloop",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with web_server(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def microphone_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mic")
    raw, wav = folder / "raw.wav", folder / "mic.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), SPOKEN], check=True)
    # Quiet lead-in while the page starts listening, then the answer, then a pause that ends the turn.
    subprocess.run(["sox", str(raw), "-r", "48000", "-c", "1", "-b", "16", str(wav), "pad", "1.5", "4"], check=True)
    return wav


@pytest.fixture(scope="module")
def browser(microphone_wav: Path) -> Iterator[Browser]:
    with chromium(microphone_wav) as instance:
        yield instance


class Console:
    """Every console error and uncaught page error, so a test can require there were none."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


def open_page(browser: Browser, viewport: str = "desktop") -> tuple[Page, Console]:
    context = browser.new_context(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
    page = context.new_page()
    return page, Console(page)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def start_from_home(page: Page, server: str, round_label: str, question_title: str) -> None:
    page.goto(server + "/")
    page.get_by_text(round_label, exact=True).click()
    value = page.locator("#question option", has_text=question_title).get_attribute("value")
    page.select_option("#question", value=value)
    page.click("#start-button")
    page.wait_for_url(re.compile(r"/sessions/[0-9a-f]+\?token="))


def test_spoken_interview_end_to_end(browser: Browser, server: str) -> None:
    page, console = open_page(browser)
    start_from_home(page, server, "ML system design", "Home-feed recommendations")
    expect(page.locator("#turns li.interviewer").first).to_contain_text("Priya", timeout=20_000)
    page.uncheck("#speak-replies")
    page.check("#hands-free")
    page.click("#talk")  # hands-free: one click starts listening; the pause after the answer ends the turn
    candidate = page.locator("#turns li.candidate").first
    expect(candidate).to_contain_text("latency budget", timeout=40_000)
    expect(page.locator("#turns li.interviewer")).to_have_count(2, timeout=30_000)
    shoot(page, "interview-desktop")
    # A typed answer too (the spoken words vary with the fake microphone), so the review has evidence to mark.
    page.fill(
        "#answer",
        "Before any architecture: is the objective purchases or GMV rather than clicks, judged by an "
        "A/B test on GMV per session with recall at K offline? How many requests per second, and "
        "what is the p99 latency budget? Which data must be strongly consistent?",
    )
    page.press("#answer", "Enter")
    expect(page.locator("#turns li.interviewer")).to_have_count(3, timeout=30_000)
    page.click("#end")
    expect(page.locator("#score")).to_be_visible(timeout=30_000)
    expect(page.locator("#milestones li")).to_have_count(8)
    expect(page.locator("mark").first).to_be_visible()
    shoot(page, "review-desktop")
    assert console.errors == []


def test_typed_answer_renders_markup_as_text(browser: Browser, server: str) -> None:
    page, console = open_page(browser)
    start_from_home(page, server, "Coding", "Two numbers that add up")
    expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
    page.uncheck("#speak-replies")
    markup = '<img src=x id="injected"><b>bold</b> Is the input sorted?'
    page.fill("#answer", markup)
    page.press("#answer", "Enter")
    expect(page.locator("#turns li.candidate .text").first).to_have_text(markup)
    assert page.locator("#turns #injected").count() == 0 and page.locator("#turns b").count() == 0
    expect(page.locator("#turns li.interviewer")).to_have_count(2, timeout=20_000)
    page.locator(".CodeMirror").click()
    page.keyboard.type("def two_sum(nums, target):\nseen = {}")
    expect(page.locator(".CodeMirror-code")).to_contain_text("seen = {}")
    shoot(page, "coding-desktop")
    page.click("#end")
    expect(page.locator("#score")).to_be_visible(timeout=30_000)
    assert page.locator("#injected").count() == 0
    assert console.errors == []


def test_wrong_token_shows_nothing(browser: Browser, server: str) -> None:
    session = httpx.post(f"{server}/api/sessions", json={"question_id": "sd-checkout-fraud"}).json()
    page, console = open_page(browser)
    response = page.goto(f"{server}/sessions/{session['id']}?token=not-the-token")
    assert response is not None and response.status == 401
    expect(page.locator("h1")).to_have_text("This link does not open a session")
    assert session["question"]["title"] not in page.content()
    assert [e for e in console.errors if "401" not in e] == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_pages_are_readable_at_both_sizes(browser: Browser, server: str, viewport: str) -> None:
    page, console = open_page(browser, viewport)
    page.goto(server + "/")
    expect(page.locator("h1")).to_have_text("Practise the ML engineer loop")
    shoot(page, f"start-{viewport}")
    start_from_home(page, server, "Behavioral", "A technical disagreement")
    expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
    shoot(page, f"interview-{viewport}")
    page.uncheck("#speak-replies")
    page.fill(
        "#answer",
        "I disagreed with my manager about retraining cadence; I ran a two-week A/B test and daily "
        "retraining lifted CTR by 3%, so we adopted it. I learned to agree on the metric first.",
    )
    page.press("#answer", "Enter")
    expect(page.locator("#turns li.interviewer")).to_have_count(2, timeout=20_000)
    page.click("#end")
    expect(page.locator("#score")).to_be_visible(timeout=30_000)
    shoot(page, f"review-{viewport}")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.goto(server + "/history")
    expect(page.locator("#readiness li")).to_have_count(6, timeout=10_000)
    shoot(page, f"history-{viewport}")
    # Nothing wider than the viewport: no sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"]
    assert console.errors == []


def test_a_loop_runs_its_rounds_in_order(browser: Browser, server: str) -> None:
    page, console = open_page(browser)
    page.goto(server + "/")
    page.click("button[data-loop=phone-screen]")
    page.wait_for_url(re.compile(r"/sessions/"))
    expect(page.locator(".eyebrow")).to_contain_text("Coding", timeout=20_000)
    page.uncheck("#speak-replies")
    expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
    page.click("#end")
    next_button = page.locator("#loop-next button")
    expect(next_button).to_contain_text("ML fundamentals (2 left)", timeout=30_000)
    next_button.click()
    expect(page.locator(".eyebrow")).to_contain_text("ML fundamentals", timeout=20_000)
    assert console.errors == []


def test_an_answer_typed_while_the_server_is_down_is_sent_when_it_returns(browser: Browser, tmp_path: Path) -> None:
    env = {"MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'outage.db'}"}
    port = free_port()
    proc, address = start_server(env, port=port)
    page, console = open_page(browser)
    try:
        start_from_home(page, f"http://{address}", "ML fundamentals", "L1 vs L2 regularization")
        expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
        page.uncheck("#speak-replies")
        proc.kill()  # kill -9: the socket drops with no goodbye
        proc.wait(timeout=10)
        expect(page.locator("#connection")).to_contain_text("Reconnecting", timeout=10_000)
        answer = "L1 drives some weights exactly to zero, so it also selects features."
        page.fill("#answer", answer)
        page.press("#answer", "Enter")
        expect(page.locator("#mic-status")).to_contain_text("your answer is kept")
        proc, address = start_server(env, port=port)
        expect(page.locator("#connection")).to_have_text("Connected", timeout=20_000)
        expect(page.locator("#turns li.interviewer")).to_have_count(2, timeout=20_000)
        session_id = page.url.split("/sessions/")[1].split("?")[0]
        token = page.url.split("token=")[1]
        stored = httpx.get(f"http://{address}/api/sessions/{session_id}", params={"token": token}).json()
        assert [t["text"] for t in stored["turns"] if t["speaker"] == "candidate"] == [answer]  # once, not twice
        expect(page.locator("#turns li.candidate")).to_have_count(1)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    # The only errors are the browser's own reports of the refused reconnection attempts.
    assert [e for e in console.errors if "WebSocket connection" not in e] == []


def test_the_interviewer_cuts_in_on_a_long_answer(browser: Browser, tmp_path: Path) -> None:
    env = {"MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'cut.db'}", "MOCKLOOP_MONOLOGUE_SECONDS": "4"}
    proc, address = start_server(env)
    page, console = open_page(browser)
    try:
        start_from_home(page, f"http://{address}", "ML system design", "Home-feed recommendations")
        expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
        page.uncheck("#speak-replies")
        page.check("#hands-free")
        page.click("#talk")
        expect(page.locator("#mic-status")).to_contain_text("cut in", timeout=40_000)
        expect(page.locator("#talk")).to_have_attribute("aria-pressed", "false")  # the page stopped listening
        expect(page.locator("#turns li.candidate").first).to_contain_text("objective", timeout=20_000)
        priya = page.locator("#turns li.interviewer").nth(1)
        expect(priya).to_contain_text(re.compile(r"stop you there|cut in"), timeout=20_000)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert console.errors == []


def test_code_runs_from_the_editor_and_the_interviewer_reacts(browser: Browser, server: str) -> None:
    page, console = open_page(browser)
    start_from_home(page, server, "Coding", "Two numbers that add up")
    expect(page.locator("#turns li.interviewer").first).to_be_visible(timeout=20_000)
    page.uncheck("#speak-replies")
    expect(page.locator(".signature code")).to_contain_text("def two_sum(")
    page.locator(".CodeMirror").click()
    # The slip of filling the map first: the prompt's example passes, a hidden case does not.
    wrong = "def two_sum(nums, target):\nseen = {x: i for i, x in enumerate(nums)}\nfor i, x in enumerate(nums):\n"
    wrong += "if target - x in seen:\nreturn [i, seen[target - x]]"
    page.keyboard.type(wrong)
    page.click("#run")
    expect(page.locator("#results p").first).to_contain_text(re.compile(r"\d+ of \d+ tests pass"), timeout=30_000)
    expect(page.locator("#results li", has_text="hidden test")).not_to_have_count(0)
    reply = page.locator("#turns li.interviewer").last
    expect(reply).to_contain_text("hidden cases fails", timeout=30_000)
    shoot(page, "code-run-desktop")
    assert console.errors == []
