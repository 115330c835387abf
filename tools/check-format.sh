#!/usr/bin/env bash
# The layout check of `make test`: every C++ file of the tree (src/, tests/unit/, examples/,
# bench/) must be as clang-format lays it out with the repository's .clang-format. One count
# per file, summed as `format: N passed, N failed`.
#
# Usage: tools/check-format.sh          check
#        tools/check-format.sh --fix    rewrite the files that differ (make format)
set -uo pipefail
cd "$(dirname "$0")/.."
fix=false
[ "${1:-}" = --fix ] && fix=true
if ! command -v clang-format >/dev/null 2>&1; then
  echo "format: clang-format is missing (make deps installs it)"
  echo "format: 0 passed, 1 failed"
  exit 1
fi
passed=0 failed=0
while IFS= read -r file; do
  if clang-format --dry-run -Werror "$file" >/dev/null 2>&1; then
    passed=$((passed + 1))
  elif $fix; then
    clang-format -i "$file" && echo "$file: laid out anew" && passed=$((passed + 1))
  else
    echo "$file: differs from clang-format's layout (make format rewrites it)"
    failed=$((failed + 1))
  fi
done < <(find src tests/unit examples bench -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.c' -o -name '*.h' \) | sort)
echo "format: $passed passed, $failed failed"
[ "$failed" = 0 ]
