"""Batched Whisper decoding on this machine's CPU: what a batch costs, and what it changes in the words.

    python benchmarks/batch_decode.py [--batches 1 2 4 8] [--seconds 20]

Chunks are synthesized answers (espeak-ng): the jargon answers of benchmarks/jargon_wer.py with their
question's hotwords and the plain sentences of benchmarks/speech_data.py, each whole (a final) and cut
after 1, 2 and 3 s (a partial, cut mid-word).

1. Words: each chunk decoded alone as the live path does today (`Transcriber.transcribe`), then in batches
   of 8 (`transcribe_batch`), with both paddings of server/speech/batch.py. Word error rate against the
   script (whole chunks) and word difference against today's text (every chunk).
2. Speed: the server's setup (one model, two CTranslate2 workers of one thread each) with both workers
   decoding batches of B chunks of one question at once, for `--seconds` per setting: the wall time of one
   call (what a final in that batch waits) and the decode seconds per audio second, both cores busy.
3. The ceiling: one 30 s encoder pass, which every "window" decode pays whatever its length.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks.jargon_wer import answers, normalise, word_errors
from benchmarks.speech_data import SENTENCES, speak
from server.speech.batch import Padding
from server.speech.transcriber import SAMPLE_RATE, Audio, Transcriber

Chunk = tuple[Audio, str | None, str | None]  # audio, hotwords, the script (None for a cut chunk)
PADDINGS: tuple[Padding, ...] = ("window", "fit")
CUTS = (1.0, 2.0, 3.0)


def recs_hotwords() -> str | None:
    """The hotwords of the question the voice benchmark's sessions answer (and the plain sentences' topic)."""
    return next(a.hotwords for a in answers() if a.question == "sd-marketplace-recs")


def chunks() -> list[Chunk]:
    whole: list[Chunk] = [(speak(a.reference), a.hotwords, a.reference) for a in answers()]
    recs = recs_hotwords()
    whole += [(speak(s), recs if i % 2 else None, s) for i, s in enumerate(SENTENCES)]
    cut = [(audio[: int(s * SAMPLE_RATE)], hotwords, None) for audio, hotwords, _ in whole for s in CUTS]
    return whole + cut


def in_batches(model: Transcriber, items: list[Chunk], size: int) -> list[str]:
    texts: list[str] = []
    for start in range(0, len(items), size):
        batch = [(audio, hotwords) for audio, hotwords, _ in items[start : start + size]]
        texts += [t.text for t in model.transcribe_batch(batch)]
    return texts


def difference(a: list[str], b: list[str]) -> tuple[float, int]:
    """(word difference of b against a, chunks whose text is identical)."""
    errors = sum(word_errors(x, y)[0] for x, y in zip(a, b, strict=True))
    return errors / max(1, sum(len(normalise(x)) for x in a)), sum(x == y for x, y in zip(a, b, strict=True))


def words_report(models: dict[Padding, Transcriber], items: list[Chunk]) -> None:
    scripts = [(i, s) for i, (_, _, s) in enumerate(items) if s is not None]
    variants: dict[str, list[str]] = {"today (alone)": [models["window"].transcribe(a, h).text for a, h, _ in items]}
    variants["window, batches of 8"] = in_batches(models["window"], items, 8)
    variants["fit, alone"] = [models["fit"].transcribe(a, h).text for a, h, _ in items]
    variants["fit, batches of 8"] = in_batches(models["fit"], items, 8)
    today = variants["today (alone)"]
    print(f"words: {len(scripts)} whole chunks, {len(items) - len(scripts)} cut ones; correction pass on")
    print(f"  {'decode':22} {'WER (whole)':>11} {'vs today':>9} {'same text':>10}")
    for name, texts in variants.items():
        errors = sum(word_errors(s, texts[i])[0] for i, s in scripts)
        wer = errors / sum(len(normalise(s)) for _, s in scripts)
        diff, same = difference(today, texts)
        print(f"  {name:22} {wer:11.1%} {diff:9.1%} {same:5}/{len(items)}")
    diff, same = difference(variants["fit, alone"], variants["fit, batches of 8"])
    print(f"  fit batched vs fit alone: {diff:.1%} of words differ, {same}/{len(items)} texts identical")


def busy(call: Callable[[], float], seconds: float, threads: int = 2) -> tuple[list[float], float, float, float]:
    """Run `call` (returns the audio seconds it decoded) on `threads` threads for `seconds`.

    Returns (wall time of each call, total wall time, CPU seconds used, audio seconds decoded). The CPU
    seconds hardly depend on what else the machine runs; the wall times do."""
    walls: list[float] = []
    audio = [0.0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            decoded = call()
            with lock:
                walls.append(time.perf_counter() - start)
                audio[0] += decoded

    start, cpu = time.perf_counter(), time.process_time()
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return walls, time.perf_counter() - start, time.process_time() - cpu, audio[0]


def rotating_batches(model: Transcriber, pool: list[Audio], hotwords: str | None, size: int) -> Callable[[], float]:
    """A call that decodes the next `size` chunks of `pool` in one batch and returns their audio seconds."""
    turn = itertools.count()

    def call() -> float:
        offset = next(turn) * size
        batch = [(pool[(offset + i) % len(pool)], hotwords) for i in range(size)]
        model.transcribe_batch(batch)
        return sum(len(a) for a, _ in batch) / SAMPLE_RATE

    return call


def speed_report(models: dict[Padding, Transcriber], items: list[Chunk], batches: list[int], seconds: float) -> None:
    recs = recs_hotwords()
    pool = [a for a, h, _ in items if h == recs]  # one question's chunks, whole and cut, as one round's sessions
    mean_audio = statistics.mean(len(a) for a in pool) / SAMPLE_RATE
    print(
        f"\nspeed: {len(pool)} chunks of one question (mean {mean_audio:.1f} s), two workers busy, {seconds:.0f} s each"
    )
    print(
        f"  {'padding':7} {'B':>2} {'call p50':>9} {'call p95':>9} {'wall s/audio s':>15} {'chunks/s':>9} "
        f"{'CPU s/chunk':>12} {'chunks/s on 2 free cores':>25}"
    )
    for pad in PADDINGS:
        for size in batches:
            walls, wall, cpu, audio = busy(rotating_batches(models[pad], pool, recs, size), seconds)
            chunks = len(walls) * size
            print(
                f"  {pad:7} {size:2} {1000 * statistics.median(walls):7.0f}ms {1000 * pct(walls, 0.95):7.0f}ms "
                f"{wall / audio:15.3f} {chunks / wall:9.1f} {cpu / chunks:12.3f} {2 * chunks / cpu:25.1f}",
                flush=True,
            )


def ceiling_report(model: Transcriber) -> None:
    import ctranslate2

    window = np.zeros((1, 80, 3000), dtype=np.float32)
    view = ctranslate2.StorageView.from_array(window)

    def encode() -> float:
        model.model.model.encode(view)
        return 30.0

    encode()
    walls, wall, cpu, _ = busy(encode, 5.0)
    print(
        f"\nceiling: one 30 s encoder pass takes {1000 * statistics.median(walls):.0f} ms with both workers busy "
        f"({cpu / len(walls):.3f} CPU s), so {len(walls) / wall:.1f} window decodes/s here now, "
        f"{2 * len(walls) / cpu:.1f} on 2 free cores, before the text decoder runs"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of decoding per speed setting")
    parser.add_argument("--only", choices=["words", "speed"], help="one part only (the ceiling comes with speed)")
    args = parser.parse_args()
    # The server's setup (server/startup.py): one thread per CTranslate2 worker, a worker per core.
    models: dict[Padding, Transcriber] = {pad: Transcriber(cpu_threads=1, workers=2, pad=pad) for pad in PADDINGS}
    for model in models.values():
        model.warm_up()
    items = chunks()
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    if args.only != "speed":
        words_report(models, items)
    if args.only != "words":
        speed_report(models, items, args.batches, args.seconds)
        ceiling_report(models["window"])


if __name__ == "__main__":
    main()
