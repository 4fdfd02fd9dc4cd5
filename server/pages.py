"""The browser pages (web/): start, live interview, review, progress; plus exports and progress data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from server.edge import throttle
from server.live import public_turns
from server.progress import readiness, round_series, session_summary
from server.reports import VERDICT_WORDS, markdown_report, session_document
from server.services import Services
from server.storage import SessionRow

WEB = Path(__file__).resolve().parent.parent / "web"
TEMPLATES = Jinja2Templates(directory=str(WEB / "templates"))  # autoescape is on for .html
ROUND_TITLES = {
    "coding": ("Coding", "Algorithms, and ML implemented from scratch"),
    "ml_fundamentals": ("ML fundamentals", "Theory, evaluation, models, training"),
    "debugging": ("ML debugging", "Find the root cause of a production problem"),
    "system_design": ("ML system design", "Requirements to monitoring, at scale"),
    "behavioral": ("Behavioral", "STAR stories with numbers and lessons"),
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class SessionKey(BaseModel):
    id: str = Field(max_length=64)
    token: str = Field(max_length=200)


class ProgressRequest(BaseModel):
    sessions: list[SessionKey] = Field(max_length=500)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]


def _highlighted(text: str, quotes: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The turn's text cut into plain and marked parts, one mark per evidence quote (first occurrence)."""
    spans: list[tuple[int, int, str]] = []
    for quote, milestone in quotes:
        start = text.find(quote)
        if start >= 0 and all(start >= e or start + len(quote) <= s for s, e, _ in spans):
            spans.append((start, start + len(quote), milestone))
    parts, cursor = [], 0
    for start, end, milestone in sorted(spans):
        if start > cursor:
            parts.append({"text": text[cursor:start], "mark": ""})
        parts.append({"text": text[start:end], "mark": milestone})
        cursor = end
    if cursor < len(text):
        parts.append({"text": text[cursor:], "mark": ""})
    return parts


def _delivery_rows(delivery: dict[str, Any]) -> list[tuple[str, str]]:
    labels = {
        "words_per_minute": "Words per minute",
        "pace": "Pace",
        "fillers_per_minute": "Fillers per minute",
        "fillers_per_100_words": "Fillers per 100 words",
        "longest_pause_seconds": "Longest pause (s)",
        "talk_seconds": "Talk time (s)",
        "candidate_words": "Words spoken",
        "quantified": "Results quantified",
        "requirements_before_model": "Requirements before model",
    }
    rows = []
    for key, label in labels.items():
        if key in delivery:
            value = delivery[key]
            rows.append((label, "yes" if value is True else "no" if value is False else str(value)))
    return rows


def unavailable_page(detail: str) -> str:
    """The page shown instead of any page while the database is unreachable (status 503)."""
    return TEMPLATES.get_template("unavailable.html").render(nav="", detail=detail)


