"""One live interview over a WebSocket: typed and spoken turns in, interviewer replies out.

Order is the contract: a candidate turn (typed, or the final transcript of a spoken one) is
committed to the database before the interviewer's reply to it is produced and sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import Callable
from typing import Any, assert_never

from interviewers.code_results import turn_data
from interviewers.code_runner import RunResult, run_code, unavailable_reason
from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import Persona, persona_for_round, personas
from interviewers.policy import Command
from question_bank.schema import Question
from server import limits, protocol
from server.services import Services
from server.speech.listener import Discarded, Listener
from server.speech.stream import MAX_TURN_SECONDS
from server.speech.transcriber import vocabulary_prompt
from server.storage import SessionRow

# Queues the event for the socket and returns at once (server/outbox.py): a client that reads slowly never
# holds up the interview, and one that stops reading is closed there.
Send = Callable[[protocol.ServerEvent], None]
log = logging.getLogger("mockloop")
WATCHDOG_GRACE_SECONDS = 120.0  # past the time box plus this, the session ends by itself


def public_turns(turns: list[dict[str, Any]], live: bool) -> list[dict[str, Any]]:
    """Turns for a client: while live, the interviewer's decision notes (which name milestones) and the
    outcomes of hidden tests stay hidden."""
    if not live:
        return turns
    return [{k: v for k, v in t.items() if k not in ("decision", "tests_detail")} for t in turns]


def storage_error_event(exc: Exception, unsaved: str | None = None) -> protocol.ErrorEvent:
    """The error a client gets when the database fails, with the answer it must resend, if any."""
    return protocol.ErrorEvent(code="storage_unavailable", message=str(exc), text=unsaved or None)


def persona_of(row: SessionRow, question: Question) -> Persona:
    # Any round's interviewer by name, framed as the question's round (as the drill does).
    persona = personas().get(row.persona or "", None) or persona_for_round(question.round)
    return persona.for_round(question.round)


def heard_prefix(text: str, chars: int) -> str:
    """What the candidate heard of a reply cut off after `chars` characters: a word the cut falls inside
    was not heard whole, so it is left out."""
    head = text[:chars]
    if 0 < chars < len(text) and re.match(r"[\w'’]", text[chars]):
        head = re.sub(r"[\w'’]+$", "", head)
    return head.rstrip()


class LiveSession:
    def __init__(self, services: Services, row: SessionRow, send: Send) -> None:
        self.services = services
        self.store = services.store
        self.row = row
        self.send = send
        self.question = services.bank.get(row.question_id)
        self.persona = persona_of(row, self.question)
        self.engine: InterviewEngine | None = None
        self.lock = services.session_lock(row.id)
        self.code: dict[str, str] | None = None
        self.unsaved: str | None = None
        self.started = time.monotonic()
        self.base_elapsed = 0.0
        self.ended = row.status == "ended"
        self.monologue_limit = services.settings.monologue_seconds or self.persona.monologue_limit()
        self.listener = Listener(
            services.decoder,
            self._partial,
            self.elapsed,
            owner=row.id,
            hotwords=vocabulary_prompt(
                self.question.vocabulary + [c for m in self.question.milestones for c in m.cues]
            ),
            end_of_turn_ms=services.settings.end_of_turn_ms,
            monologue_seconds=self.monologue_limit,
            max_turn_seconds=MAX_TURN_SECONDS,  # read here, at each session's start, so a test can shorten it
            naive=services.settings.stream_mode == "naive",
        )
        self.text_bucket = limits.TokenBucket(limits.TEXT_PER_SECOND, limits.TEXT_BURST)
        self.audio_bucket = limits.TokenBucket(limits.AUDIO_SECONDS_PER_SECOND, limits.AUDIO_BURST_SECONDS)

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        # Under the session's lock, which every socket of this session in this process shares: a second
        # socket opening a fresh session waits here, then finds the opening already stored.
        async with self.lock:
            await self._start()

    async def _start(self) -> None:
        turns = [t.to_turn() for t in await asyncio.to_thread(self.store.turns, self.row.id)]
        if turns:
            last = next((t for t in reversed(turns) if t.get("t") is not None), None)
            self.base_elapsed = (last["t"] + (last.get("duration") or 0.0)) if last else 0.0
        self.send(
            protocol.SessionReady(
                turns=public_turns(turns, not self.ended),
                status=self.row.status,
                worker=os.getpid(),
                elapsed=round(self.base_elapsed, 2),  # the interview clock, which a reload must not restart
            )
        )
        if self.ended:
            self.send(protocol.Scorecard(**(self.row.scorecard or {})))
            self.send(protocol.SessionEnded())
            return
        engine = await asyncio.to_thread(self._build_engine, turns)
        self.engine = engine
        if not turns:
            await self._reply(lambda on_delta: engine.opening(on_delta=on_delta))
        elif turns[-1]["speaker"] == "candidate":
            # The server stopped after storing an answer but before replying to it: reply now. An answer
            # cut off by a dropped connection gets "you were saying…" rather than a judgement of half a sentence.
            elapsed = self.elapsed()
            command: Command | None = "resume" if turns[-1].get("cut_off") else None
            await self._reply(lambda on_delta: engine.respond(elapsed, command=command, on_delta=on_delta))

    def _build_engine(self, turns: list[dict[str, Any]]) -> InterviewEngine:
        scorer = self.services.scorer()
        seed = int(self.row.id[:6], 16)
        return InterviewEngine.resume(
            self.question, self.persona, turns, scorer=scorer, llm=self.services.llm(), seed=seed
        )

    def elapsed(self) -> float:
        return self.base_elapsed + (time.monotonic() - self.started)

    # -- frames -----------------------------------------------------------------------------------------

    async def on_text(self, raw: str) -> None:
        if not self.text_bucket.take():
            raise protocol.ProtocolError("rate_limited", "too many messages; slow down")
        message = protocol.parse_text_frame(raw)
        if isinstance(message, protocol.Ping):
            self.send(protocol.Pong())
            return
        if self.ended:
            raise protocol.ProtocolError("session_ended", "this session has ended")
        if isinstance(message, protocol.Answer):
            if not message.text.strip():
                raise protocol.ProtocolError("empty_answer", "an answer needs some text")
            await self.candidate_turn(message.text.strip(), {})
        elif isinstance(message, protocol.Commit):
            await self.commit()
        elif isinstance(message, protocol.Clear):
            self.listener.clear()
        elif isinstance(message, protocol.Code):
            self.code = {"language": message.language, "code": message.text}
            await asyncio.to_thread(self.store.update_meta, self.row.id, code=self.code)
        elif isinstance(message, protocol.CodeRun):
            await self.run_code()
        elif isinstance(message, protocol.Hint):
            await self.command("hint")
        elif isinstance(message, protocol.End):
            await self.command("end")
        elif isinstance(message, protocol.ReplyInterrupted):
            await self.reply_interrupted(message.turn, message.heard_chars)

    async def on_audio(self, frame: bytes) -> None:
        protocol.check_audio_frame(frame)
        if not self.audio_bucket.take(len(frame) / 32_000):
            raise protocol.ProtocolError("rate_limited", "audio is arriving much faster than real time; frame dropped")
        if self.ended:
            raise protocol.ProtocolError("session_ended", "this session has ended")
        match self.listener.feed(frame):
            case None:
                pass
            case "pause":
                await self.commit()
            case "monologue":
                # A real interviewer does not wait out a monologue: cut in, keep what was said, move on.
                self.send(protocol.Interrupt(turn=self._next_turn_index(), after_seconds=self.monologue_limit))
                await self.commit(command="interrupt")
            case "too_long":
                self.send(
                    protocol.ProtocolError(
                        "turn_too_long", "five minutes of audio: the turn was committed for you"
                    ).event()
                )
                await self.commit()
            case unreachable:
                assert_never(unreachable)

    # -- speech -------------------------------------------------------------------------------------------

    def _partial(self, text: str) -> None:
        self.send(protocol.TranscriptPartial(turn=self._next_turn_index(), text=text))

    def _next_turn_index(self) -> int:
        return len(self.engine.turns) if self.engine else 0

    async def commit(self, reply: bool = True, command: Command | None = None) -> None:
        """The spoken turn is over: finish its transcript, store it, then reply."""
        heard = await self.listener.finish()
        if isinstance(heard, Discarded):
            self.send(protocol.TranscriptDiscarded(reason=heard.reason))
            return
        timing = {"t": heard.started, "duration": heard.duration}
        await self.candidate_turn(heard.text, timing, spoken=True, reply=reply, command=command)

    # -- turns and replies --------------------------------------------------------------------------------

    async def candidate_turn(
        self,
        text: str,
        timing: dict[str, float],
        spoken: bool = False,
        reply: bool = True,
        command: Command | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Store the answer (then acknowledge it), then reply unless the connection is already gone."""
        assert self.engine is not None
        if self.engine.state.candidate_turns >= limits.MAX_CANDIDATE_TURNS:
            raise protocol.ProtocolError(
                "session_full", f"a session holds at most {limits.MAX_CANDIDATE_TURNS} answers"
            )
        async with self.lock:
            data: dict[str, Any] = {"source": "voice" if spoken else "typed"}
            if not reply:
                data["cut_off"] = True  # stored as the connection went: the reply waits for the reconnect
            if self.code:
                data["code"] = self.code["code"]
                data["language"] = self.code["language"]
            data |= extra or {}
            if "t" not in timing:
                timing = {"t": round(self.elapsed(), 2)}
            self.unsaved = text  # handed back to the client if the database refuses it
            row = await asyncio.to_thread(
                self.store.add_turn, self.row.id, "candidate", text, timing.get("t"), timing.get("duration"), data
            )
            self.unsaved = None
            self.engine.candidate_turn(text, **timing, **data)
            saved = protocol.TranscriptFinal if spoken else protocol.AnswerSaved
            self.send(saved(turn=row.idx, text=text))
            if reply:
                elapsed = self.elapsed()
                engine = self.engine
                await self._reply(lambda on_delta: engine.respond(elapsed, command=command, on_delta=on_delta))

    async def reply_interrupted(self, index: int, heard_chars: int) -> None:
        """The candidate talked over the spoken reply `index`: store on that turn what was read aloud, so
        the transcript says which words of the interviewer the candidate actually heard."""
        assert self.engine is not None
        turns = self.engine.turns
        if index >= len(turns) or turns[index]["speaker"] != "interviewer":
            raise protocol.ProtocolError("unknown_turn", f"reply.interrupted: turn {index} is not an interviewer reply")
        text: str = turns[index]["text"]
        if heard_chars > len(text):
            raise protocol.ProtocolError(
                "bad_message", f"reply.interrupted: heard_chars: the reply has only {len(text)} characters"
            )
        heard = {"interrupted": True, "heard": heard_prefix(text, heard_chars)}
        async with self.lock:
            await asyncio.to_thread(self.store.update_turn_data, self.row.id, index, heard)
        turns[index].update(heard)

    async def run_code(self) -> None:
        """Run the editor's code against the question's tests, send the result, then the interviewer reacts."""
        assert self.engine is not None
        question = self.engine.question
        code = (self.code or {}).get("code", "")
        if not question.tests:
            raise protocol.ProtocolError("no_tests", "this question has no tests to run")
        if not code.strip():
            raise protocol.ProtocolError("no_code", "write some code in the editor before running it")
        reason = await asyncio.to_thread(unavailable_reason)
        if reason is not None:
            raise protocol.ProtocolError("sandbox_unavailable", reason)

        def run() -> RunResult:
            with self.services.code_runs:
                return run_code(code, question.tests)

        result = await asyncio.to_thread(run)
        self.send(protocol.CodeResult(**result.to_json()))
        # The run is a turn of its own, so the interviewer's next line answers it and the review shows it.
        await self.candidate_turn(f"(ran the code)\n{code}", {}, extra=turn_data(result))

    async def command(self, command: Command) -> None:
        engine = self.engine
        assert engine is not None
        async with self.lock:
            elapsed = self.elapsed()
            await self._reply(lambda on_delta: engine.respond(elapsed, command=command, on_delta=on_delta))

    async def _reply(self, produce: Callable[[Callable[[str], None]], Reply]) -> None:
        """Produce the interviewer's line in a worker thread, streaming deltas; store it, then send it."""
        assert self.engine is not None
        loop = asyncio.get_running_loop()
        index = len(self.engine.turns)
        deltas: asyncio.Queue[str | None] = asyncio.Queue()

        def on_delta(piece: str) -> None:
            loop.call_soon_threadsafe(deltas.put_nowait, piece)

        async def forward() -> None:
            while (piece := await deltas.get()) is not None:
                self.send(protocol.ReplyDelta(turn=index, text=piece))

        forwarder = asyncio.create_task(forward())
        try:
            reply = await asyncio.to_thread(produce, on_delta)
        finally:
            loop.call_soon_threadsafe(deltas.put_nowait, None)
            await forwarder
        data = reply.turn_data()
        t = round(self.elapsed(), 2)
        self.engine.turns[-1]["t"] = t
        await asyncio.to_thread(self.store.add_turn, self.row.id, "interviewer", reply.text, t, None, data)
        self.send(protocol.ReplyDone(turn=index, text=reply.text, action=reply.decision.action))
        if reply.ended:
            await self.finish()

    async def finish(self) -> None:
        """Score the session, store the scorecard, then tell the client."""
        if self.ended or self.engine is None:
            return
        self.ended = True
        self.listener.clear()
        card = await asyncio.to_thread(self._scorecard)
        await asyncio.to_thread(self.store.finish, self.row.id, card)
        self.send(protocol.Scorecard(**card))
        self.send(protocol.SessionEnded())

    def _scorecard(self) -> dict[str, Any]:
        assert self.engine is not None
        judge = self.services.models.judge(self.services.scorer())
        self.engine.scorer = self.engine.scorer or self.services.scorer()
        card: dict[str, Any] = self.engine.scorecard(judge).to_json()
        return card

    async def watchdog(self) -> None:
        """End the session by itself once the time box (plus a grace period) is long past."""
        limit = self.question.time_box * 60 + WATCHDOG_GRACE_SECONDS
        while not self.ended:
            await asyncio.sleep(min(5.0, max(0.5, limit - self.elapsed())))
            if self.elapsed() >= limit and not self.ended:
                async with self.lock:
                    await self.finish()

    async def close(self) -> None:
        """The connection is gone. Speech it had not yet committed becomes a turn (the reply waits for
        the reconnect) rather than being thrown away."""
        if not self.ended and self.engine is not None and self.listener.has_speech:
            try:
                await self.commit(reply=False)
            except Exception as exc:  # nothing to tell: the client has left
                log.warning("session %s: the unfinished answer was lost at disconnect: %s", self.row.id, exc)
        self.listener.clear()
