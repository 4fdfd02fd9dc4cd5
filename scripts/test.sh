#!/usr/bin/env bash
# The one test command: installs everything the tests need, then lints, type-checks and runs every test.
# README's second command and .ci/run both call exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1
export LITELLM_LOCAL_MODEL_COST_MAP=True

echo "== installing mockloop with its dev extra"
python3 -m pip install --quiet --editable ".[dev]"

echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== mypy"
python3 -m mypy

echo "== pytest"
python3 -m pytest "$@"
