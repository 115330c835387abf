#!/usr/bin/env bash
# Makes a private nginx configuration from nginx.conf.example, for `make run`, the API
# tests and the benchmarks: the example's http-level lines and server block with the
# placeholders filled in, wrapped in the main-context lines a private nginx needs (pid,
# error log and temp files under the output folder). The same file is what a person
# deploys, so what runs here is what is documented there.
#
# Usage: tools/nginx-private.sh --out DIR [options]      prints DIR/nginx.conf
#   --out DIR            folder for the config, pid, logs and temp files (made if missing)
#   --listen ADDR        nginx's listen address            (127.0.0.1:8080)
#   --socket ADDR        FastCGI address: unix:/path or host:port   (unix:build/run/tagwatch.sock)
#   --root DIR           folder holding www/               (the checkout)
#   --prefix P           path prefix, /.../               (/timetagger/)
#   --server-name NAME   server_name                      (localhost)
#   --daemon on|off      nginx detaches itself or not     (off: the caller keeps its pid)
#   --workers N          nginx worker processes           (1)
#   --login-burst N      burst of the login rate limit    (the example's)
#   --basic-auth FILE    turn on the example's basic-auth lines for the login method
#                        "webserver", with FILE as the htpasswd file
#   --access-log on|off  write DIR/access.log             (on)
#   --upstream "A B ..." several program instances (unix:/path or host:port each) behind
#                        the example's upstream tagwatch_hosts, instead of --socket
# Then: nginx -p DIR -c DIR/nginx.conf -e DIR/error.log
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

out="" listen=127.0.0.1:8080 socket="" root=$here prefix=/timetagger/ server_name=localhost
daemon=off workers=1 burst="" basic_auth="" access_log=on upstream=""
while [ $# -gt 0 ]; do
  opt=$1; val=${2-}
  case $opt in
    --*=*) val=${opt#*=}; opt=${opt%%=*}; shift ;;
    --*) [ $# -ge 2 ] || { echo "nginx-private: $opt needs a value" >&2; exit 2; }; shift 2 ;;
    *) echo "nginx-private: unknown argument $opt" >&2; exit 2 ;;
  esac
  case $opt in
    --out) out=$val ;;
    --listen) listen=$val ;;
    --socket) socket=$val ;;
    --root) root=$val ;;
    --prefix) prefix=$val ;;
    --server-name) server_name=$val ;;
    --daemon) daemon=$val ;;
    --workers) workers=$val ;;
    --login-burst) burst=$val ;;
    --basic-auth) basic_auth=$val ;;
    --access-log) access_log=$val ;;
    --upstream) upstream=$val ;;
    *) echo "nginx-private: unknown option $opt" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "nginx-private: --out DIR is required" >&2; exit 2; }
case $prefix in /*/|/) ;; *) echo "nginx-private: --prefix must start and end with /" >&2; exit 2 ;; esac
case $daemon in on|off) ;; *) echo "nginx-private: --daemon is on or off" >&2; exit 2 ;; esac

mkdir -p "$out/tmp"
out=$(cd "$out" && pwd)
root=$(cd "$root" && pwd)
[ -n "$socket" ] || socket=unix:$here/build/run/tagwatch.sock
# A relative unix socket path would be read relative to nginx's prefix: make it absolute.
case $socket in
  unix:/*) ;;
  unix:*) p=${socket#unix:}; socket=unix:$(cd "$(dirname "$p")" && pwd)/$(basename "$p") ;;
esac

# Text for the replacement side of sed (|, & and \ are special there).
esc() { printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'; }

sed_args=(
  -e "s|@LISTEN@|$(esc "$listen")|g"
  -e "s|@SERVER_NAME@|$(esc "$server_name")|g"
  -e "s|@ROOT@|$(esc "$root")|g"
  -e "s|@SOCKET@|$(esc "$socket")|g"
  -e "s|@PREFIX@|$(esc "$prefix")|g"
)
if [ -n "$burst" ]; then sed_args+=(-e "s|burst=[0-9]* |burst=$(esc "$burst") |"); fi
if [ -n "$basic_auth" ]; then
  basic_auth=$(cd "$(dirname "$basic_auth")" && pwd)/$(basename "$basic_auth")
  sed_args+=(
    -e "s|^\( *\)# \(auth_basic  *\"tagwatch\";\)|\1\2|"
    -e "s|^\( *\)# auth_basic_user_file .*;|\1auth_basic_user_file $(esc "$basic_auth");|"
    -e "s|^\( *\)# \(set \$tagwatch_user  *\$remote_user;\)|\1\2|"
  )
fi

sed "${sed_args[@]}" "$here/nginx.conf.example" >"$out/tagwatch.conf.tmp"
# Several instances: the example's upstream block, commented out there, with these servers.
if [ -n "$upstream" ]; then
  servers=""
  for s in $upstream; do servers+="    server $s max_fails=1 fail_timeout=10s;\n"; done
  awk -v servers="$servers" '
    /^# upstream tagwatch_hosts \{$/ {print "upstream tagwatch_hosts {"; printf "%s", servers; skip=1; next}
    skip && /^# \}$/ {print "}"; skip=0; next}
    skip {next}
    {print}' "$out/tagwatch.conf.tmp" | sed "s|fastcgi_pass $(esc "$socket");|fastcgi_pass tagwatch_hosts;|" \
    >"$out/tagwatch.conf.tmp2"
  mv "$out/tagwatch.conf.tmp2" "$out/tagwatch.conf.tmp"
fi
# With the prefix `/` the site is the whole server: drop the two blocks for paths outside it.
if [ "$prefix" = / ]; then
  # (Those two are the blocks for `/` without an alias: the redirect and the 404.)
  awk '/^    location (= )?\/ \{$/ {buf=$0; inblk=1; next}
       inblk {buf=buf "\n" $0; if (/^    \}$/) {inblk=0; if (buf ~ /alias/) print buf}; next}
       {print}' \
    "$out/tagwatch.conf.tmp" >"$out/tagwatch.conf.tmp2"
  mv "$out/tagwatch.conf.tmp2" "$out/tagwatch.conf.tmp"
fi
mv "$out/tagwatch.conf.tmp" "$out/tagwatch.conf"

user_line=""
# Started by root, nginx runs its workers as `nobody`, who cannot read a private checkout
# or connect to a root-owned socket: run them as the invoking user instead.
if [ "$(id -u)" = 0 ]; then user_line="user $(id -un) $(id -gn);"; fi
if [ "$access_log" = on ]; then access="access_log $out/access.log;"; else access="access_log off;"; fi
mime=/etc/nginx/mime.types
[ -f "$mime" ] || mime=/usr/share/nginx/mime.types

cat >"$out/nginx.conf" <<EOF
# Generated by tools/nginx-private.sh from nginx.conf.example; do not edit, regenerate.
$user_line
daemon $daemon;
worker_processes $workers;
pid $out/nginx.pid;
error_log $out/error.log warn;
events { worker_connections 1024; }
http {
    include $mime;
    default_type application/octet-stream;
    $access
    client_body_temp_path $out/tmp/body;
    fastcgi_temp_path $out/tmp/fastcgi;
    proxy_temp_path $out/tmp/proxy;
    uwsgi_temp_path $out/tmp/uwsgi;
    scgi_temp_path $out/tmp/scgi;
    include $out/tagwatch.conf;
}
EOF
echo "$out/nginx.conf"
