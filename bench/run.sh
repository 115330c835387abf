#!/usr/bin/env bash
# `make bench`: builds the do-nothing FastCGI responder (bench/noop.c) and runs the
# benchmarks of docs/design.md "Speed" (bench/run.mjs), which print one table with ratios
# against nginx serving a static file and against that responder. Needs wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)" >&2; exit 1; }
[ -x cgi-bin/tagwatch.fcgi ] || { echo "bench: cgi-bin/tagwatch.fcgi is missing (make)" >&2; exit 1; }
mkdir -p build/bench
if [ ! -x build/bench/noop ] || [ bench/noop.c -nt build/bench/noop ]; then
  ${CC:-cc} -O2 -Wall -Wextra -Werror -o build/bench/noop bench/noop.c -lfcgi
fi
exec node bench/run.mjs "$@"
