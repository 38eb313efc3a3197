#!/usr/bin/env bash
# Set up 支部台账 on a Debian machine: system libraries Qt needs, TrueType Chinese fonts,
# document tools used by the tests, a virtual environment with the package and test extras.
# Idempotent: re-running skips what is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

apt_pkgs=(
  # Qt offscreen / xcb runtime
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libxi6 xvfb xauth
  # TrueType Chinese fonts (reportlab cannot embed CFF/OTF outlines)
  fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fontconfig
  # tests: PDF inspection and a real .docx consumer
  poppler-utils libreoffice-writer-nogui
  # tests: kill -9 at chosen syscalls (fault injection)
  strace
  # tests: a throwaway PostgreSQL cluster (the server back end; tests/pgcluster.py), pg_dump
  postgresql postgresql-client
)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[setup] apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fc-cache -f >/dev/null 2>&1 || true
  fi
elif command -v apt-get >/dev/null 2>&1; then
  echo "[setup] not root: make sure these Debian packages are installed: ${apt_pkgs[*]}" >&2
fi

py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv"
  "$py" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "[setup] installing the package and test extras"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
