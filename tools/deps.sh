#!/usr/bin/env bash
# Installs what tagwatch needs to build, run and test, only where it is missing:
# Debian packages (checked with dpkg-query, headers and commands alike) and the npm
# modules of package.json. A Node.js that is already installed is kept as it is.
# (postgresql: the tests run clusters of their own, on loopback ports; libpq-dev: the
# header of the client library the PostgreSQL engine loads; clang-format: make test checks
# the C++ layout.)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(g++ make pkg-config libfcgi-dev libfcgi-bin libsqlite3-dev sqlite3 rapidjson-dev libsodium-dev
      libcrypt-dev libboost-test-dev nginx-light spawn-fcgi apache2 libapache2-mod-fcgid chromium
      wrk poppler-utils curl ca-certificates systemd file python3 libpq-dev postgresql
      clang-format)
command -v node >/dev/null 2>&1 || want+=(nodejs)
command -v npm >/dev/null 2>&1 || want+=(npm)

missing=()
for p in "${want[@]}"; do
  # nginx may come from another flavour (nginx, nginx-full): a working binary is enough.
  if [ "$p" = nginx-light ] && command -v nginx >/dev/null 2>&1; then continue; fi
  if [ "$p" = nginx-light ] && [ -x /usr/sbin/nginx ]; then continue; fi
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "deps: missing packages (${missing[*]}) and not root: install them with apt-get" >&2; exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm modules for the browser tests (playwright-core drives Debian's chromium).
# A node_modules that is a link (a git worktree sharing the main checkout's) is left alone:
# npm ci would empty the folder it points to, under every other checkout using it.
if [ -f package.json ] && [ ! -L node_modules ]; then
  if [ ! -d node_modules ] || [ package.json -nt node_modules ] || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules ]; }; then
    echo "deps: npm install"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
    touch node_modules
  fi
fi
