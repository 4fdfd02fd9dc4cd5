"""Word error rate on ML-jargon answers: each way of helping Whisper with the question's words, side by side.

    python benchmarks/jargon_wer.py [--model DIR_OR_SIZE ...]

Each answer is synthesized with espeak-ng; a question's answers are the chunks of one spoken turn, in order.
Every configured model transcribes them several ways:

- plain: no help;
- vocab: the question's vocabulary (plus milestone cues) as hotwords, as the live server did before;
- context: the vocabulary, then the text already decoded in this turn (measured, not used live: it does worse);
- "+fix": a decode above, then the correction pass that snaps near-misses to the vocabulary
  (server/speech/correction.py), its threshold tuned on the dev half.

The control set (benchmarks/speech_data.py's plain sentences, and every reference text) checks that the
correction pass changes no correctly transcribed word.

Answers alternate between a dev half and a test half: thresholds are tuned on dev, reported on test.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.speech_data import SENTENCES, speak
from question_bank.loader import load_bank
from server.speech.correction import VocabularyCorrector
from server.speech.models import BUNDLED
from server.speech.transcriber import Transcriber, vocabulary_prompt

ANSWERS = {
    "sd-marketplace-recs": [
        "I would use a two-tower model for retrieval and serve candidates from a FAISS index.",
        "Offline I would track recall at K and NDCG, and online I would watch GMV per session.",
        "Cold start items get content embeddings, and the ranker could be a DLRM style network.",
    ],
    "mlf-rlhf": [
        "First we do supervised fine-tuning, then we train a reward model on preference pairs.",
        "PPO optimizes the policy with a KL penalty against the reference model.",
        "DPO skips the reward model and optimizes the preference loss directly.",
    ],
    "mlf-lora-fine-tuning": [
        "LoRA freezes the base weights and learns a low-rank update with rank r and a scaling alpha.",
        "QLoRA quantizes the frozen model to four bits with NF4 so a seven billion parameter model fits.",
        "After training I would merge the weights, so the adapter adds no extra latency.",
    ],
    "dbg-nan-loss-divergence": [
        "The loss went to NaN because the attention logits overflowed in fp16, so I would switch to bf16.",
        "I would add gradient clipping and a longer warmup, and check the loss scaler for overflow.",
        "A QK layer norm keeps the attention logits small, and AdamW with a lower learning rate helps too.",
    ],
    "mlf-distributed-training": [
        "With DDP every GPU holds a full replica and gradients are averaged with an all-reduce.",
        "FSDP and ZeRO stage three shard the optimizer state, gradients and parameters across ranks.",
        "Tensor parallelism with Megatron stays within a node on NVLink, and pipeline stages use micro-batches.",
    ],
}
DECODES = ("plain", "vocab", "context")
THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def chunk_prompt(hotwords: str | None, earlier: str, words: int = 24) -> str | None:
    """The vocabulary, then the last `words` words of the turn so far (Whisper reads both as prior text)."""
    recent = " ".join(earlier.split()[-words:])
    return f"{hotwords or ''}. {recent}" if recent else hotwords


def normalise(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    ref, hyp = normalise(reference), normalise(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)], len(ref)


@dataclass
class Answer:
    question: str
    reference: str
    split: str  # "dev" or "test"
    hotwords: str | None
    terms: list[str]
    hypotheses: dict[str, str] = field(default_factory=dict)


def answers() -> list[Answer]:
    bank = load_bank()
    out: list[Answer] = []
    for question_id, texts in ANSWERS.items():
        question = bank.get(question_id)
        terms = question.vocabulary + [c for m in question.milestones for c in m.cues]
        for text in texts:
            split = "dev" if len(out) % 2 == 0 else "test"
            out.append(Answer(question_id, text, split, vocabulary_prompt(terms), terms))
    return out


def decode(transcriber: Transcriber, items: list[Answer]) -> dict[str, float]:
    """Fill each answer's hypotheses, one per decode variant; returns the decode seconds per variant."""
    seconds = dict.fromkeys(DECODES, 0.0)
    so_far: dict[str, str] = {}  # context: the text decoded so far in each question's turn
    for item in items:
        audio = speak(item.reference)
        earlier = so_far.get(item.question, "")
        prompts = {"plain": None, "vocab": item.hotwords, "context": chunk_prompt(item.hotwords, earlier)}
        for name, prompt in prompts.items():
            start = time.perf_counter()
            item.hypotheses[name] = transcriber.transcribe(audio, prompt).text
            seconds[name] += time.perf_counter() - start
        so_far[item.question] = f"{earlier} {item.hypotheses['context']}".strip()
    return seconds


