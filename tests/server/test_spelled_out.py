"""A greedy decode that spells out letters is decoded once more with a beam search (real Whisper, espeak speech)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from question_bank.loader import load_bank
from server.speech.stream import FRAME, SpokenTurn
from server.speech.transcriber import Transcriber, load_audio_file, spelled_out, vocabulary_prompt

# The browser test's microphone: tiny.en heard "p99 latency budget" as "P-I-T-I-NA-T-M-C-M-U-T" whenever the chunk
# started a frame or two away from where it starts when fed in one go, which made that test fail one run in four.
SPOKEN = (
    "Before choosing a model, what is the objective: purchases or gross merchandise value? "
    "And what is the p99 latency budget, and how many requests per second do we serve?"
)


def test_spelled_letters_are_counted() -> None:
    assert spelled_out("and what is the P-I-T-I-NA-T-M-C-M-U-T and how many") == 12
    assert spelled_out("a state-of-the-art, end-to-end P99 model") == 0


def test_a_decode_that_spells_out_letters_is_decoded_again(transcriber: Transcriber, tmp_path: Path) -> None:
    raw, wav = tmp_path / "raw.wav", tmp_path / "mic.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), SPOKEN], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    audio = load_audio_file(wav)
    turn = SpokenTurn()
    for i in range(0, len(audio), FRAME):
        turn.feed(audio[i : i + FRAME], i / 16000)
    turn.close_open()
    last = turn.turn.chunks[-1]
    question = next(q for q in load_bank().questions.values() if q.title.startswith("Home-feed"))
    hotwords = vocabulary_prompt(question.vocabulary)
    heard = []
    for shift in (-1, 1, 2):  # chunk starts at which the greedy decode spells out six letters or more
        chunk = audio[last.start + shift * FRAME : last.end]
        alone = transcriber.transcribe(chunk, hotwords).text
        batched = transcriber.transcribe_batch([(chunk, hotwords)])[0].text
        # The beam still spells "P-I-T-I" for "p99" at times, and its near-ties differ between runs ("P-I-T-I-N
        # agency budget" once in a full test run): the words come back at most offsets, never the long spelling.
        assert spelled_out(alone) <= 5 and spelled_out(batched) <= 5, (shift, alone, batched)
        heard += ["latency budget" in alone, "latency budget" in batched]
    assert sum(heard) >= 4, heard
