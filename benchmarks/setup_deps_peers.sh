#!/usr/bin/env bash
# Peer tool for benchmarks/deps_vs_pip_audit.py, kept out of the project venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-deps-peers"
[ -x "$venv/bin/pip-audit" ] && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "pip-audit>=2.7,<3"
