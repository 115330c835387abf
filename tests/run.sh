#!/usr/bin/env bash
# Runs every test runner of tagwatch and ends with one line that sums them all:
# `N passed, N failed`. Each runner's full output goes to build/test-logs/<name>.log
# and is shown as it runs; the exit status is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/test-logs build/artifacts build/tmp
# The TimeTagger data folder the tests serve (read-only; tests copy it before writing).
export TAGWATCH_FIXTURE=${TAGWATCH_FIXTURE:-$PWD/tests/fixtures/timetagger-datadir}
total_pass=0; total_fail=0; summary=()

add() { # name passed failed
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  summary+=("$(printf '%-10s %5d passed, %d failed' "$1" "$2" "$3")")
}

# Boost.Test: counts come from its XML report.
run_unit() {
  local log=build/test-logs/unit.log xml=build/test-logs/unit-report.xml
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
  local name=$1 dir=$2 log=build/test-logs/$1.log
  shift 2
  local files
  files=$(find "$dir" -name '*.test.mjs' 2>/dev/null | sort)
  if [ -z "$files" ]; then return; fi
  # shellcheck disable=SC2086
  env "$@" node --test --test-reporter=tap $files 2>&1 | tee "$log" | grep -E '^(not ok|# (pass|fail|tests))|^\s+not ok' || true
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  if [ "$rc" != 0 ] && [ "${f:-0}" = 0 ]; then f=1; fi
  add "$name" "${p:-0}" "${f:-0}"
}

echo "== unit (Boost.Test)"; run_unit
echo "== web (node)";        run_node web tests/web
echo "== api (nginx)";       run_node api tests/api
# The same API suite through a real Apache: mod_fcgid (apache.conf.example) and the shared
# hosting .htaccess with plain CGI. Tests of nginx itself are skipped there, saying why.
echo "== api (Apache, mod_fcgid)";  run_node api-fcgid tests/api TAGWATCH_TEST_FRONTEND=fcgid
echo "== api (Apache, plain CGI)";  run_node api-cgi tests/api TAGWATCH_TEST_FRONTEND=htaccess-cgi
echo "== admin (tagwatch-admin)"; run_node admin tests/admin
echo "== deploy (Apache, CGI, systemd)"; run_node deploy tests/deploy
echo "== browser (chromium)"; run_node browser tests/browser

echo
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
