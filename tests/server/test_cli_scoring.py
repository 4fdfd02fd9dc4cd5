"""`mockloop score`, `review` and `export` on real files and a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from server.cli import main

TRANSCRIPT: dict[str, Any] = {
    "question_id": "mlf-l1-vs-l2",
    "turns": [
        {"speaker": "interviewer", "text": "How do L1 and L2 regularization differ?"},
        {
            "speaker": "candidate",
            "text": "L1 adds the sum of absolute weights to the loss and L2 adds the sum of "
            "squared weights. The kink at zero makes L1 push many weights to exactly zero, so it selects features.",
            "t": 4.0,
            "duration": 21.0,
        },
        {"speaker": "interviewer", "text": "And with correlated features?"},
        {
            "speaker": "candidate",
            "text": "Lasso keeps one of a correlated group and drops the rest, while ridge "
            "spreads the weight across them; elastic net mixes both penalties.",
            "t": 30.0,
            "duration": 12.5,
        },
    ],
}


@pytest.fixture
def transcript_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(TRANSCRIPT))
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_score_json_is_a_contract_scorecard(transcript_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = run_json(capsys, "score", str(transcript_file), "--json")
    assert isinstance(card, dict)
    assert card["question_id"] == "mlf-l1-vs-l2"
    assert card["scorer"] == "offline"
    assert {"score", "verdict", "milestones"} <= set(card)
    assert card["delivery"]["words_per_minute"] > 0
    assert card["delivery"]["longest_pause_seconds"] == pytest.approx(5.0)


def test_score_save_review_export_round_trip(
    transcript_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(transcript_file), "--save"]) == 0
    out = capsys.readouterr().out
    session_id = out.split("Saved as session ")[1].split()[0]
    listing = run_json(capsys, "review", "--json")
    assert isinstance(listing, list) and listing[0]["id"] == session_id
    shown = run_json(capsys, "review", session_id, "--json")
    assert isinstance(shown, dict) and shown["status"] == "ended"
    exported = tmp_path / "export.json"
    assert main(["export", session_id, "--format", "json", "-o", str(exported)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {exported}"
    doc = json.loads(exported.read_text())
    assert [t["text"] for t in doc["turns"]] == [t["text"] for t in TRANSCRIPT["turns"]]
    assert doc["turns"][1]["t"] == 4.0
    # An export is itself a transcript that scores to the same card.
    rescored = run_json(capsys, "score", str(exported), "--json")
    assert isinstance(rescored, dict) and rescored["score"] == doc["scorecard"]["score"]
    assert main(["export", session_id, "--format", "md"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("# L1 vs L2")
    for milestone in doc["scorecard"]["milestones"]:
        assert f"**{milestone['id']}**" in report
        for evidence in milestone["evidence"]:
            assert evidence["quote"] in report


def test_score_with_question_yaml(transcript_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from question_bank.loader import SHIPPED_DIR

    yaml_path = SHIPPED_DIR / "ml_fundamentals" / "mlf-l1-vs-l2.yaml"
    card = run_json(capsys, "score", str(transcript_file), "--question", str(yaml_path), "--json")
    assert isinstance(card, dict) and card["question_id"] == "mlf-l1-vs-l2"


def test_score_with_mocked_llm(
    transcript_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKLOOP_LLM_MOCK_RESPONSE", "not json at all")
    card = run_json(capsys, "score", str(transcript_file), "--model", "openai/gpt-4o-mini", "--json")
    assert isinstance(card, dict) and "fallback from llm:openai/gpt-4o-mini" in card["scorer"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "no such file"),
        ("{oops", [], "invalid JSON at line 1"),
        (
            json.dumps({"question_id": "mlf-l1-vs-l2", "turns": [{"speaker": "interviewer", "text": "Hi"}]}),
            [],
            "has no candidate turns",
        ),
        (json.dumps({"question_id": "nope", "turns": TRANSCRIPT["turns"]}), [], "no question with id 'nope'"),
        (json.dumps({"question_id": "x", "turns": [{"speaker": "judge", "text": "hi"}]}), [], "turns[0].speaker"),
        (json.dumps(TRANSCRIPT), ["--question", "missing.yaml"], "missing.yaml: no such file or folder"),
    ],
)
def test_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, args: list[str], message: str
) -> None:
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)
    assert main(["score", str(path), *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err


def test_review_unknown_session(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "deadbeef"]) == 1
    assert capsys.readouterr().err.strip() == "mockloop: no session with id 'deadbeef'"


def test_unopenable_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("MOCKLOOP_DATABASE_URL", f"sqlite:///{blocker}/sub/db.sqlite")
    assert main(["review"]) == 1
    assert capsys.readouterr().err.startswith("mockloop: cannot open the database")


def test_progress_sums_up_every_saved_session(transcript_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = run_json(capsys, "review", "--progress", "--json")
    assert isinstance(empty, dict) and empty["rounds"] == [] and len(empty["readiness"]) == 6
    card = run_json(capsys, "score", str(transcript_file), "--json")
    assert isinstance(card, dict)
    for _ in range(2):
        assert main(["score", str(transcript_file), "--save"]) == 0
    capsys.readouterr()
    report = run_json(capsys, "review", "--progress", "--json")
    assert isinstance(report, dict)
    score = card["score"]
    assert report["rounds"] == [
        {"round": "ml_fundamentals", "sessions": 2, "best": score, "latest": score, "recent_mean": score}
    ]
    fundamentals = next(c for c in report["readiness"] if "fundamentals" in c["checkpoint"])
    assert fundamentals["done"] == (1 if score >= 65 else 0)  # one distinct question, however often practised
    assert main(["review", "--progress"]) == 0
    table = capsys.readouterr().out
    assert "Scores per round" in table and "ml_fundamentals" in table and "Readiness" in table


def test_progress_takes_no_session_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "abc123", "--progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "mockloop review: --progress covers every session; leave out the session id (see 'mockloop review --help')"
    ]


def test_many_transcripts_score_in_one_call_one_line_each_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for i, question in enumerate(["mlf-l1-vs-l2", "code-two-sum", "mlf-l1-vs-l2"]):
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps({**TRANSCRIPT, "question_id": question}))
        paths.append(str(path))
    assert main(["score", *paths, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["question_id"] for line in lines] == ["mlf-l1-vs-l2", "code-two-sum", "mlf-l1-vs-l2"]


def test_a_batch_parses_the_bank_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parsing the ~70 question files costs ~0.2 s: per file, that alone was 100 s of a 500-transcript cohort.
    import question_bank.loader as loader

    calls = []
    real = loader.load_bank

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_bank", counting)
    paths = []
    for i in range(4):
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(TRANSCRIPT))
        paths.append(str(path))
    assert main(["score", *paths, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    assert len(calls) == 1


def test_a_bad_file_in_a_batch_is_reported_and_the_rest_are_scored(
    tmp_path: Path, transcript_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["score", str(transcript_file), str(broken), str(transcript_file), "--json"]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    (error,) = captured.err.splitlines()
    assert error.startswith("mockloop: ") and "broken.json" in error and "Traceback" not in captured.err


def test_hints_cost_points_by_the_stated_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from interviewers.scorecard import HINT_COST

    hinted = dict(TRANSCRIPT)
    hint = {
        "speaker": "interviewer",
        "text": "A nudge: think about gradients.",
        "decision": {"action": "hint", "target": "hint:0"},
    }
    none_left = {
        "speaker": "interviewer",
        "text": "Take your best shot.",
        "decision": {"action": "hint", "target": "hint:none"},
    }
    hinted["turns"] = [TRANSCRIPT["turns"][0], hint, none_left, *TRANSCRIPT["turns"][1:]]
    plain, with_hint = tmp_path / "plain.json", tmp_path / "hint.json"
    plain.write_text(json.dumps(TRANSCRIPT))
    with_hint.write_text(json.dumps(hinted))
    assert main(["score", str(plain), str(with_hint), "--json"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["hints_used"] == 0 and second["hints_used"] == 1
    assert second["score"] == pytest.approx(max(0.0, first["score"] - HINT_COST), abs=0.01)
