"""`pip install .` (the README's first command) ships every data file the code reads at run time:
the tests run on an editable install, which would hide a file left out of the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = [
    "question_bank/questions",
    "question_bank/loops.yaml",
    "interviewers/personas",
    "interviewers/scoring/offline_weights.json",
    "interviewers/scoring/rare_words.json",
    "interviewers/scoring/bank_vectors.npz",
    "question_bank/solutions",
    "web/templates",
    "web/static",
]


def uv() -> str:
    found = shutil.which("uv")
    assert found, "uv is a dev dependency and should be on PATH"
    return found


def test_the_wheel_carries_every_data_file(tmp_path: Path) -> None:
    # Build from a clean copy: an in-tree build/ folder would carry files from earlier builds.
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".venv", "out", ".*_cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    # uv builds through the same setuptools backend pip would; the test environment, made by uv, has no pip.
    subprocess.run(
        [uv(), "build", "--wheel", "--quiet", "--out-dir", str(tmp_path), str(source)], check=True, timeout=300
    )
    (wheel,) = tmp_path.glob("mockloop-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = set()
    for entry in DATA:
        path = ROOT / entry
        files = (
            [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        )
        assert files, entry
        wanted |= {p.relative_to(ROOT).as_posix() for p in files}
    assert sorted(wanted - shipped) == []


def test_the_lock_matches_pyproject() -> None:
    """The README's commands install from uv.lock; a dependency edited in pyproject.toml without relocking fails."""
    result = subprocess.run(
        [uv(), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_a_dependency_changed_without_relocking_is_caught(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text()
    relaxed, count = re.subn(r'"click>=[0-9.]+', '"click>=1.0', text)
    assert count == 1
    # Even a change that keeps the locked version allowed: the lock records the requirement, not just the result.
    # (Online: telling that the lock is stale means resolving again, which needs the index's metadata.)
    pyproject.write_text(relaxed)
    result = subprocess.run([uv(), "lock", "--check"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "needs to be updated" in result.stderr
