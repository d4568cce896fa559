#!/usr/bin/env bash
# Run the product on this machine: embedded SQLite under var/, demo data on first start,
# the background worker, and the web server on http://127.0.0.1:8000/ (README.md); PORT=8001 ./run.sh
# serves on another port.
set -euo pipefail
cd "$(dirname "$0")"
PORT="${PORT:-8000}"
case "$PORT" in
  ''|*[!0-9]*) echo "PORT 必须是端口号（数字），而不是：$PORT" >&2; exit 2 ;;
esac

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "安装依赖 …"
  .venv/bin/pip install -q --disable-pip-version-check -e .
  touch .venv/.installed
fi

export DEBUG="${DEBUG:-1}"
export GONGJIANG_DEMO="${GONGJIANG_DEMO:-1}"
DEMO_PASSWORD="${DEMO_PASSWORD:-Gongjiang@2026}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
# First start: 5,000 demo persons; later starts keep the data and only reset the demo accounts.
$PY manage.py seed_demo --persons 5000 --password "$DEMO_PASSWORD"

$PY manage.py worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "工匠平台已启动：http://127.0.0.1:$PORT/  （后台任务进程 $WORKER；按 Ctrl+C 停止）"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload
