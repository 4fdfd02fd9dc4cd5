#!/usr/bin/env bash
# The one test command: installs everything the tests need, then lints, type-checks and runs every test.
# README's second command and .ci/run both call exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1
export LITELLM_LOCAL_MODEL_COST_MAP=True

# Debian packages the tests use: espeak-ng and sox make the speech that Whisper transcribes;
# chromium is the real browser the page tests drive (Playwright's own browser download is not used).
need_apt=()
for tool in espeak-ng:espeak-ng sox:sox chromium:chromium; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool##*:}")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== installing mockloop with its dev extra"
python3 -m pip install --quiet --editable ".[dev]"

echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== mypy"
python3 -m mypy

echo "== pytest"
python3 -m pytest "$@"
