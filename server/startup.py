"""What `mockloop serve` loads before it answers: settings, storage, the bank and the warmed Whisper model.

Its own module so the app factory (asgi.py) and the commands (cli_serve.py) share it without importing
each other.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from server.services import Services
    from server.settings import Settings
    from server.speech.decoder import Decoder
    from server.speech.transcriber import Transcriber


def build_services(load_whisper: bool = True) -> Services:
    """Everything the server shares, with the Whisper model loaded and warmed (progress on stderr)."""
    from server.cli_bank import load_configured_bank
    from server.services import Services
    from server.settings import get_settings
    from server.speech.queue import DecodeQueue
    from server.storage import Store

    settings = get_settings()
    services = Services(settings=settings, store=Store(settings.resolved_database_url), bank=load_configured_bank())
    if load_whisper:
        transcriber = load_transcriber()
        cores = os.cpu_count() or 2
        workers = 1 if transcriber.device == "cuda" else min(2, cores)
        decoder: Decoder = transcriber
        if settings.stt_url:
            decoder = remote_decoder(settings, transcriber)
            # The pool decodes chunks in parallel; a small cap keeps the queue's finals-first order meaningful.
            workers = REMOTE_WORKERS
        services.decoder = DecodeQueue(decoder, workers=workers, batch=settings.whisper_batch)
    return services


REMOTE_WORKERS = 4


def remote_decoder(settings: Settings, local: Decoder) -> Decoder:
    """The remote speech server in front of the local model; one probe now says whether it answers."""
    import numpy as np

    from server.speech.fallback import FallbackDecoder
    from server.speech.remote import RemoteSTTError, RemoteTranscriber

    remote = RemoteTranscriber(settings.stt_url, settings.stt_model, settings.stt_api_key, settings.stt_timeout)
    decoder = FallbackDecoder(remote, local, remote_name=remote.url)
    click.echo(f"speech server {remote.name} …", err=True)
    try:
        seconds = remote.transcribe(np.zeros(16_000, dtype=np.float32)).seconds
    except RemoteSTTError as exc:  # down now is not fatal: the local model decodes until it answers
        reason = str(exc)
        decoder.mark_down(reason, announce=False)
        click.echo(f"  not answering ({reason}); the local model decodes until it does", err=True)
    else:
        click.echo(f"  answers (a 1 s probe took {seconds:.2f} s)", err=True)
    return decoder


def load_transcriber() -> Transcriber:
    from server.settings import get_settings
    from server.speech.transcriber import Transcriber

    settings = get_settings()
    cores = os.cpu_count() or 2
    click.echo(f"loading Whisper {settings.whisper_model or 'tiny.en'} …", err=True)
    transcriber = Transcriber(
        settings.whisper_model,
        settings.whisper_device,
        cpu_threads=max(1, cores // 2),
        workers=min(2, cores),
        pad=settings.whisper_pad,
    )
    click.echo(
        f"  loaded on {transcriber.device} ({transcriber.compute_type}) in {transcriber.load_seconds:.1f} s; "
        "warming up …",
        err=True,
    )
    click.echo(f"  ready (warm-up decode {transcriber.warm_up():.2f} s)", err=True)
    return transcriber
