# A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a Unix socket
# only (no TCP port to collide with), stopped and removed when the calling shell exits.
# Source this file, then call postgres_start; it sets POSTGRES_URL.

postgres_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed: run scripts/setup --test" >&2
    return 1
  fi
  PG_TMP=$(mktemp -d /tmp/gremium-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the server as Debian's postgres user.
    chown postgres "$PG_TMP"
    as=(runuser -u postgres --)
  fi
  trap postgres_stop EXIT
  "${as[@]}" "$bin/initdb" -D "$PG_TMP/data" -U gremium --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_TMP/initdb.log"
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w \
    -o "-k $PG_TMP -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
  POSTGRES_URL="postgres://gremium@$(printf %s "$PG_TMP" | sed 's|/|%2F|g')/gremium"
  export POSTGRES_URL PG_TMP PG_BIN="$bin" PG_AS="${as[*]}"
}

postgres_stop() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ]; then
    $PG_AS "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
