"""The drill's parsed copy of the bank: the same questions as the YAML, and never stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from question_bank.loader import SHIPPED_DIR, Bank, load_bank
from server.cli_bank_cache import CACHE_NAME, cached_bank

SOURCE = SHIPPED_DIR / "coding" / "code-two-sum.yaml"


def extra_bank(tmp_path: Path, title: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8").replace("id: code-two-sum", "id: my-two-sum", 1)
    (folder / "my-two-sum.yaml").write_text(text.replace("Two numbers that add up to a target", title, 1))
    return folder


def load(roots: list[Path], folder: Path, calls: list[int]) -> Bank:
    def parse() -> Bank:
        calls.append(1)
        return load_bank(roots[1:])

    return cached_bank(roots, folder, parse)


def test_the_copy_holds_the_same_questions_and_is_used(tmp_path: Path) -> None:
    roots, calls = [SHIPPED_DIR, extra_bank(tmp_path, "Mine")], list[int]()
    first = load(roots, tmp_path / "data", calls)
    again = load(roots, tmp_path / "data", calls)
    assert calls == [1]  # parsed once, then read from the copy
    assert again.questions == first.questions == load_bank(roots[1:]).questions
    assert again.sources == first.sources


def test_an_edited_question_is_parsed_again(tmp_path: Path) -> None:
    roots, calls = [SHIPPED_DIR, extra_bank(tmp_path, "Mine")], list[int]()
    load(roots, tmp_path / "data", calls)
    extra_bank(tmp_path, "Mine, edited")
    file = roots[1] / "my-two-sum.yaml"
    os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 1_000_000))
    assert load(roots, tmp_path / "data", calls).get("my-two-sum").title == "Mine, edited"
    assert calls == [1, 1]


def test_a_damaged_or_unwritable_copy_only_costs_a_parse(tmp_path: Path) -> None:
    roots, calls = [SHIPPED_DIR], list[int]()
    data = tmp_path / "data"
    load(roots, data, calls)
    (data / CACHE_NAME).write_text('{"key": "', encoding="utf-8")
    assert "code-two-sum" in load(roots, data, calls).questions
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert "code-two-sum" in load(roots, blocked, calls).questions
    assert calls == [1, 1, 1]


def test_a_missing_folder_is_reported_by_the_loader(tmp_path: Path) -> None:
    from question_bank.errors import BankError

    with pytest.raises(BankError, match="no such file or folder"):
        cached_bank([SHIPPED_DIR, tmp_path / "nowhere"], tmp_path, lambda: load_bank([tmp_path / "nowhere"]))
