"""Word error rate on ML-jargon answers, with and without the question's vocabulary as hotwords.

    python benchmarks/jargon_wer.py

Each answer is synthesized with espeak-ng and transcribed by the configured Whisper model twice:
plain, and biased with the question's `vocabulary` (plus milestone cues), as the live server does.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.speech_data import speak
from question_bank.loader import load_bank
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
    ],
    "dbg-nan-loss-divergence": [
        "The loss went to NaN because the attention logits overflowed in fp16, so I would switch to bf16.",
        "I would add gradient clipping and a longer warmup, and check the loss scaler for overflow.",
    ],
    "mlf-distributed-training": [
        "With DDP every GPU holds a full replica and gradients are averaged with an all-reduce.",
        "FSDP and ZeRO stage three shard the optimizer state, gradients and parameters across ranks.",
    ],
}


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


def main() -> None:
    bank = load_bank()
    transcriber = Transcriber()
    transcriber.warm_up()
    totals = {"plain": [0, 0], "biased": [0, 0]}
    for question_id, answers in ANSWERS.items():
        question = bank.get(question_id)
        hotwords = vocabulary_prompt(question.vocabulary + [c for m in question.milestones for c in m.cues])
        for text in answers:
            audio = speak(text)
            for name, words in (("plain", None), ("biased", hotwords)):
                hypothesis = transcriber.transcribe(audio, words).text
                errors, count = word_errors(text, hypothesis)
                totals[name][0] += errors
                totals[name][1] += count
                print(f"{name:6} {errors:2}/{count:2}  {hypothesis}")
    plain = totals["plain"][0] / totals["plain"][1]
    biased = totals["biased"][0] / totals["biased"][1]
    print(
        f"\njargon WER over {sum(len(a) for a in ANSWERS.values())} answers ({totals['plain'][1]} words): "
        f"plain {plain:.1%}, with vocabulary hotwords {biased:.1%} (ratio {biased / plain:.2f})"
    )


if __name__ == "__main__":
    main()
