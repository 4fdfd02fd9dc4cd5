"""Sentence vectors of the shipped bank's reference texts, computed once and shipped beside the scorer.

Every question's milestones, facets, probes, facts, misconception wordings and truths are embedded
before the first candidate sentence can be compared with them: ~75 sentences and ~0.4 s per question,
paid on the first turn of every live interview and once per question in a batch of scorecards. The
vectors do not change unless the bank does, so `python scripts/bank_vectors.py` writes them here and
the encoder reads them instead of recomputing. A text the store lacks (a bank edited since, a
candidate's sentence, a question from MOCKLOOP_BANK) is simply computed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

STORE_FILE = Path(__file__).with_name("bank_vectors.npz")
# Encoded live when the store is opened: vectors from another model or another implementation of it
# would disagree on this sentence, and then the store is not used at all.
PROBE = "The interviewer compares each answer with the milestones of the question."
SAME_MODEL = 0.999


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).digest()[:12]


class VectorStore:
    """Read-only: text → unit vector, for the texts it was written with."""

    def __init__(self, keys: list[bytes], vectors: NDArray[np.float32], probe: NDArray[np.float32]) -> None:
        self.rows = {key: i for i, key in enumerate(keys)}
        self.vectors = vectors
        self.probe = probe

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, texts: list[str]) -> dict[str, NDArray[np.float32]]:
        found = {}
        for text in texts:
            row = self.rows.get(text_key(text))
            if row is not None:
                found[text] = self.vectors[row]
        return found

    @classmethod
    def load(cls, path: Path = STORE_FILE) -> VectorStore | None:
        if not path.is_file():
            return None
        with np.load(path) as data:
            raw = data["keys"]
            keys = [bytes(raw[i]) for i in range(len(raw))]
            # Stored as float16 to halve the file; renormalised so cosines stay cosines (error ~1e-4).
            vectors = data["vectors"].astype(np.float32)
            probe = data["probe"].astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return cls(keys, vectors, probe)

    @staticmethod
    def write(path: Path, texts: list[str], vectors: NDArray[np.float32], probe: NDArray[np.float32]) -> None:
        order = sorted(range(len(texts)), key=lambda i: text_key(texts[i]))
        keys = np.frombuffer(b"".join(text_key(texts[i]) for i in order), dtype=np.uint8).reshape(len(texts), 12)
        np.savez_compressed(path, keys=keys, vectors=vectors[order].astype(np.float16), probe=probe.astype(np.float16))
