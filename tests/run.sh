#!/usr/bin/env bash
# Runs every test runner of tagwatch and ends with one line that sums them all:
# `N passed, N failed`. Each runner's full output goes to build/test-logs/<name>.log
# (TAGWATCH_TEST_LOGS names another folder) and is shown as it runs; the exit status is
# non-zero when anything failed.
#
# Usage: tests/run.sh [RUNNER...]    only the runners named (layers, format, unit, web, api,
#                                    api-fcgid, api-cgi, api-pg, admin, pg, deploy, browser); all
#                                    by default
set -uo pipefail
cd "$(dirname "$0")/.."
logs=${TAGWATCH_TEST_LOGS:-build/test-logs}
mkdir -p "$logs" build/artifacts build/tmp
total_pass=0; total_fail=0; summary=()
wanted=" $* "

for name in "$@"; do
  case $name in
    layers | format | unit | web | api | api-fcgid | api-cgi | api-pg | admin | pg | deploy | browser) ;;
    *) echo "run.sh: no runner '$name'" >&2; exit 2 ;;
  esac
done

# True when the runner named $1 is to run.
want() { [ "$wanted" = "  " ] || [[ $wanted == *" $1 "* ]]; }

add() { # name passed failed [note]
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  summary+=("$(printf '%-10s %5d passed, %d failed%s' "$1" "$2" "$3" "${4:+ ($4)}")")
}

# A tool that prints `NAME: N passed, N failed` (the include layering, tools/check-layers.sh;
# the C++ layout, tools/check-format.sh): its counts, one per source file.
run_check() { # name command...
  local name=$1 log=$logs/$1.log
  shift
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line p f
  line=$(grep -E "^$name: [0-9]+ passed" "$log" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  if [ "$rc" != 0 ] && [ "${f:-0}" = 0 ]; then f=1; fi
  add "$name" "${p:-0}" "${f:-0}"
}

# Boost.Test: counts come from its XML report.
run_unit() {
  local log=$logs/unit.log xml=$logs/unit-report.xml
  build/unit-tests --report_format=XML --report_level=detailed --report_sink="$xml" \
    --log_level=error 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -o 'test_cases_passed="[0-9]*"' "$xml" 2>/dev/null | head -1 | grep -o '[0-9]*' || echo 0)
  f=$(grep -o 'test_cases_failed="[0-9]*"' "$xml" 2>/dev/null | head -1 | grep -o '[0-9]*' || echo 0)
  a=$(grep -o 'test_cases_aborted="[0-9]*"' "$xml" 2>/dev/null | head -1 | grep -o '[0-9]*' || echo 0)
  f=$((f + a))
  # A crash before the report is written still counts as a failure.
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  add unit "${p:-0}" "$f"
}

# node --test: counts come from the TAP summary (`# pass N`, `# fail N`).
run_node() { # name dir [VAR=value ...: environment for this run]
  local name=$1 dir=$2 log=$logs/$1.log
  shift 2
  local files
  files=$(find "$dir" -name '*.test.mjs' 2>/dev/null | sort)
  if [ -z "$files" ]; then return; fi
  # shellcheck disable=SC2086
  env "$@" node --test --test-reporter=tap $files 2>&1 | tee "$log" | grep -E '^(not ok|# (pass|fail|tests))|^\s+not ok' || true
  local rc=${PIPESTATUS[0]}
  local p f s note=''
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  s=$(grep -E '^# skipped [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  if [ "$rc" != 0 ] && [ "${f:-0}" = 0 ]; then f=1; fi
  # A suite that skipped everything tested nothing: that is no success (no Chromium, no
  # Apache...). It counts as one failure, with the first skip's reason.
  if [ "${p:-0}" = 0 ] && [ "${s:-0}" != 0 ]; then
    note="all ${s} skipped: $(grep -m1 -o '# SKIP.*' "$log" | sed 's/^# SKIP *//')"
    [ "${f:-0}" = 0 ] && f=1
  elif [ "${p:-0}" = 0 ] && [ "${f:-0}" = 0 ]; then
    note="no test reported a result"
    f=1
  fi
  add "$name" "${p:-0}" "${f:-0}" "$note"
}

want layers && { echo "== layers (includes point down)"; run_check layers tools/check-layers.sh; }
want format && { echo "== format (clang-format)"; run_check format tools/check-format.sh; }
want unit && { echo "== unit (Boost.Test)"; run_unit; }
want web && { echo "== web (node)"; run_node web tests/web; }
want api && { echo "== api (nginx)"; run_node api tests/api; }
# The same API suite through a real Apache: mod_fcgid (apache.conf.example) and the shared
# hosting .htaccess with plain CGI. Tests of nginx itself are skipped there, saying why.
want api-fcgid && { echo "== api (Apache, mod_fcgid)"; run_node api-fcgid tests/api TAGWATCH_TEST_FRONTEND=fcgid; }
want api-cgi && { echo "== api (Apache, plain CGI)"; run_node api-cgi tests/api TAGWATCH_TEST_FRONTEND=htaccess-cgi; }
# The same API suite on the PostgreSQL engine: every server on a database of its own, in a
# cluster each test file starts on a loopback port (tests/lib/pg.mjs).
want api-pg && { echo "== api (PostgreSQL)"; run_node api-pg tests/api TAGWATCH_TEST_DATABASE=pg; }
want admin && { echo "== admin (tagwatch-admin)"; run_node admin tests/admin; }
want pg && { echo "== PostgreSQL (tagwatch-admin, failover, several hosts)"; run_node pg tests/pg; }
want deploy && { echo "== deploy (Apache, CGI, systemd)"; run_node deploy tests/deploy; }
want browser && { echo "== browser (chromium)"; run_node browser tests/browser; }

echo
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
