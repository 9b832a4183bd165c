# Sourced by scripts/run and scripts/test: a private virtualenv with Dozor installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "dozor: creating a virtualenv in .venv" >&2
  python3 -m venv "$venv"
fi
stamp="$venv/.installed-$1"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
  echo "dozor: installing dependencies into .venv (first run only; log in .venv/pip.log)" >&2
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check -e "$root$2" >"$venv/pip.log" 2>&1; then
    tail -n 30 "$venv/pip.log" >&2
    echo "dozor: installing dependencies failed (full log: .venv/pip.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
