"""The app factory uvicorn imports in each worker process (`mockloop serve --workers N`)."""

from __future__ import annotations

from fastapi import FastAPI


def create() -> FastAPI:
    """A complete app: settings from the environment, storage, bank, and a warmed Whisper model."""
    from server.app import create_app
    from server.startup import build_services
    from server.text import redact_logs

    redact_logs()
    return create_app(build_services())
