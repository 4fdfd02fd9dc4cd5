"""schemathesis against the app's own OpenAPI schema: generated requests never produce a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from question_bank.loader import load_bank
from server.app import create_app
from server.services import Services
from server.settings import Settings
from server.storage import Store

_FOLDER = Path(tempfile.mkdtemp(prefix="mockloop-schema-"))
APP = create_app(
    Services(settings=Settings(data_dir=_FOLDER), store=Store(f"sqlite:///{_FOLDER / 'api.db'}"), bank=load_bank())
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
    case.call_and_validate(checks=[not_a_server_error])
