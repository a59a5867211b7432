# Sourced by scripts/test.sh (with `step` available); also runs on its own from the
# repository root: scripts/test.d/35-store.sh
#
# The store (bindings/store) and the service (bindings/server) against a real PostgreSQL: installs Debian's postgresql when
# missing, creates a throwaway cluster in a temporary folder owned by the `postgres` user,
# starts it on 127.0.0.1:${MOTCUA_PG_PORT:-55432} (trust auth), runs the store's tests with
# MOTCUA_TEST_POSTGRES set, and stops the cluster on the way out whatever happens.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run on its own, not sourced by scripts/test.sh
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

motcua_store() {
  local port="${MOTCUA_PG_PORT:-55432}"

  step "store: PostgreSQL server (Debian package)"
  if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
    if ! apt-cache policy postgresql 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      apt-get update
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  echo "using $bin"

  local dir
  dir="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
  chown postgres "$dir"
  # The trap runs in the sourcing shell too: stop the cluster and remove its folder.
  # shellcheck disable=SC2064
  trap "su postgres -c '$bin/pg_ctl -D $dir/data -m immediate stop' > /dev/null 2>&1 || true; rm -rf '$dir'" EXIT

  step "store: throwaway cluster on 127.0.0.1:$port"
  su postgres -c "$bin/initdb -D $dir/data -A trust -U postgres" > "$dir/initdb.log"
  su postgres -c "$bin/pg_ctl -D $dir/data -l $dir/server.log -w -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100' start"

  step "store and server: cargo test -p motcua-store -p motcua-server (SQLite and PostgreSQL)"
  MOTCUA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres" cargo test -p motcua-store -p motcua-server --locked

  su postgres -c "$bin/pg_ctl -D $dir/data -m fast stop" > /dev/null
  rm -rf "$dir"
  trap - EXIT
}
motcua_store
