"""Write interviewers/scoring/bank_vectors.npz: the sentence vectors of every shipped question's reference texts.

    python scripts/bank_vectors.py            # after editing the bank (a test says when it is stale)

Each question is read the way a live interview reads it (OfflineUnderstander.prepare), with the store
switched off, and every text the encoder had to compute, apart from the made-up turn, is kept.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewers.scoring.embedding import Matrix, MiniLM, model_dir
from interviewers.scoring.offline import OfflineScorer
from interviewers.scoring.text import split_units
from interviewers.scoring.vector_store import PROBE, STORE_FILE, VectorStore
from interviewers.understanding.offline import WARM_UP, OfflineUnderstander
from question_bank.loader import load_bank


class Recording(MiniLM):
    """A MiniLM without the store that remembers every text it computed."""

    def __init__(self) -> None:
        super().__init__(model_dir(), store=None)
        self.seen: dict[str, Matrix] = {}

    def _encode(self, texts: list[str]) -> Matrix:
        vectors = super()._encode(texts)
        self.seen.update(zip(texts, vectors, strict=True))
        return vectors


def main() -> None:
    start = time.perf_counter()
    encoder = Recording()
    scorer = OfflineScorer(use_embeddings=False)
    scorer.encoder = encoder
    understander = OfflineUnderstander(scorer)
    bank = load_bank()
    for question in bank.questions.values():
        understander.prepare(question)
    made_up = {u.text for u in split_units(1, WARM_UP)} | {WARM_UP}
    texts = sorted(t for t in encoder.seen if t not in made_up)
    vectors = np.stack([encoder.seen[t] for t in texts])
    VectorStore.write(STORE_FILE, texts, vectors, encoder._encode([PROBE])[0])
    size = STORE_FILE.stat().st_size / 1e6
    print(f"{len(texts)} texts of {len(bank.questions)} questions -> {STORE_FILE.name} ({size:.1f} MB)")
    print(f"in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
