"""The NumPy MiniLM gives sentence-transformers' embeddings and ranks paraphrases above unrelated text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from interviewers.scoring.embedding import get_encoder

SENTENCES = [
    "What latency budget do we have for the home page?",
    "How quickly does the page need to respond for nearly every request?",
    "I would bake a chocolate cake for the team party.",
]


def test_paraphrase_closer_than_unrelated() -> None:
    vectors = get_encoder().encode(SENTENCES)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.4
    assert similarity[0, 1] > similarity[0, 2] + 0.3


def test_packed_batch_equals_one_at_a_time() -> None:
    encoder = get_encoder()
    together = encoder.encode(SENTENCES)
    alone = np.stack([encoder.encode([s])[0] for s in SENTENCES])
    assert np.abs(together - alone).max() < 1e-5


def test_matches_sentence_transformers() -> None:
    # Reference vectors computed once with sentence-transformers on torch (see the file's `made_with`).
    reference = json.loads((Path(__file__).parent.parent / "data" / "minilm_reference.json").read_text())
    ours = get_encoder().encode(reference["sentences"])
    assert np.abs(np.asarray(reference["embeddings"]) - ours).max() < 1e-3
