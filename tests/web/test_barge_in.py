"""Barge-in in a real browser: talking over the interviewer's spoken reply stops it, the words go to the
server as the next turn, and the server stores what part of the reply was heard.

Real Debian Chromium (Playwright), a real `mockloop serve`, and a fake microphone playing an espeak-ng
recording. The one fake is `window.speechSynthesis`: headless Chromium here has no voices and fails every
utterance ("synthesis-failed"), so an init script replaces it with an object that "speaks" each reply over
SPOKEN_MS, firing the real `start` / `boundary` / `end` events (SpeechSynthesisEvent) on a timer, and fires
`error: interrupted` on cancel(). Everything else on the page (the AudioWorklet, the level measurement,
the socket, the server, Whisper) is the real thing.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.test_browser import Console, chromium, start_from_home, web_server

SPOKEN_MS = 12_000  # each fake reply lasts this long, so the candidate's words land in the middle of one
SPEECH_AT_S = 8.0  # when the fake microphone starts talking, counted from the moment it opens
KNOCK_AT_S = 5.5  # a knock on the desk while the interviewer speaks: too short to be a barge-in
# 200 ms: shorter than the 250 ms a barge-in needs, yet it straddles three 100 ms microphone frames almost
# always, which a detector counting whole frames took for 300 ms of speech (a flaky CI failure)
KNOCK_S = 0.2
SPOKEN = "I would rather start with the data: how many labelled examples do we have, and how fresh are they?"

FAKE_SPEECH = """
(() => {
  const log = { spoken: [], interrupted: [], ended: [] };
  let current = null;
  const event = (type, utterance, charIndex, charLength) =>
    new SpeechSynthesisEvent(type, { utterance, charIndex, charLength, name: "word" });
  const fake = {
    speaking: false, pending: false, paused: false,
    getVoices: () => [], pause() {}, resume() {},
    speak(utterance) {
      const text = utterance.text;
      const words = [...text.matchAll(/\\S+/g)];
      const step = SPOKEN_MS / Math.max(1, words.length);
      const timers = [setTimeout(() => utterance.dispatchEvent(event("start", utterance, 0, 0)), 0)];
      words.forEach((word, i) => timers.push(setTimeout(
        () => utterance.dispatchEvent(event("boundary", utterance, word.index, word[0].length)), 10 + i * step)));
      timers.push(setTimeout(() => {
        current = null; fake.speaking = false; log.ended.push(text);
        utterance.dispatchEvent(event("end", utterance, text.length, 0));
      }, SPOKEN_MS + 20));
      current = { utterance, timers };
      fake.speaking = true;
      log.spoken.push(text);
    },
    cancel() {
      if (!current) return;
      const { utterance, timers } = current;
      timers.forEach(clearTimeout);
      current = null; fake.speaking = false;
      log.interrupted.push({ text: utterance.text, at: performance.now() });
      utterance.dispatchEvent(new SpeechSynthesisErrorEvent("error", { utterance, error: "interrupted" }));
    },
  };
  Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  window.fakeSpeech = log;
})();
""".replace("SPOKEN_MS", str(SPOKEN_MS))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with web_server(tmp_path_factory.mktemp("barge")) as url:
        yield url


@pytest.fixture(scope="module")
def microphone_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Silence while the interviewer starts a reply, a short knock, then the candidate talks over it."""
    folder = tmp_path_factory.mktemp("barge-mic")
    raw, speech, knock, wav = (folder / name for name in ("raw.wav", "speech.wav", "knock.wav", "mic.wav"))
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), SPOKEN], check=True)
    fmt = ["-r", "48000", "-c", "1", "-b", "16"]
    subprocess.run(["sox", str(raw), *fmt, str(speech), "pad", str(SPEECH_AT_S), "4"], check=True)
    tone = ["synth", str(KNOCK_S), "sine", "300", "vol", "0.5", "pad", str(KNOCK_AT_S)]
    subprocess.run(["sox", "-n", *fmt, str(knock), *tone], check=True)
    subprocess.run(["sox", "-m", str(speech), str(knock), str(wav)], check=True)
    return wav


@pytest.fixture(scope="module")
def browser(microphone_wav: Path) -> Iterator[Browser]:
    with chromium(microphone_wav) as instance:
        yield instance


def wait_until(page: Page, expression: str, timeout: float = 20.0) -> None:
    """Poll `expression` in the page (wait_for_function evaluates strings, which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout:.0f} s: {expression}"
        time.sleep(0.1)


def stored_turns(page_url: str, server: str) -> list[dict[str, Any]]:
    session_id = page_url.split("/sessions/")[1].split("?")[0]
    token = page_url.split("token=")[1]
    response = httpx.get(f"{server}/api/sessions/{session_id}", params={"token": token})
    turns: list[dict[str, Any]] = response.json()["turns"]
    return turns


def test_talking_over_the_reply_stops_it_and_the_server_keeps_what_was_heard(browser: Browser, server: str) -> None:
    page = browser.new_context().new_page()
    page.add_init_script(FAKE_SPEECH)
    console = Console(page)
    start_from_home(page, server, "ML system design", "Home-feed recommendations")
    expect(page.locator("#turns li.interviewer").first).to_contain_text("Priya", timeout=20_000)
    wait_until(page, "window.fakeSpeech.spoken.length === 1")  # the opening is being read aloud
    page.check("#hands-free")
    page.click("#talk")  # pressing talk over the opening stops it too; the fake microphone starts playing now
    expect(page.locator("#talk")).to_have_attribute("aria-pressed", "true")
    mic_opened = page.evaluate("performance.now()")
    wait_until(page, "window.fakeSpeech.interrupted.length === 1")
    page.fill("#answer", "What is the p99 latency budget?")
    page.press("#answer", "Enter")
    reply = page.locator("#turns li.interviewer").nth(1)
    expect(reply).to_contain_text("120 ms", timeout=20_000)
    wait_until(page, "window.fakeSpeech.spoken.length === 2")
    assert page.evaluate("window.fakeSpeech.interrupted.length") == 1  # not the knock, not yet

    # The candidate talks over the reply: it stops, and the words become the next turn.
    wait_until(page, "window.fakeSpeech.interrupted.length === 2", timeout=SPEECH_AT_S + 10)
    cut = page.evaluate("window.fakeSpeech.interrupted[1]")
    assert "120 ms" in cut["text"]
    assert cut["at"] - mic_opened > (SPEECH_AT_S - 1) * 1000, "stopped before the candidate spoke (the knock?)"
    expect(page.locator("#mic-status")).to_contain_text("You cut in")
    candidate = page.locator("#turns li.candidate").nth(1)
    expect(candidate).to_contain_text(re.compile("data|labelled|examples|fresh"), timeout=40_000)

    turns = stored_turns(page.url, server)
    assert [t["speaker"] for t in turns[:4]] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert turns[0]["interrupted"] is True and turns[0]["text"].startswith(turns[0]["heard"])
    heard = turns[2]["heard"]
    assert turns[2]["interrupted"] is True
    assert heard and turns[2]["text"].startswith(heard) and len(heard) < len(turns[2]["text"]), heard
    assert turns[3]["source"] == "voice"
    assert page.evaluate("window.fakeSpeech.ended").count(turns[2]["text"]) == 0  # never finished
    assert console.errors == []
