"""The correction pass snaps rare near-misses to the question's vocabulary and touches nothing else."""

from __future__ import annotations

import re

import pytest

from benchmarks.speech_data import SENTENCES
from server.speech.correction import VocabularyCorrector, correct_to_hotwords

DISTRIBUTED = ["data parallelism", "DDP", "all-reduce", "ZeRO", "FSDP", "Megatron", "NVLink", "Adam", "bf16"]
RLHF = ["RLHF", "SFT", "reward model", "PPO", "KL penalty", "DPO", "supervised fine-tuning", "preference pairs"]


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w\-]+", text.lower()))


def test_a_near_miss_the_vocabulary_supports_is_fixed() -> None:
    corrector = VocabularyCorrector(RLHF)
    heard = "First we do super-mised fine-tuning, and we train a reward model on preference pairs"
    assert corrector.correct(heard) == (
        "First we do supervised fine-tuning, and we train a reward model on preference pairs"
    )


def test_without_the_term_in_the_vocabulary_nothing_changes() -> None:
    heard = "First we do super-mised fine-tuning, and we train a reward model"
    assert VocabularyCorrector(DISTRIBUTED).correct(heard) == heard


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("terms", [DISTRIBUTED, RLHF], ids=["distributed", "rlhf"])
def test_ordinary_sentences_are_left_alone(sentence: str, terms: list[str]) -> None:
    assert VocabularyCorrector(terms, threshold=0.6).correct(sentence) == sentence


@pytest.mark.parametrize(
    "heard",
    [
        "the ranker could be a deep network",  # a common word's inflection, near "rank r"
        "AdamW with a lower learning rate",  # a longer word holding every letter of "Adam"
        "we train a reward model",  # a short common word beside a term is kept
        "frog in rare cases",  # common words are never replaced, however close
    ],
)
def test_common_and_longer_words_are_kept(heard: str) -> None:
    corrector = VocabularyCorrector(["rank r", "Adam", "reward model", "fraud is rare"], threshold=0.6)
    assert corrector.correct(heard) == heard


def test_equally_close_terms_leave_the_words_as_heard() -> None:
    assert VocabularyCorrector(["fp16", "bf16"], threshold=0.7).correct("switch to f16") == "switch to f16"


def test_every_inserted_word_comes_from_the_vocabulary() -> None:
    heard = "fscp and ZeRO stage, the optimizer state, gradient cent parameter lacrosse ranks, NVDP U-FOL"
    corrected = VocabularyCorrector(DISTRIBUTED, threshold=0.6).correct(heard)
    assert "FSDP" in corrected
    assert words(corrected) - words(heard) <= words(" ".join(DISTRIBUTED))


def test_hotwords_carry_the_terms_and_none_means_no_change() -> None:
    hotwords = "SFT, supervised fine-tuning, PPO"
    assert correct_to_hotwords("we do super-mised fine-tuning.", hotwords) == "we do supervised fine-tuning."
    assert correct_to_hotwords("we do super-mised fine-tuning.", None) == "we do super-mised fine-tuning."
    assert correct_to_hotwords("", hotwords) == ""
