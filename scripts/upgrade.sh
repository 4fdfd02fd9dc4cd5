#!/usr/bin/env bash
# Re-resolve to the newest releases, run the whole suite on them, keep the new lock only when it passes.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/upgrade.py "$@"
