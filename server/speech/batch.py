"""Several sessions' chunks decoded in one batched CTranslate2 call, the way faster-whisper decodes one.

`WhisperModel.transcribe` takes one audio at a time. This module runs its greedy, single-temperature path
for a list of chunks at once: log-mel features per chunk, one `encode` of the padded batch, one `generate`
with a prompt per chunk (its own hotwords), then faster-whisper's own timestamp splitting and no-speech
rule per chunk. A chunk the model stops short of (its last timestamp before the end of its audio) gets
another window from there, as in `generate_segments`; those windows are batched again.

CTranslate2 needs <|startoftranscript|> at the same place in every prompt of a batch, and padding the
hotwords to a common length garbles the text (measured: 5 filler tokens of "," or " " changed 12-18 % of
the words), so chunks whose prompts differ in length go in separate calls.

Padding (benchmarks/batch_decode.py measures both, speed and words):
- "window": like `transcribe`, which pads every window to 30 s of features (3000 frames) with zeros whatever
  `chunk_length` says. Today's text exactly, but each decode pays for a 30 s encoder pass.
- "fit": the longest chunk of the batch plus 3 s, the rest filled with the level of digital silence (what
  Whisper's own zero-padded audio becomes). Zero-filled features or less than ~3 s of margin make tiny.en
  drop the last words or repeat itself. Even so, short cut chunks loop more often than with the full window
  ("first we do soup, first we do soup, ..."), so a chunk whose text compresses like a loop (faster-whisper's
  own test, gzip ratio > 2.4) is decoded again with the full window.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from faster_whisper.tokenizer import Tokenizer

Padding = Literal["window", "fit"]
WINDOW_FRAMES = 3000  # 30 s of log-mel frames: Whisper's window
FIT_MARGIN_FRAMES = 300  # 3 s of silence after the longest chunk ("fit")
SILENCE_BELOW_MAX = 2.0  # log-mel is clamped to 8 below its peak, then scaled by 1/4: silence sits 2 below it
# faster-whisper's defaults, which Transcriber.transcribe keeps.
NO_SPEECH_THRESHOLD = 0.6
LOG_PROB_THRESHOLD = -1.0
MAX_INITIAL_TIMESTAMP = 1.0  # seconds
COMPRESSION_RATIO_THRESHOLD = 2.4


@dataclass
class _State:
    """One chunk's progress through its windows."""

    features: NDArray[np.float32]  # (n_mels, frames)
    prompt: list[int]
    seek: int = 0
    texts: list[str] = field(default_factory=list)

    @property
    def content_frames(self) -> int:
        return int(self.features.shape[-1]) - 1

    @property
    def done(self) -> bool:
        return self.seek >= self.content_frames


def decode_batch(
    model: WhisperModel, chunks: Sequence[tuple[NDArray[np.float32], str | None]], pad: Padding = "window"
) -> list[list[str]]:
    """The kept segment texts of each (16 kHz audio, hotwords) chunk, in order; not yet joined or corrected."""
    tokenizer = _tokenizer(model)
    states = [_State(model.feature_extractor(audio), _prompt(model, tokenizer, hotwords)) for audio, hotwords in chunks]
    _decode(model, tokenizer, states, pad)
    if pad == "fit":
        loops = [s for s in states if _loops(s.texts)]
        for state in loops:
            state.seek, state.texts = 0, []
        _decode(model, tokenizer, loops, "window")
    return [s.texts for s in states]


def _decode(model: WhisperModel, tokenizer: Tokenizer, states: list[_State], pad: Padding) -> None:
    while active := [s for s in states if not s.done]:
        groups: dict[int, list[_State]] = {}
        for state in active:
            groups.setdefault(len(state.prompt), []).append(state)
        for group in groups.values():
            _decode_window(model, tokenizer, group, pad)


def _loops(texts: list[str]) -> bool:
    data = " ".join(t.strip() for t in texts).encode()
    return bool(data) and len(data) / len(zlib.compress(data)) > COMPRESSION_RATIO_THRESHOLD


def _decode_window(model: WhisperModel, tokenizer: Tokenizer, states: list[_State], pad: Padding) -> None:
    """One window of each state, batched: encode, generate, split at timestamps, move each seek on."""
    import ctranslate2

    sizes = [min(WINDOW_FRAMES, s.content_frames - s.seek) for s in states]
    width = WINDOW_FRAMES if pad == "window" else min(WINDOW_FRAMES, max(sizes) + FIT_MARGIN_FRAMES)
    batch = np.zeros((len(states), states[0].features.shape[0], width), dtype=np.float32)
    for row, (state, size) in enumerate(zip(states, sizes, strict=True)):
        if pad == "fit":
            batch[row] = state.features.max() - SILENCE_BELOW_MAX
        batch[row, :, :size] = state.features[:, state.seek : state.seek + size]
    encoded = model.model.encode(ctranslate2.StorageView.from_array(batch))
    results = model.model.generate(
        encoded,
        [s.prompt for s in states],
        beam_size=1,
        patience=1,
        length_penalty=1,
        repetition_penalty=1,
        no_repeat_ngram_size=0,
        max_length=model.max_length,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=list(_suppressed(model)),
        max_initial_timestamp_index=round(MAX_INITIAL_TIMESTAMP / model.time_precision),
    )
    for state, size, result in zip(states, sizes, results, strict=True):
        _take(model, tokenizer, state, size, result)


def _take(model: WhisperModel, tokenizer: Tokenizer, state: _State, size: int, result: Any) -> None:
    tokens: list[int] = result.sequences_ids[0]
    # As in generate_with_fallback: the mean log-probability per token, end-of-text included.
    avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
    if result.no_speech_prob > NO_SPEECH_THRESHOLD and avg_logprob <= LOG_PROB_THRESHOLD:
        state.seek += size  # silence or noise: faster-whisper skips the window
        return
    time_per_frame = model.feature_extractor.time_per_frame
    segments, state.seek, _single_ending = model._split_segments_by_timestamps(
        tokenizer=tokenizer,
        tokens=tokens,
        time_offset=state.seek * time_per_frame,
        segment_size=size,
        segment_duration=size * time_per_frame,
        seek=state.seek,
    )
    for segment in segments:
        text = tokenizer.decode(segment["tokens"])
        if segment["start"] != segment["end"] and text.strip():
            state.texts.append(text)


def _prompt(model: WhisperModel, tokenizer: Tokenizer, hotwords: str | None) -> list[int]:
    # With timestamps, as Transcriber.transcribe asks: without them tiny.en tends to stop early.
    prompt: list[int] = model.get_prompt(tokenizer, [], without_timestamps=False, hotwords=hotwords or None)
    return prompt


@lru_cache(maxsize=4)
def _tokenizer(model: WhisperModel) -> Tokenizer:
    from faster_whisper.tokenizer import Tokenizer

    return Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")


@lru_cache(maxsize=4)
def _suppressed(model: WhisperModel) -> tuple[int, ...]:
    from faster_whisper.transcribe import get_suppressed_tokens

    return tuple(get_suppressed_tokens(_tokenizer(model), [-1]))
