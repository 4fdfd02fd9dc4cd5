"""`mockloop serve` and `mockloop transcribe`: the commands that load the Whisper model."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import click

from server.startup import load_transcriber


def _public(host: str) -> bool:
    if host in ("localhost", ""):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not address.is_loopback


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; each loads its own Whisper model. Use PostgreSQL for more than one.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app and its API (OpenAPI docs at /docs)."""
    import uvicorn

    from server.settings import get_settings

    if _public(host):
        click.echo(
            f"warning: binding {host} exposes interviews to your network; session tokens are the only guard", err=True
        )
    if workers > 1 and get_settings().resolved_database_url.startswith("sqlite"):
        click.echo(
            "note: several workers share one SQLite file; PostgreSQL (MOCKLOOP_DATABASE_URL) scales better", err=True
        )
    if workers == 1:
        from server.asgi import create

        app = create()
        click.echo(f"mockloop is serving on http://{host}:{port}  (API docs: /docs)", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    else:
        # Each worker's NumPy (OpenBLAS) would start a spinning thread per core: N workers on a small machine
        # then fight over the cores (load_text.py, 2 workers on 2 cores: 95 s instead of 18 s). Split them.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
        # No state a turn needs lives only in memory, so any worker can serve any reconnect.
        click.echo(f"mockloop is serving on http://{host}:{port} with {workers} workers", err=True)
        uvicorn.run("server.asgi:create", factory=True, host=host, port=port, workers=workers, log_level="warning")


@click.command()
@click.argument("audio", type=click.Path(dir_okay=False))
@click.option("--question", "question_id", help="Bias decoding towards this question's vocabulary.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with timings.")
def transcribe(audio: str, question_id: str | None, as_json: bool) -> None:
    """Transcribe an audio file with the configured Whisper model."""
    from server.speech.transcriber import load_audio_file, vocabulary_prompt

    samples = load_audio_file(Path(audio))
    prompt = None
    if question_id:
        from server.cli_bank import load_configured_bank

        question = load_configured_bank().get(question_id)
        prompt = vocabulary_prompt(question.vocabulary)
    transcriber = load_transcriber()
    result = transcriber.transcribe(samples, prompt)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "text": result.text,
                    "audio_seconds": round(result.audio_seconds, 2),
                    "decode_seconds": round(result.seconds, 3),
                    "model": transcriber.name,
                    "device": transcriber.device,
                }
            )
        )
    else:
        click.echo(result.text)
