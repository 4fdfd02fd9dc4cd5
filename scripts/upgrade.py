"""Move the dependencies forward on purpose: resolve to the newest releases, test them, keep them only if green.

pyproject.toml bounds every dependency from the version the suite last passed on to below its next minor
release. This script lifts the upper bounds, lets uv pick the newest releases, rewrites the bounds around
what it picked and runs the whole suite (scripts/test.sh, which builds a fresh environment from the new
lock). Green: the new pyproject.toml and uv.lock stay, and what moved is printed. Red: both are put back.

    bash scripts/upgrade.sh            # the same, from the shell
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "uv.lock"
# "name[extras]>=low,<high" as this project writes its bounds; pins (==) carry model weights and stay.
BOUNDED = re.compile(r'"(?P<name>[A-Za-z0-9_.-]+)(?P<extras>\[[^\]]*\])?>=(?P<low>[0-9][^,"]*),<(?P<high>[^"]+)"')


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:4])


def locked_versions() -> dict[str, str]:
    """Each package's locked version; where Pythons get different ones (numpy for 3.11 and 3.12+), the
    oldest, since a lower bound must hold for every Python the project supports."""
    lock = tomllib.loads(LOCK.read_text())
    found: dict[str, str] = {}
    for package in lock["package"]:
        name, version = _normal(package["name"]), package.get("version")
        if version and (name not in found or _release(version) < _release(found[name])):
            found[name] = version
    return found


def next_minor(version: str) -> str:
    """The first release nobody has tested: 0.0.50 -> 0.0.51, 2.1.9 -> 2.2, 0.28.1 -> 0.29."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:3]] + [0, 0]
    major, minor, patch = parts[:3]
    if major == 0 and minor == 0:
        return f"0.0.{patch + 1}"
    return f"{major}.{minor + 1}"


def rebound(text: str, versions: dict[str, str] | None) -> str:
    """Drop every upper bound (versions None), or bound each dependency around its locked version."""

    def one(match: re.Match[str]) -> str:
        name, extras = match["name"], match["extras"] or ""
        if versions is None:
            return f'"{name}{extras}>={match["low"]},<99999"'
        version = versions[_normal(name)]
        return f'"{name}{extras}>={version},<{next_minor(version)}"'

    return BOUNDED.sub(one, text)


def direct_names(text: str) -> list[str]:
    return [_normal(m["name"]) for m in BOUNDED.finditer(text)]


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def main() -> int:
    old_text, old_lock = PYPROJECT.read_text(), LOCK.read_text()
    before = locked_versions()
    try:
        PYPROJECT.write_text(rebound(old_text, None))
        run("uv", "lock", "--upgrade", "--quiet")
        after = locked_versions()
        PYPROJECT.write_text(rebound(old_text, after))
        run("uv", "lock", "--quiet")
        run("bash", "scripts/test.sh")
    except (subprocess.CalledProcessError, KeyboardInterrupt) as exc:
        PYPROJECT.write_text(old_text)
        LOCK.write_text(old_lock)
        print(f"upgrade abandoned ({exc}); pyproject.toml and uv.lock are as they were", file=sys.stderr)
        return 1
    moved = sorted(n for n in after if before.get(n) != after[n])
    direct = set(direct_names(old_text))
    print(f"the suite passed on the newest allowed releases; {len(moved)} packages moved:")
    for name in moved:
        mark = "direct" if name in direct else "indirect"
        print(f"  {name:32} {before.get(name, '(new)'):>14} -> {after[name]:<14} {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
