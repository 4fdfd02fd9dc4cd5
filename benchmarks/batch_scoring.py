"""How long `mockloop score FILE... --json` takes on a cohort of transcripts, start-up included.

    python benchmarks/batch_scoring.py            # 500 transcripts (goal: under 30 s on this machine)
    python benchmarks/batch_scoring.py --count 100

The transcripts are the scripted interviews of benchmarks/data/interviewer_quality (strong, vague,
buzzword and confidently wrong candidates, each also told in two long turns) and the labelled answers
of the scoring sets, so sentences repeat no more than they would across a real cohort. As a baseline
from the same run, the same files are scored one process per file for the first few, extrapolated.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.interviewer_harness import load_scripts
from benchmarks.labelled_sets import load_set

PER_FILE_SAMPLE = 3


def _transcript(question_id: str, prompt: str, answers: list[str]) -> dict[str, Any]:
    turns: list[dict[str, str]] = [{"speaker": "interviewer", "text": prompt}]
    for text in answers:
        turns += [{"speaker": "candidate", "text": text}, {"speaker": "interviewer", "text": "Go on."}]
    return {"question_id": question_id, "turns": turns}


def cohort() -> list[dict[str, Any]]:
    out = []
    for script in load_scripts().values():
        wrong = [text for _, text in script.misconceptions]
        for answers in (script.strong, script.vague, script.buzzword, wrong):
            if answers:
                out.append(_transcript(script.question, "Let's begin.", answers))
        half = (len(script.strong) + 1) // 2
        out.append(_transcript(script.question, "Let's begin.", [" ".join(script.strong[:half])]))
        out.append(_transcript(script.question, "Let's begin.", [" ".join(script.strong[half:])]))
    for name in ("scoring_dev", "scoring_calibration"):
        for answer in load_set(name):
            turns = [{"speaker": t.speaker, "text": t.text} for t in answer.transcript.turns]
            out.append({"question_id": answer.question.id, "turns": turns})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    transcripts = cohort()
    if len(transcripts) < args.count:
        sys.exit(f"only {len(transcripts)} distinct transcripts are available; ask for fewer")
    transcripts = transcripts[: args.count]
    words = sum(len(t["text"].split()) for tr in transcripts for t in tr["turns"] if t["speaker"] == "candidate")
    command = [sys.executable, "-m", "server.cli", "score"]
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i, transcript in enumerate(transcripts):
            path = Path(folder) / f"t{i:04d}.json"
            path.write_text(json.dumps(transcript), encoding="utf-8")
            files.append(str(path))
        start = time.perf_counter()
        sample = files[:PER_FILE_SAMPLE]
        single = [subprocess.run([*command, f, "--json"], capture_output=True, check=True) for f in sample]
        per_file = (time.perf_counter() - start) / PER_FILE_SAMPLE
        start = time.perf_counter()
        batch = subprocess.run([*command, *files, "--json"], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    cards = [json.loads(line) for line in batch.stdout.splitlines() if line.strip()]
    assert len(cards) == len(files) and all(len(s.stdout) for s in single)
    print(f"{len(files)} transcripts, {words} candidate words")
    print(f"one call:          {seconds:6.1f} s   ({1000 * seconds / len(files):.0f} ms per transcript; goal < 30 s)")
    print(f"one call per file: {per_file * len(files):6.1f} s   (baseline, extrapolated from {PER_FILE_SAMPLE} files)")


if __name__ == "__main__":
    main()
