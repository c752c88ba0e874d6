#!/usr/bin/env bash
# Start a contest: sets up .venv on first use, then `quiz serve` (the bundled
# demo contest when no file is given). Extra arguments go to `quiz serve`.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import quiz.web, flask_socketio" 2>/dev/null; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e .
fi
exec .venv/bin/quiz serve "$@"
