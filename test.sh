#!/usr/bin/env bash
# Run every test: sets up .venv with the test extra, installs Debian's
# chromium for the browser tests and redis-server for the --workers tests
# when run as root on Debian, then lint,
# types and pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
if { ! command -v chromium >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1; } \
  && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium redis-server >/dev/null
fi
.venv/bin/ruff check quiz tests bench
.venv/bin/ruff format --check quiz tests bench
.venv/bin/mypy quiz
# The layers (web above live and files, above the pure rules), pyproject.toml.
.venv/bin/lint-imports
# Live socket tests run under eventlet (the default runtime) and one other mode.
status=0
QUIZ_ASYNC_MODES=${QUIZ_ASYNC_MODES:-eventlet,threading} .venv/bin/python -m pytest "$@" || status=$?
# The workers pass (docs/scale.md "Testing with several processes"): the secrecy,
# hostile-input, crash, storm, reconnect and connection-flood tests again,
# against `quiz serve --workers 2` (one authority, two edges, a private
# redis-server), eventlet only, with fewer crashes (the same assertions). On a
# whole run (no arguments, or only -q, as CI runs it) or with WORKERS_PASS=1;
# WORKERS_PASS=full adds the fairness and PIN-throttling suites, which pass
# alone under --workers 2 but not yet reliably after the whole run (scale.md).
whole=0
if [ $# -eq 0 ] || { [ $# -eq 1 ] && [ "$1" = -q ]; }; then whole=1; fi
if [ "$whole" = 1 ] || [ "${WORKERS_PASS:-0}" != 0 ]; then
  if command -v redis-server >/dev/null 2>&1 || [ -n "${CI:-}" ]; then
    extra=()
    if [ "${WORKERS_PASS:-0}" = full ]; then
      extra=(tests/live/test_fairness.py tests/live/test_security_access.py)
    fi
    QUIZ_WORKERS=2 QUIZ_ASYNC_MODES=eventlet QUIZ_FAIR_TRIALS=100 QUIZ_CRASHES=8 \
      .venv/bin/python -m pytest -q \
      tests/live/test_secrecy_live.py tests/live/test_hostile.py \
      tests/live/test_fault_crash.py tests/live/test_fault_storm.py \
      tests/live/test_security_dos.py tests/live/test_crash.py \
      tests/live/test_reconnect.py "${extra[@]}" || status=$?
  else
    echo "workers pass skipped: no redis-server (apt install redis-server)" >&2
  fi
fi
exit $status
