"""The FastAPI app of `mockloop serve`: the REST API, the live WebSocket, and the pages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from question_bank.errors import BankError
from question_bank.schema import Round
from server import protocol
from server.edge import Edge, throttle
from server.live import LiveSession, public_turns, storage_error_event
from server.outbox import Outbox
from server.services import Services
from server.storage import SessionRow, StorageError
from server.text import encodable

log = logging.getLogger("mockloop")


def _valid_text(value: str | None) -> str | None:
    if value is not None and not encodable(value):
        raise ValueError("text must be valid Unicode (it holds a lone surrogate)")
    return value


ShortText = Annotated[str | None, Field(default=None, max_length=100), AfterValidator(_valid_text)]


class NewSession(BaseModel):
    model_config = ConfigDict(extra="forbid")
    round: Round | None = None
    question_id: ShortText = None
    persona: ShortText = None


def _one_line(exc: RequestValidationError) -> str:
    """The first problem, named by field, without echoing the input (a 50 MB field came back in full)."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    where = ".".join(str(p) for p in errors[0].get("loc", ()) if p != "body") or "body"
    message = str(errors[0].get("msg", "invalid"))[:200]
    return f"{where}: {message}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")


def _token_from(authorization: str | None, token: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return token


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def authorized(session_id: str, request: Request, token: Annotated[str | None, Query()] = None) -> SessionRow:
    """The session, if the request carries its token (header or query); 401 otherwise, even if it does not exist."""
    row = _services(request).store.authorized(session_id, _token_from(request.headers.get("authorization"), token))
    if row is None:
        raise HTTPException(status_code=401, detail="missing or invalid session token")
    return row


SessionDep = Annotated[SessionRow, Depends(authorized)]


async def _serve_socket(
    services: Services, outbox: Outbox, session_id: str, token: str | None, authorization: str | None
) -> None:
    """One live socket: authorise, take the session over, then read frames until the client leaves or the
    session ends. Everything it sends goes through `outbox`, which closes the socket when this returns."""

    def unavailable(exc: StorageError, unsaved: str | None = None) -> None:
        # What is stored is the truth: drop this connection's state and let the client reconnect,
        # which rebuilds the interview from the database once it answers again.
        log.warning("session %s: %s", session_id, exc)
        outbox.put(storage_error_event(exc, unsaved))
        outbox.close(1013, "the database is unavailable; reconnect shortly")

    try:
        row = await asyncio.to_thread(services.store.authorized, session_id, _token_from(authorization, token))
    except StorageError as exc:
        unavailable(exc)
        return
    if row is None:
        outbox.close(4401, "missing or invalid session token")
        return
    # One socket per session: a newer one (a reload, a second tab) takes over, and the older is told why.
    previous: Outbox | None = services.owners.get(session_id)
    services.owners[session_id] = outbox
    if previous is not None:
        previous.close(4409, "this session was opened in another window")

    session = LiveSession(services, row, outbox.put)
    watchdog: asyncio.Task[None] | None = None
    try:
        await session.start()
        if session.ended:
            return
        watchdog = asyncio.create_task(session.watchdog())
        while True:
            message = await outbox.receive()
            if message is None or message["type"] == "websocket.disconnect":
                break
            try:
                if message.get("bytes") is not None:
                    await session.on_audio(message["bytes"])
                elif message.get("text") is not None:
                    await session.on_text(message["text"])
            except protocol.ProtocolError as exc:
                outbox.put(exc.event())
            if session.ended:
                break
    except WebSocketDisconnect:
        pass
    except StorageError as exc:
        unavailable(exc, session.unsaved)
    finally:
        if services.owners.get(session_id) is outbox:
            del services.owners[session_id]
        if watchdog is not None:
            watchdog.cancel()
        await session.close()


# The docs page's one inline script (FastAPI's Swagger UI start-up), allowed by its own policy, not 'unsafe-inline'.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
)


def install_docs(app: FastAPI) -> None:
    """/docs from the swagger-ui-bundle package's files: works offline and under a strict policy."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger-ui", StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="mockloop API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page


def create_app(services: Services) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services.decoder is not None:
            services.decoder.start()
        services.load_scorer_in_background()
        yield
        if services.decoder is not None:
            await services.decoder.stop()
        services.store.close()

    app = FastAPI(
        title="mockloop",
        version="0.1.0",
        lifespan=lifespan,
        description="Mock interviews for ML engineers: REST API and live WebSocket.",
        docs_url=None,  # served below from the installed Swagger UI, not a CDN (the pages' CSP and offline use)
    )
    app.state.services = services
    app.add_middleware(Edge, allowed_origins=services.settings.origins)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"detail": _one_line(exc)}, status_code=422)

    @app.exception_handler(StorageError)
    async def storage_error(request: Request, exc: StorageError) -> Response:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        headers = {"Retry-After": "5"}
        if "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api/"):
            from server.pages import unavailable_page

            return HTMLResponse(unavailable_page(str(exc)), status_code=503, headers=headers)
        return JSONResponse({"detail": str(exc)}, status_code=503, headers=headers)

    @app.get("/healthz", responses={503: {"description": "the database is unavailable"}})
    def healthz() -> Response:
        """`ok` while the database answers; 503 with the reason while it does not (the server keeps running)."""
        try:
            services.store.ping()
        except StorageError as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/api/questions")
    def questions(round: Round | None = None) -> list[dict[str, Any]]:
        return [q.summary() for q in services.bank.by_round(round)]

    @app.post("/api/sessions", status_code=201, responses={429: {"description": "too many new sessions"}})
    def create_session(request: Request, body: NewSession | None = None) -> dict[str, Any]:
        from random import Random

        throttle(services.new_sessions, request, "new sessions")
        from interviewers.personas import PersonaError
        from server.drill import DrillError, choose_persona, pick_question

        body = body or NewSession()
        try:
            if body.question_id:
                question = services.bank.get(body.question_id)
            else:
                recent = [r.question_id for r in services.store.list_sessions(limit=30)]
                question = pick_question(services.bank, body.round, recent, Random())  # noqa: S311
            persona = choose_persona(body.persona, question)
        except (BankError, DrillError, PersonaError) as exc:
            message = exc.one_line() if isinstance(exc, BankError) else str(exc)
            raise HTTPException(status_code=404, detail=message) from None
        row, token = services.store.create_session(question.id, question.round, persona.name, source="web")
        return {
            "id": row.id,
            "token": token,
            "question": {
                "id": question.id,
                "round": question.round,
                "title": question.title,
                "prompt": question.prompt.strip(),
                "minutes": question.time_box,
            },
            "persona": persona.public(),
        }

    @app.get("/api/sessions/{session_id}")
    def get_session(row: SessionDep) -> dict[str, Any]:
        turns = [t.to_turn() for t in services.store.turns(row.id)]
        return {
            "id": row.id,
            "question_id": row.question_id,
            "round": row.round,
            "status": row.status,
            "persona": row.persona,
            "turns": public_turns(turns, row.status != "ended"),
            "scorecard": row.scorecard,
        }

    @app.websocket("/ws/sessions/{session_id}")
    async def live(websocket: WebSocket, session_id: str, token: str | None = None) -> None:
        await websocket.accept()
        outbox = Outbox(websocket)
        await outbox.run(_serve_socket(services, outbox, session_id, token, websocket.headers.get("authorization")))

    install_docs(app)
    from server.pages import install_pages

    install_pages(app)
    return app
