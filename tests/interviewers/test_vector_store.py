"""The shipped bank's reference vectors: current with the bank, equal to computing them, refused from another model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interviewers.scoring.embedding import MiniLM, model_dir
from interviewers.scoring.offline import OfflineScorer
from interviewers.scoring.vector_store import PROBE, STORE_FILE, VectorStore
from interviewers.understanding.offline import OfflineUnderstander
from question_bank.loader import Bank


class Counting(MiniLM):
    def __init__(self, store: Path | None) -> None:
        super().__init__(model_dir(), store=store)
        self.computed: list[str] = []

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.computed += texts
        return super()._encode(texts)


def _prepare_all(encoder: MiniLM, bank: Bank) -> None:
    scorer = OfflineScorer(use_embeddings=False)
    scorer.encoder = encoder
    understander = OfflineUnderstander(scorer)
    for question in bank.questions.values():
        understander.prepare(question)


def test_the_store_holds_every_reference_text_of_the_shipped_bank(bank: Bank) -> None:
    # Fails after a bank edit until `python scripts/bank_vectors.py` is run (the scorer still works, slower).
    encoder = Counting(STORE_FILE)
    _prepare_all(encoder, bank)
    unexpected = [t for t in encoder.computed if t != PROBE and "purple" not in t and "harbour" not in t]
    assert unexpected == [], f"{len(unexpected)} texts missing from the store, e.g. {unexpected[:3]}"


def test_stored_vectors_equal_computed_ones(bank: Bank) -> None:
    store = VectorStore.load()
    assert store is not None
    question = bank.get("mlf-l1-vs-l2")
    texts = [m.probe for m in question.milestones if m.probe] + [question.misconceptions[0].claim]
    stored = store.lookup(texts)
    assert set(stored) == set(texts)
    computed = Counting(None).encode(texts)
    cosines = [float(stored[t] @ v) for t, v in zip(texts, computed, strict=True)]
    assert min(cosines) > 0.9999


def test_a_store_from_another_model_is_not_used(tmp_path: Path) -> None:
    texts = ["Which regularizer gives exact zeros?"]
    wrong = np.ones((1, 384), dtype=np.float32) / np.sqrt(384)
    path = tmp_path / "vectors.npz"
    VectorStore.write(path, texts, wrong, probe=wrong[0])  # the probe disagrees with this model
    encoder = Counting(path)
    vector = encoder.encode(texts)[0]
    assert encoder.computed[-1] == texts[0]
    assert float(vector @ wrong[0]) < 0.9