def install_pages(app: FastAPI) -> None:
    templates = TEMPLATES
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    router = APIRouter()

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @router.get("/", response_class=HTMLResponse)
    def start_page(request: Request, services: ServicesDep) -> HTMLResponse:
        from interviewers.personas import personas
        from question_bank.loops import load_loops

        rounds = [{"id": r, "title": t, "blurb": b} for r, (t, b) in ROUND_TITLES.items()]
        loops = []
        for loop in load_loops().values():
            plan = [
                {"round": p.round, "title": p.title, "tags": p.tags, "exclude": p.exclude_tags, "count": p.count}
                for p in loop.parts
            ]
            loops.append(
                {
                    "id": loop.id,
                    "title": loop.title,
                    "description": loop.description,
                    "minutes": loop.minutes,
                    "parts": loop.parts,
                    "plan_json": json.dumps(plan),
                }
            )
        return templates.TemplateResponse(
            request,
            "start.html",
            {
                "nav": "practice",
                "rounds": rounds,
                "questions": [q.summary() for q in services.bank.by_round()],
                "personas": [p.public() for p in personas().values()],
                "loops": loops,
            },
        )

    @router.get("/history", response_class=HTMLResponse)
    def history_page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "history.html", {"nav": "history"})

    @router.get("/sessions/{session_id}", response_class=HTMLResponse)
    def session_page(
        request: Request, session_id: str, services: ServicesDep, token: Annotated[str | None, Query()] = None
    ) -> HTMLResponse:
        row = services.store.authorized(session_id, token)
        if row is None:
            return templates.TemplateResponse(request, "denied.html", {}, status_code=401)
        question = services.bank.get(row.question_id)
        from server.live import persona_of

        persona = persona_of(row, question)
        common = {
            "session_id": row.id,
            "token": token,
            "question": question.summary()
            | {"prompt": question.prompt, "signature": question.signature or "", "tests": len(question.tests)},
            "round_title": ROUND_TITLES[question.round][0],
            "persona": persona.public(),
        }
        if row.status != "ended":
            return templates.TemplateResponse(request, "interview.html", common)
        return templates.TemplateResponse(request, "review.html", common | _review_context(services, row, question))

    @router.get("/api/sessions/{session_id}/export")
    def export(
        session_id: str,
        services: ServicesDep,
        token: Annotated[str | None, Query()] = None,
        format: Annotated[str, Query(pattern="^(json|md)$")] = "json",
    ) -> Response:
        row = services.store.authorized(session_id, token)
        if row is None:
            raise HTTPException(status_code=401, detail="missing or invalid session token")
        turns = [t.to_turn() for t in services.store.turns(row.id)]
        if row.status != "ended":
            turns = public_turns(turns, live=True)
        doc = session_document(row.id, row.question_id, row.round, row.persona, turns, row.scorecard, row.status)
        name = f"mockloop-{row.id}"
        if format == "json":
            return Response(
                json.dumps(doc, indent=2),
                media_type="application/json",
                headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
            )
        question = services.bank.get(row.question_id)
        text = markdown_report(doc, question.title, {m.id: m.text for m in question.milestones})
        return PlainTextResponse(
            text, media_type="text/markdown", headers={"Content-Disposition": f'attachment; filename="{name}.md"'}
        )

    @router.post("/api/progress", responses={429: {"description": "too many progress queries"}})
    def progress(body: ProgressRequest, services: ServicesDep, request: Request) -> dict[str, Any]:
        """Summaries of the sessions whose tokens the browser holds, with the prep plan's checkpoints."""
        throttle(services.progress_queries, request, "progress queries")
        summaries: list[dict[str, Any]] = []
        tokens = {key.id: key.token for key in body.sessions}
        for row in services.store.authorized_many(tokens):  # one query, not one per session
            question = services.bank.questions.get(row.question_id)
            title = question.title if question else row.question_id
            summaries.append(session_summary(row) | {"token": tokens[row.id], "title": title})
        summaries.sort(key=lambda s: str(s["created_at"]))
        return {"sessions": summaries, "series": round_series(summaries), "readiness": readiness(summaries)}

    app.include_router(router)


def _review_context(services: Services, row: SessionRow, question: Any) -> dict[str, Any]:
    card = row.scorecard
    quotes: dict[int, list[tuple[str, str]]] = {}
    milestones = []
    texts = {m.id: m.text for m in question.milestones}
    for m in (card or {}).get("milestones", []):
        milestones.append(m | {"text": texts.get(m["id"], m["id"])})
        for ev in m.get("evidence", []):
            quotes.setdefault(ev["turn"], []).append((ev["quote"], m["id"]))
    turns = []
    for index, turn in enumerate(t.to_turn() for t in services.store.turns(row.id)):
        turns.append(
            {
                "speaker": turn["speaker"],
                "parts": _highlighted(turn["text"], quotes.get(index, [])),
                "decision": turn.get("decision"),
                "code": turn.get("code"),
                "tests": turn.get("tests_detail") if isinstance(turn.get("tests_detail"), list) else None,
                # A spoken reply the candidate talked over: what of it was read aloud before they cut in.
                "heard": turn.get("heard") if turn.get("interrupted") and isinstance(turn.get("heard"), str) else None,
            }
        )
    from interviewers.personas import personas

    persona = personas().get(row.persona or "")
    return {
        "card": card,
        "milestones": milestones,
        "turns": turns,
        "verdict_words": VERDICT_WORDS,
        "delivery": _delivery_rows((card or {}).get("delivery") or {}),
        "persona_title": persona.title if persona else (row.persona or ""),
    }
