"""One settings object, read from the environment and a `.env` file (shared/CONTRACTS.md §6)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOCKLOOP_", env_file=".env", extra="ignore")

    database_url: str = ""
    llm_model: str = ""
    whisper_model: str = ""
    whisper_device: Literal["auto", "cpu", "cuda"] = "auto"
    # Chunks of different sessions the local model decodes in one batched call (1: one call per chunk).
    whisper_batch: int = Field(default=1, ge=1, le=64)
    # How a decode pads its chunk for Whisper's encoder: "window", the full 30 s as faster-whisper does
    # (today's text), or "fit", the batch's longest chunk plus 3 s (server/speech/batch.py).
    whisper_pad: Literal["window", "fit"] = "window"
    # A remote OpenAI-compatible speech server (a GPU pool); empty: only the local model. The local model
    # still loads: it decodes whenever the remote is slow or down.
    stt_url: str = ""
    stt_model: str = "whisper-1"
    stt_api_key: str = ""
    # Seconds a chunk waits for the remote before the local model decodes it instead.
    stt_timeout: float = Field(default=2.0, gt=0, le=60)
    bank: str = ""
    end_of_turn_ms: int = Field(default=1500, ge=100, le=60_000)
    # For tests and demos: a canned LLM reply, passed to litellm as `mock_response` (no provider is called).
    llm_mock_response: str | None = None
    # For fault tests: litellm's `mock_timeout`, a provider that hangs until the timeout, then fails.
    llm_mock_timeout: bool = False
    # Seconds of continuous speech before the interviewer cuts in; 0: the persona's own patience.
    monologue_seconds: float = Field(default=0, ge=0, le=600)
    # Seconds a live turn waits for the provider before the offline wording is used instead.
    llm_turn_timeout: float = Field(default=10.0, gt=0, le=300)
    # Benchmarks only: "naive" decodes each spoken turn once, whole, at commit (no chunks, no partials).
    stream_mode: Literal["chunked", "naive"] = "chunked"
    # New sessions one client address may start per minute (also the burst); progress queries per minute.
    new_sessions_per_minute: int = Field(default=30, ge=1)
    progress_per_minute: int = Field(default=60, ge=1)
    # Browser origins besides the served host that may open sessions (comma-separated), e.g. behind a proxy.
    allowed_origins: str = ""
    # Not in the contract: where the default SQLite file lives (tests point it at a temp dir).
    data_dir: Path | None = None

    @field_validator("stt_url")
    @classmethod
    def _stt_url_is_http(cls, value: str) -> str:
        if value.strip():
            from server.speech.remote import transcriptions_url

            transcriptions_url(value)  # a ValueError here is one line at start, not a failing first chunk
        return value.strip()

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip())

    @property
    def llm_extra(self) -> dict[str, Any]:
        """What every litellm call gets on top of the model string (canned replies and faults, when set)."""
        extra: dict[str, Any] = {}
        if self.llm_mock_response is not None:
            extra["mock_response"] = self.llm_mock_response
        if self.llm_mock_timeout:
            extra["mock_timeout"] = True
        return extra

    @property
    def bank_dirs(self) -> list[Path]:
        return [Path(p) for p in self.bank.split(":") if p.strip()]

    @property
    def resolved_data_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        from platformdirs import user_data_dir

        return Path(user_data_dir("mockloop", appauthor=False))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'mockloop.db'}"


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "MOCKLOOP_" + str(err["loc"][0]).upper() if err["loc"] else "settings"
        raise ConfigError(f"{name}: {err['msg'].lower()}") from None
