#!/usr/bin/env bash
# The Python SDK's tests (sdk/python) against a real server on a fresh PostgreSQL database: makes the
# virtual environment if missing, installs the package with its test and framework extras, and runs
# pytest under scripts/with-server.mjs. Needs the production build (`next build`, which scripts/test.mjs
# runs first) and PostgreSQL at TEST_DATABASE_URL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
VENV=sdk/python/.venv
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "scripts/test-python.sh: needs Python 3.10 or later as $PY (set PYTHON to another)" >&2
  exit 1
fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"

# Reinstall only when the package's metadata changed (the install is editable: code changes need none).
stamp="$VENV/.countersign-installed"
want="$(sha256sum sdk/python/pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # On machines whose pip reads a partial mirror, ../shared/wheels holds the wheels it lacks (and the
  # public index does not answer, so no retries). Where the real PyPI is reachable, nothing of it is used.
  if [ -d ../shared/wheels ]; then
    # Settings in the environment reach the pip that builds the package in isolation too; flags would not.
    export PIP_FIND_LINKS="${PIP_FIND_LINKS:-} $(cd ../shared/wheels && pwd)" PIP_RETRIES=0 PIP_TIMEOUT=5 PIP_DEFAULT_TIMEOUT=5
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "sdk/python[test,langgraph,openai-agents]"
  echo "$want" > "$stamp"
fi

# The callback tests run a receiver on loopback, which the server refuses to call unless allowed.
export COUNTERSIGN_WEBHOOK_ALLOW=127.0.0.1
# COUNTERSIGN_TEST_PORT pins the server's port (else a free one).
server=()
[ -z "${COUNTERSIGN_TEST_PORT:-}" ] || server=(--port "$COUNTERSIGN_TEST_PORT")
exec node scripts/with-server.mjs ${server[@]+"${server[@]}"} -- "$VENV/bin/python" -m pytest sdk/python "$@"
