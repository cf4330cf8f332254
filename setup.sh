#!/usr/bin/env bash
# Sets up .venv with flatliner and its pinned dependencies.
#   ./setup.sh          runtime (JAX backend)
#   ./setup.sh --dev    runtime + TensorFlow backend + test tools
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
lock=requirements/base.lock
if [ "${1:-}" = "--dev" ]; then
    lock=requirements/dev.lock
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . \
    2>&1 | grep -v -i "warning" || true
.venv/bin/python -c "import flatliner" || { echo "setup.sh: flatliner failed to import" >&2; exit 1; }
