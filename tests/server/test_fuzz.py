"""Property tests: hostile input to the WebSocket parser and the bank loader gives a clean error, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.errors import BankError
from question_bank.loader import parse_question
from server.protocol import ProtocolError, check_audio_frame, parse_text_frame

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
KNOWN = ["answer", "input.commit", "input.clear", "code", "hint", "session.end", "ping", "dance"]


@given(st.text(max_size=300))
def test_any_text_frame_parses_or_is_a_protocol_error(raw: str) -> None:
    try:
        parse_text_frame(raw)
    except ProtocolError as error:
        assert error.code and error.message


@given(st.sampled_from(KNOWN), st.dictionaries(st.sampled_from(["text", "language", "extra"]), json_values))
def test_typed_messages_with_any_fields(kind: str, fields: dict[str, object]) -> None:
    try:
        message = parse_text_frame(json.dumps({"type": kind, **fields}))
    except ProtocolError as error:
        assert error.event().wire()["type"] == "error"
    else:
        assert message.type == kind


@given(st.binary(max_size=40_000))
def test_any_binary_frame_is_accepted_or_rejected_cleanly(frame: bytes) -> None:
    try:
        check_audio_frame(frame)
    except ProtocolError as error:
        assert error.code in {"odd_length", "frame_too_long", "frame_too_large"}
    else:
        assert len(frame) % 2 == 0 and len(frame) <= 32_000


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(
    data=st.dictionaries(
        st.sampled_from(["id", "round", "title", "prompt", "milestones", "facts", "hints", "follow_ups", "tags", "x"]),
        json_values,
        max_size=8,
    )
)
def test_any_yaml_mapping_loads_or_names_the_problem(tmp_path: Path, data: dict[str, object]) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        parse_question(path)
    except BankError as error:
        assert all(str(problem).startswith("q.yaml") and "\n" not in str(problem) for problem in error.problems)


@given(st.text(max_size=200))
def test_any_text_file_loads_or_names_the_problem(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            parse_question(path)
        except BankError as error:
            assert error.problems
