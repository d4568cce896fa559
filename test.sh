#!/usr/bin/env bash
# The whole test suite, as README.md says: lint, migrations, deploy checks, then every test
# (unit, scope, security, and Playwright browser tests in Debian's Chromium).
# Against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongjiang ./test.sh
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f .venv/.dev-installed ] || [ pyproject.toml -nt .venv/.dev-installed ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"
  touch .venv/.dev-installed
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "安装浏览器测试所需的 Debian chromium …"
    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "浏览器测试需要 Debian 的 chromium：sudo apt-get install chromium" >&2
    exit 1
  fi
fi
# The page-width tests measure real Chinese text: with no CJK font the browser draws boxes of
# another width than users see.
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ]; then
    echo "安装浏览器测试所需的中文字体（Debian fonts-noto-cjk）…"
    apt-get install -y -q fonts-noto-cjk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q fonts-noto-cjk >/dev/null; }
  else
    echo "浏览器测试需要中文字体：sudo apt-get install fonts-noto-cjk" >&2
    exit 1
  fi
fi
if [ ! -x /usr/bin/soffice ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "安装导出测试所需的 Debian LibreOffice Calc（无界面）…"
    apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null; }
  else
    echo "导出测试需要 Debian 的 LibreOffice Calc：sudo apt-get install libreoffice-calc-nogui" >&2
    exit 1
  fi
fi

export DEBUG=1
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run
echo "== check --deploy (production settings)"
DEBUG=0 \
  GONGJIANG_SECRET_KEY="ci-check-$(printf 'k%.0s' {1..60})-Xy7#Qp" \
  GONGJIANG_DATA_KEY="1:$(printf '%064x' 1)" \
  ALLOWED_HOSTS=gongjiang.lyg.gov.cn \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
echo "== pytest (${DATABASE_URL:-sqlite})"
.venv/bin/pytest -q "$@"
