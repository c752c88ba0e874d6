#!/usr/bin/env bash
# Run every test: sets up .venv with the test extra, installs Debian's
# chromium for the browser tests when run as root on Debian, then lint,
# types and pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check quiz tests bench
.venv/bin/ruff format --check quiz tests bench
.venv/bin/mypy quiz
# Live socket tests run under eventlet (the default runtime) and one other mode.
export QUIZ_ASYNC_MODES=${QUIZ_ASYNC_MODES:-eventlet,threading}
exec .venv/bin/python -m pytest "$@"
