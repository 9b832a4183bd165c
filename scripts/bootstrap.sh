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
  echo "dozor: installing dependencies (once)" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root$2"
  touch "$stamp"
fi
