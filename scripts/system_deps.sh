#!/usr/bin/env bash
# Check (and, as root, install) the Debian packages dachuan needs.
#   scripts/system_deps.sh run    -- what `make run` needs (fonts + Pango for WeasyPrint)
#   scripts/system_deps.sh test   -- additionally Chromium, PostgreSQL, poppler-utils
# Quiet when everything is already present.
set -euo pipefail

MODE="${1:-}"
case "$MODE" in
  run|test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

PYTHON="${PYTHON:-python3}"

# python3 -m venv must work (venv + ensurepip); on Debian that is python3-venv.
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "error: '$PYTHON -m venv' is not usable (modules venv/ensurepip missing)." >&2
  echo "       On Debian/Ubuntu install python3-venv; 请安装 python3-venv。" >&2
  exit 1
fi

packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
if [ "$MODE" = test ]; then
  packages+=(chromium postgresql poppler-utils)
fi

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing missing Debian packages / 正在安装缺少的系统软件包: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  exit 0
fi

{
  echo "error: missing Debian packages: ${missing[*]}"
  echo "错误：缺少以下系统软件包：${missing[*]}"
  echo
  echo "Install them with / 请运行以下命令安装："
  echo "  sudo apt-get install -y ${missing[*]}"
  echo
  echo "then re-run make. / 然后重新运行 make。"
} >&2
exit 1
