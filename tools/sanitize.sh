#!/usr/bin/env bash
# `make sanitize`: the unit tests and the API tests (on both engines) against a build with AddressSanitizer
# and UndefinedBehaviorSanitizer. The sanitizers need a dynamically linked program, so this
# builds a copy of the tree in build/sanitize/ (the normal build is left alone) and links
# its program there. Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=build/sanitize/tree
logs=$root/build/sanitize/logs
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

mkdir -p "$tree"
# The sources as they are now, committed or not; never build/, data/ or node_modules/.
tar --exclude=./build --exclude=./data --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$tree" -xf -
ln -sfn "$root/node_modules" "$tree/node_modules"
cd "$tree"
make -j2 CXX="g++ $san" build/unit-tests build/obj/main.o build/libtagwatch.a build/examples/custom_login build/tagwatch-admin >/dev/null
mkdir -p cgi-bin
g++ $san -o cgi-bin/tagwatch.fcgi build/obj/main.o build/libtagwatch.a -lfcgi -lsqlite3 -lsodium -lcrypt

rm -rf "$logs" && mkdir -p "$logs"
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1"
status=0
echo "== unit tests (ASan, UBSan, LSan)"
build/unit-tests --log_level=error || status=1
echo "== API tests through nginx against the sanitized program"
# Worker processes end by signal-free exits; leaks are only checked in the unit tests.
ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=0" node --test --test-reporter=dot tests/api/ || status=1
echo "== the same API tests on the PostgreSQL engine"
ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=0" TAGWATCH_TEST_DATABASE=pg \
  node --test --test-reporter=dot tests/api/ || status=1
if compgen -G "$logs/*" >/dev/null; then
  echo "sanitizer reports:"; cat "$logs"/*; status=1
else
  echo "no sanitizer reports"
fi
exit $status
