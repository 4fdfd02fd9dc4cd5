"""Sessions and their turns, stored with SQLModel (SQLite by default, any SQLAlchemy URL otherwise).

Every turn is committed on its own as soon as it exists, so a crash loses nothing that was said.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

from server.text import readable, readable_data, redact


class StorageError(Exception):
    """The database cannot be opened or written; the message is one line for the user."""


class NotFound(StorageError):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionRow(SQLModel, table=True):
    __tablename__ = "sessions"

    id: str = Field(primary_key=True)
    token_hash: str
    question_id: str = Field(index=True)
    round: str = Field(index=True)
    persona: str | None = None
    status: str = Field(default="live", index=True)  # live | ended
    source: str = "drill"  # drill | web | import
    created_at: datetime = Field(default_factory=_now, index=True)
    updated_at: datetime = Field(default_factory=_now)
    ended_at: datetime | None = None
    scorecard_json: str | None = None
    meta_json: str = "{}"

    @property
    def scorecard(self) -> dict[str, Any] | None:
        return readable_data(json.loads(self.scorecard_json)) if self.scorecard_json else None

    @property
    def meta(self) -> dict[str, Any]:
        value: dict[str, Any] = readable_data(json.loads(self.meta_json or "{}"))
        return value

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.token_hash, hash_token(token))


ADD_TURN_ATTEMPTS = 5


class TurnRow(SQLModel, table=True):
    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("session_id", "idx"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="sessions.id", index=True)
    idx: int
    speaker: str
    text: str
    t: float | None = None
    duration: float | None = None
    data_json: str = "{}"
    created_at: datetime = Field(default_factory=_now)

    def to_turn(self) -> dict[str, Any]:
        """The turn as in shared/CONTRACTS.md §2, plus whatever the engine recorded with it."""
        turn: dict[str, Any] = {"speaker": self.speaker, "text": readable(self.text)}
        if self.t is not None:
            turn["t"] = self.t
        if self.duration is not None:
            turn["duration"] = self.duration
        turn.update(readable_data(json.loads(self.data_json or "{}")))
        return turn


class SchemaVersion(SQLModel, table=True):
    """One row: the schema version this database is at. Migrations run in order up to SCHEMA_VERSION."""

    __tablename__ = "schema_version"

    id: int = Field(default=1, primary_key=True)
    version: int


SCHEMA_VERSION = 1
# version -> statements that bring a database from version - 1 up to it (none yet: version 1 is the first).
MIGRATIONS: dict[int, list[str]] = {}


def _migrate(engine: Any) -> None:
    """Create missing tables, then apply the migrations an older database lacks, keeping its sessions."""
    from sqlalchemy import text

    SQLModel.metadata.create_all(engine)
    with Session(engine) as db:
        row = db.get(SchemaVersion, 1)
        current = row.version if row else SCHEMA_VERSION
        if current > SCHEMA_VERSION:
            raise StorageError(
                f"the database is at schema version {current}, newer than this mockloop "
                f"({SCHEMA_VERSION}); upgrade mockloop"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS.get(version, []):
                db.exec(text(statement))  # type: ignore[call-overload]
        db.merge(SchemaVersion(id=1, version=SCHEMA_VERSION))
        db.commit()


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != "sqlite:///:memory:":
        return Path(url[len(prefix) :])
    return None


class Store:
    """The database behind sessions; one per process, shared by requests."""

    def __init__(self, url: str) -> None:
        self.url = url
        file = _sqlite_file(url)
        try:
            if file is not None:
                file.parent.mkdir(parents=True, exist_ok=True)
            connect_args: dict[str, Any] = {}
            if url.startswith("sqlite"):
                connect_args = {"check_same_thread": False, "timeout": 30}
            elif url.startswith("postgresql") and "connect_timeout" not in url:
                connect_args = {"connect_timeout": 5}  # an unreachable host fails a request, not hangs it
            self.engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
            if url.startswith("sqlite"):
                from sqlalchemy import event

                event.listen(self.engine, "connect", _sqlite_pragmas)
            _migrate(self.engine)
        except (SQLAlchemyError, OSError, ValueError, ImportError) as exc:
            raise StorageError(f"cannot open the database {redact(url)}: {_first_line(exc)}") from None

    def close(self) -> None:
        """Close pooled connections (at shutdown)."""
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def _db(self, doing: str) -> Iterator[Session]:
        """A session whose database failures become one-line StorageErrors (the API answers 503)."""
        try:
            with self.session() as db:
                yield db
        except SQLAlchemyError as exc:
            raise StorageError(f"the database is unavailable: cannot {doing}: {_first_line(exc)}") from None

    def ping(self) -> None:
        """Raise StorageError unless the database answers a trivial query now."""
        from sqlalchemy import text

        with self._db("reach it") as db:
            db.exec(text("SELECT 1"))  # type: ignore[call-overload]

    def create_session(
        self,
        question_id: str,
        round_: str,
        persona: str | None = None,
        source: str = "drill",
        meta: dict[str, Any] | None = None,
    ) -> tuple[SessionRow, str]:
        """A new session and its bearer token (only the token's hash is stored)."""
        token = secrets.token_urlsafe(24)
        row = SessionRow(
            id=secrets.token_hex(6),
            token_hash=hash_token(token),
            question_id=question_id,
            round=round_,
            persona=persona,
            source=source,
            meta_json=json.dumps(meta or {}),
        )
        with self._db("create the session") as db:
            db.add(row)
            db.commit()
        return row, token

    def add_turn(
        self,
        session_id: str,
        speaker: str,
        text: str,
        t: float | None = None,
        duration: float | None = None,
        data: dict[str, Any] | None = None,
    ) -> TurnRow:
        """Append a turn and commit it before returning.

        Another process may append to the same session between reading the last index and writing the
        next (two workers, two sockets): the unique (session, index) pair refuses the second, which then
        takes the next index; that is a race, not an outage.
        """
        for attempt in range(ADD_TURN_ATTEMPTS):
            try:
                with self.session() as db:
                    return self._append(db, session_id, speaker, text, t, duration, data)
            except IntegrityError:
                if attempt == ADD_TURN_ATTEMPTS - 1:
                    raise StorageError("cannot save the turn: the session is being written elsewhere") from None
            except SQLAlchemyError as exc:
                raise StorageError(f"the database is unavailable: cannot save the turn: {_first_line(exc)}") from None
        raise AssertionError("unreachable")

    @staticmethod
    def _append(
        db: Session,
        session_id: str,
        speaker: str,
        text: str,
        t: float | None,
        duration: float | None,
        data: dict[str, Any] | None,
    ) -> TurnRow:
        last = db.exec(
            select(TurnRow.idx).where(TurnRow.session_id == session_id).order_by(col(TurnRow.idx).desc())
        ).first()
        row = TurnRow(
            session_id=session_id,
            idx=0 if last is None else last + 1,
            speaker=speaker,
            text=text,
            t=t,
            duration=duration,
            data_json=json.dumps(data or {}),
        )
        db.add(row)
        parent = db.get(SessionRow, session_id)
        if parent is not None:
            parent.updated_at = _now()
            db.add(parent)
        db.commit()
        return row

    def get(self, session_id: str) -> SessionRow:
        with self._db("read the session") as db:
            row = db.get(SessionRow, session_id)
        if row is None:
            raise NotFound(f"no session with id '{session_id}'")
        return row

    def authorized(self, session_id: str, token: str | None) -> SessionRow | None:
        """The session if `token` is its token; None otherwise (also when the session does not exist)."""
        try:
            row = self.get(session_id)
        except NotFound:
            return None
        return row if token and row.token_matches(token) else None

    def authorized_many(self, tokens: dict[str, str]) -> list[SessionRow]:
        """The sessions among these whose token matches (session id -> token), in one query."""
        if not tokens:
            return []
        with self._db("read the sessions") as db:
            rows = list(db.exec(select(SessionRow).where(col(SessionRow.id).in_(list(tokens)))))
        return [row for row in rows if row.token_matches(tokens[row.id])]

    def turns(self, session_id: str) -> list[TurnRow]:
        with self._db("read the turns") as db:
            return list(db.exec(select(TurnRow).where(TurnRow.session_id == session_id).order_by(col(TurnRow.idx))))

    def update_turn_data(self, session_id: str, idx: int, values: dict[str, Any]) -> None:
        """Add `values` to what is stored with turn `idx` (what of a spoken reply the candidate heard)."""
        with self._db("save the turn") as db:
            query = select(TurnRow).where(TurnRow.session_id == session_id, col(TurnRow.idx) == idx)
            row = db.exec(query).one()
            row.data_json = json.dumps({**json.loads(row.data_json or "{}"), **values})
            db.add(row)
            db.commit()

    def list_sessions(self, limit: int = 200) -> list[SessionRow]:
        with self._db("list the sessions") as db:
            query = select(SessionRow).order_by(col(SessionRow.created_at).desc()).limit(limit)
            return list(db.exec(query))

    def finish(self, session_id: str, scorecard: dict[str, Any] | None) -> SessionRow:
        """Mark a session ended and store its scorecard."""
        with self._db("save the scorecard") as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                raise NotFound(f"no session with id '{session_id}'")
            row.status = "ended"
            row.ended_at = row.updated_at = _now()
            row.scorecard_json = json.dumps(scorecard) if scorecard is not None else None
            db.add(row)
            db.commit()
            return row

    def update_meta(self, session_id: str, **values: Any) -> None:
        with self._db("save the session") as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                raise NotFound(f"no session with id '{session_id}'")
            row.meta_json = json.dumps({**row.meta, **values})
            db.add(row)
            db.commit()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets readers (review pages) proceed while a turn is being written; foreign keys are off by default.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _first_line(exc: BaseException) -> str:
    text = redact(str(getattr(exc, "orig", None) or exc))
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
