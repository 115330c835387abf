#!/usr/bin/env bash
# What `make run` starts: the program's FastCGI workers on a unix socket and a private nginx
# in front (config generated from nginx.conf.example into build/run/nginx/), localhost
# login on. Ctrl-C or SIGTERM stops both, by their pids.
#
# The data folder is the program's own setting, found as the program finds it: --datadir
# among the flags, else TAGWATCH_DATADIR, TIMETAGGER_DATADIR, or the datadir line of the
# config file (--config or TAGWATCH_CONFIG); when none names one, ./data. The program
# makes a missing folder itself, with mode 0700.
#
# With TAGWATCH_DATABASE (a PostgreSQL connection string or postgresql:// URI) the data is
# in that database instead (README.md, "More than one machine").
#
# Usage: tools/dev-server.sh [program flags...]      (extra flags go to the program)
# Environment: PORT (8080), HOST (127.0.0.1), WORKERS (2), and the program's settings.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORT:-8080}
host=${HOST:-127.0.0.1}
workers=${WORKERS:-2}

datadir="" config=${TAGWATCH_CONFIG:-}
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --datadir=*) datadir=${args[i]#*=} ;;
    --datadir) datadir=${args[i + 1]-} ;;
    --config=*) config=${args[i]#*=} ;;
    --config) config=${args[i + 1]-} ;;
  esac
done
[ -n "$datadir" ] || datadir=${TAGWATCH_DATADIR:-${TIMETAGGER_DATADIR:-}}
if [ -z "$datadir" ] && [ -n "$config" ] && [ -r "$config" ]; then
  datadir=$(sed -nE 's/^[[:space:]]*[dD][aA][tT][aA][dD][iI][rR][[:space:]]*=[[:space:]]*//p' "$config" |
    tail -n 1 | sed -E 's/[[:space:]]+$//')
fi
default_datadir=""
if [ -z "$datadir" ]; then
  datadir=./data default_datadir=--datadir=./data
  # An earlier `make run` made it with the umask's mode (0755): it holds secrets.
  [ -d "$datadir" ] && chmod go= "$datadir"
fi
program=cgi-bin/tagwatch.fcgi
run=build/run
sock=$run/tagwatch.sock

[ -x "$program" ] || { echo "dev-server: $program is missing: run make first" >&2; exit 1; }
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "dev-server: nginx is missing: run make deps" >&2; exit 1; }
nginx_bin=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

mkdir -p "$run"
prog_pid="" nginx_pid=""

stop() {
  trap - INT TERM EXIT
  # nginx first, so no request reaches a program that is going away; each by its pid.
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then kill -QUIT "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$prog_pid" ] && kill -0 "$prog_pid" 2>/dev/null; then kill -TERM "$prog_pid" 2>/dev/null || true; fi
  for pid in $nginx_pid $prog_pid; do
    # Wait up to 5 s for a clean exit, then insist.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -f "$sock"
  echo "dev-server: stopped"
}
trap stop INT TERM EXIT

rm -f "$sock"
"$program" --socket "$sock" --workers "$workers" ${default_datadir:+"$default_datadir"} --localhost_login=true "$@" &
prog_pid=$!

# The program makes the socket when it is ready; nginx would answer 502 until then.
for _ in $(seq 100); do [ -S "$sock" ] && break; kill -0 "$prog_pid" 2>/dev/null || break; sleep 0.05; done
if ! kill -0 "$prog_pid" 2>/dev/null; then echo "dev-server: the program did not start (see above)" >&2; exit 1; fi
[ -S "$sock" ] || { echo "dev-server: no socket at $sock after 5 s" >&2; exit 1; }

conf=$(tools/nginx-private.sh --out "$run/nginx" --listen "$host:$port" --socket "unix:$sock" --daemon off)
"$nginx_bin" -p "$run/nginx" -c "$conf" -e "$(pwd)/$run/nginx/error.log" &
nginx_pid=$!

# Ready when the status path answers through nginx.
for _ in $(seq 100); do
  if curl -fsS "http://$host:$port/timetagger/status" >/dev/null 2>&1; then break; fi
  kill -0 "$nginx_pid" 2>/dev/null || { echo "dev-server: nginx did not start; see $run/nginx/error.log" >&2; exit 1; }
  sleep 0.05
done

echo
echo "tagwatch is running: http://$host:$port/timetagger/"
if [ -n "${TAGWATCH_DATABASE:-}" ]; then
  # The password, if any, stays out of the terminal.
  echo "(data in the PostgreSQL database $(printf '%s' "$TAGWATCH_DATABASE" | sed -E 's/(password *= *)[^ ]*/\1***/; s|(://[^:/@]*:)[^@]*@|\1***@|'); Ctrl-C stops it)"
else
  echo "(data in $datadir; Ctrl-C stops it)"
fi
echo

# Whichever ends first ends both.
wait -n "$prog_pid" "$nginx_pid" || true
