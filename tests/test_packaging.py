"""`pip install .` (the README's first command) ships every data file the code reads at run time:
the tests run on an editable install, which would hide a file left out of the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = [
    "question_bank/questions",
    "question_bank/loops.yaml",
    "interviewers/personas",
    "interviewers/scoring/offline_weights.json",
    "interviewers/scoring/rare_words.json",
    "web/templates",
    "web/static",
]


def test_the_wheel_carries_every_data_file(tmp_path: Path) -> None:
    # Build from a clean copy: an in-tree build/ folder would carry files from earlier builds.
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".venv", "out", ".*_cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(source)],
        check=True,
        timeout=300,
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
