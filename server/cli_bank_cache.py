"""The parsed question bank kept as JSON in the data folder, for the drill's first prompt.

Parsing the bank's YAML costs about 0.15 s of that prompt; reading and validating this copy about 0.02 s. The
copy is used only while every bank file and every module of question_bank/ is as it was when it was written
(path, size and modification time), so an edited, added or removed question, or a new schema, is parsed again.
JSON, not pickle: the questions are validated again on the way in, and nothing in the file can run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import ValidationError

from question_bank.errors import BankError
from question_bank.loader import Bank, question_files
from question_bank.schema import Question

CACHE_NAME = "bank-cache.json"
PACKAGE = Path(__file__).resolve().parent.parent / "question_bank"


def fingerprint(roots: Iterable[Path]) -> str | None:
    """A digest of every bank file's path, size and modification time, and the bank code's; None when a
    root cannot be listed (the loader then reports why)."""
    digest = hashlib.sha256()
    try:
        files = [path for root in roots for path in question_files(root)] + sorted(PACKAGE.glob("*.py"))
        for path in files:
            stat = path.stat()
            digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except (BankError, OSError):
        return None
    return digest.hexdigest()


def cached_bank(roots: list[Path], folder: Path, load: Callable[[], Bank]) -> Bank:
    """The bank from `folder`'s copy when it is current, else `load()` (whose result is then copied)."""
    key = fingerprint(roots)
    if key is None:
        return load()
    file = folder / CACHE_NAME
    bank = _read(file, key)
    if bank is None:
        bank = load()
        _write(file, key, bank)
    return bank


def _read(file: Path, key: str) -> Bank | None:
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        if doc.get("key") != key:
            return None
        questions = {q["id"]: Question.model_validate(q) for q in doc["questions"]}
        sources = {qid: Path(path) for qid, path in doc["sources"].items()}
    except (OSError, ValueError, ValidationError, KeyError, TypeError, AttributeError):
        return None  # none yet, unreadable, or written by another version: parse the YAML instead
    return Bank(questions=questions, sources=sources)


def _write(file: Path, key: str, bank: Bank) -> None:
    doc = {
        "key": key,
        "questions": [q.model_dump(mode="json", by_alias=True) for q in bank.questions.values()],
        "sources": {qid: str(path) for qid, path in bank.sources.items()},
    }
    partial = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(doc), encoding="utf-8")
        partial.replace(file)  # whole or not at all, even with two drills starting at once
    except OSError:
        with contextlib.suppress(OSError):  # a read-only data folder: the bank is simply parsed each time
            partial.unlink(missing_ok=True)
