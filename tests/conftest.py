"""Tests never see the developer's machine: data dir, database and bank folders point at temp dirs."""

from __future__ import annotations

import os

# Before any test module imports litellm: never fetch the model price list from the internet.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.settings import get_settings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("MOCKLOOP_DATABASE_URL", "MOCKLOOP_LLM_MODEL", "MOCKLOOP_BANK", "MOCKLOOP_WHISPER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOCKLOOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's working directory
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