def wer(items: list[Answer], variant: str, split: str | None = None) -> float:
    errors = words = 0
    for item in items:
        if split is None or item.split == split:
            e, n = word_errors(item.reference, item.hypotheses[variant])
            errors, words = errors + e, words + n
    return errors / words


def corrected(items: list[Answer], threshold: float) -> None:
    """Add a "+fix" hypothesis for each decode variant."""
    for item in items:
        terms = (item.hotwords or "").split(",")  # the live path corrects against the hotwords' terms
        corrector = VocabularyCorrector(terms, threshold)
        for name in DECODES:
            item.hypotheses[f"{name}+fix"] = corrector.correct(item.hypotheses[name])


def tune(items: list[Answer]) -> float:
    """The threshold with the lowest dev WER for vocab+fix (the strictest of equals)."""
    scores = []
    for threshold in THRESHOLDS:
        corrected(items, threshold)
        scores.append((round(wer(items, "vocab+fix", "dev"), 6), -threshold))
    best = -min(scores)[1]
    corrected(items, best)
    return best


def control(transcriber: Transcriber, items: list[Answer], threshold: float) -> None:
    """The correction pass on plain sentences and on correct text: how many words it changes (should be 0)."""
    correctors = {i.question: VocabularyCorrector((i.hotwords or "").split(","), threshold) for i in items}
    recs = next(i.hotwords for i in items if i.question == "sd-marketplace-recs")  # the sentences' own topic
    changed = errors_before = errors_after = words = 0
    for sentence in SENTENCES:
        audio = speak(sentence)
        for heard in (transcriber.transcribe(audio, prompt).text for prompt in (None, recs)):
            for corrector in correctors.values():
                fixed = corrector.correct(heard)
                before, n = word_errors(sentence, heard)
                after, _ = word_errors(sentence, fixed)
                errors_before, errors_after, words = errors_before + before, errors_after + after, words + n
                changed += word_errors(heard, fixed)[0]
    references = list(SENTENCES) + [i.reference for i in items]
    touched = sum(c.correct(r) != r for r in references for c in correctors.values())
    print(
        f"  control: {len(SENTENCES)} plain sentences (plain, recs vocab) x {len(correctors)} vocabularies: "
        f"WER {errors_before / words:.1%} -> {errors_after / words:.1%}, {changed} words changed; "
        f"{touched} of {len(references) * len(correctors)} correct texts changed"
    )


def report(model: str, transcriber: Transcriber, items: list[Answer], verbose: bool) -> None:
    seconds = decode(transcriber, items)
    threshold = tune(items)
    if verbose:
        for item in items:
            print(f"\n{item.split:4} {item.reference}")
            for name in item.hypotheses:
                if name in DECODES or item.hypotheses[name] != item.hypotheses[name.split("+")[0]]:
                    e, n = word_errors(item.reference, item.hypotheses[name])
                    print(f"  {name:12} {e:2}/{n:2}  {item.hypotheses[name]}")
    audio = sum(len(speak(i.reference)) for i in items) / 16000
    print(f"\n{model}: {len(items)} answers, {sum(len(normalise(i.reference)) for i in items)} words")
    print(f"  {'variant':12} {'all':>6} {'dev':>6} {'test':>6}  decode s / audio s")
    for name in items[0].hypotheses:
        row = " ".join(f"{wer(items, name, s):6.1%}" for s in (None, "dev", "test"))
        print(f"  {name:12} {row}  {seconds[name.split('+')[0]] / audio:.3f}")
    print(f"  correction threshold {threshold} (tuned on dev over {', '.join(map(str, THRESHOLDS))})")
    control(transcriber, items, threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", action="append", help="tiny.en, base (both bundled) or a faster-whisper folder (default: both)"
    )
    parser.add_argument("--quiet", action="store_true", help="only the table")
    args = parser.parse_args()
    for model in args.model or list(BUNDLED):
        transcriber = Transcriber(model, correct=False)
        transcriber.warm_up()
        report(transcriber.name, transcriber, answers(), verbose=not args.quiet)


if __name__ == "__main__":
    main()
