from __future__ import annotations

import pytest

from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank, load_bank


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="session")
def scorer() -> OfflineScorer:
    return OfflineScorer()
