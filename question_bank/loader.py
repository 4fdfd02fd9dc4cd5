"""Load question files from the shipped bank and user folders, and cross-check them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from question_bank.errors import BankError, Problem, key_path, yaml_type_name
from question_bank.schema import Question, Round

SHIPPED_DIR = Path(__file__).resolve().parent / "questions"
SUFFIXES = (".yaml", ".yml")


# libyaml's parser is ~10x faster than the pure-Python one; the bank is parsed on every CLI start.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys, which PyYAML would silently overwrite."""


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Bank:
    """Every question by id, with the file each came from."""

    questions: dict[str, Question] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise BankError([Problem("bank", "", f"no question with id '{question_id}'")]) from None

    def by_round(self, round_: Round | None = None) -> list[Question]:
        items = self.questions.values()
        return sorted((q for q in items if round_ is None or q.round == round_), key=lambda q: (q.round, q.id))


def _parse_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BankError([Problem(path.name, "", "not UTF-8 text")]) from None
    except FileNotFoundError:
        raise BankError([Problem(str(path), "", "no such file or folder")]) from None
    except OSError as exc:
        raise BankError([Problem(str(path), "", f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise BankError([Problem(path.name, where, f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise BankError([Problem(path.name, "", f"invalid YAML: {exc}")]) from None


def _describe(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    expected = {
        "string_type": "a string",
        "list_type": "a list",
        "float_type": "a number",
        "int_type": "a whole number",
        "model_type": "a mapping",
        "dict_type": "a mapping",
    }.get(kind)
    if expected:
        return f"expected {expected}, got {yaml_type_name(value)}"
    if kind == "too_short" and isinstance(value, list):
        return f"{error['msg'].lower()}"
    if kind in {"literal_error", "string_pattern_mismatch"}:
        return f"{error['msg'].lower()}, got {value!r}"
    return str(error["msg"]).lower()


def parse_question(path: Path) -> Question:
    """Parse and validate one file; raises BankError listing every problem in it."""
    data = _parse_yaml(path)
    if not isinstance(data, dict):
        raise BankError([Problem(path.name, "", f"expected a mapping of keys, got {yaml_type_name(data)}")])
    try:
        question = Question.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(path.name, key_path(err["loc"]), _describe(err)) for err in exc.errors()]
        raise BankError(problems) from None
    problems = _check_references(path.name, question)
    if problems:
        raise BankError(problems)
    return question


def _check_references(name: str, question: Question) -> list[Problem]:
    problems: list[Problem] = []
    ids: set[str] = set()
    for i, milestone in enumerate(question.milestones):
        if milestone.id in ids:
            problems.append(Problem(name, f"milestones[{i}].id", f"duplicate milestone id '{milestone.id}'"))
        ids.add(milestone.id)
    for i, follow_up in enumerate(question.follow_ups):
        for j, after in enumerate(follow_up.after):
            if after not in ids:
                problems.append(
                    Problem(name, f"follow_ups[{i}].after[{j}]", f"no milestone '{after}' in this question")
                )
    for i, misconception in enumerate(question.misconceptions):
        if misconception.milestone is not None and misconception.milestone not in ids:
            where = f"misconceptions[{i}].milestone"
            problems.append(Problem(name, where, f"no milestone '{misconception.milestone}' in this question"))
    names: set[str] = set()
    for i, test in enumerate(question.tests):
        if test.name in names:
            problems.append(Problem(name, f"tests[{i}].name", f"duplicate test name '{test.name}'"))
        names.add(test.name)
    return problems


def question_files(root: Path) -> list[Path]:
    """The question files under a folder (recursively), or the file itself."""
    if not root.exists():
        raise BankError([Problem(str(root), "", "no such file or folder")])
    if root.is_file():
        return [root]
    files = sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    if not files:
        raise BankError([Problem(str(root), "", "no question files (*.yaml) in this folder")])
    return files


def load_paths(roots: Iterable[Path]) -> Bank:
    """Load every file under `roots`, collecting all problems before failing."""
    bank = Bank()
    problems: list[Problem] = []
    seen_files: set[Path] = set()
    for root in roots:
        try:
            files = question_files(root)
        except BankError as exc:
            problems.extend(exc.problems)
            continue
        for path in files:
            # A folder named twice (say, the shipped bank passed again) is one bank, not a clash.
            if path.resolve() in seen_files:
                continue
            seen_files.add(path.resolve())
            try:
                question = parse_question(path)
            except BankError as exc:
                problems.extend(exc.problems)
                continue
            if question.id in bank.questions:
                other = bank.sources[question.id]
                problems.append(Problem(path.name, "id", f"duplicate id '{question.id}' (also in {other})"))
                continue
            bank.questions[question.id] = question
            bank.sources[question.id] = path
    if problems:
        raise BankError(problems)
    return bank


def load_bank(extra: Sequence[str | Path] = ()) -> Bank:
    """The shipped bank plus user folders (from MOCKLOOP_BANK and --bank, resolved by the caller)."""
    return load_paths([SHIPPED_DIR, *(Path(p) for p in extra)])
