# Sourced by scripts/test.sh (with `step` available); also runs on its own from the
# repository root: scripts/test.d/37-server-api.sh
#
# schemathesis (PyPI) against the service's OpenAPI document, served by the real binary on
# a temporary SQLite file: no 5xx, every response in its documented shape, every error
# coded. Calls are made as a citizen and as the ward's one-stop officer.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

motcua_server_api() {
  local pinned="4.32.5"
  step "server: schemathesis $pinned (PyPI)"
  if [ "$(python3 -m pip show schemathesis 2>/dev/null | sed -n 's/^Version: //p')" != "$pinned" ]; then
    python3 -m pip install --quiet "schemathesis==$pinned"
  fi

  step "server: the binary on a temporary SQLite file"
  cargo build --quiet --locked -p motcua-server
  local dir port pid
  dir="$(mktemp -d /tmp/motcua-st.XXXXXX)"
  port="${MOTCUA_ST_PORT:-18181}"
  ./target/debug/motcua-server --database "$dir/st.db" --listen "127.0.0.1:$port" --timer-seconds 0 \
    --rate 100000 > "$dir/server.log" 2>&1 &
  pid=$!
  # shellcheck disable=SC2064
  trap "kill $pid 2>/dev/null || true; rm -rf '$dir'" EXIT
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break
    sleep 0.1
  done
  local officer citizen
  officer="$(curl -fsS -X POST "http://127.0.0.1:$port/dev/token" -H 'content-type: application/json' \
    -d '{"sub":"st-officer","role":"one_stop_officer","agency":"commune_committee","unit":"00004"}' \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')"
  citizen="$(curl -fsS -X POST "http://127.0.0.1:$port/dev/token" -H 'content-type: application/json' \
    -d '{"sub":"st-citizen","role":"citizen"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')"

  local who token
  for who in officer citizen; do
    if [ "$who" = officer ]; then token="$officer"; else token="$citizen"; fi
    step "server: schemathesis as the $who (no 5xx, shapes, coded errors)"
    schemathesis run "http://127.0.0.1:$port/openapi.json" \
      --header "Authorization: Bearer $token" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --max-examples "${MOTCUA_ST_EXAMPLES:-25}" --seed 7 --no-color \
      --exclude-path /dev/token
  done
  python3 - "$dir/server.log" <<'PY'
import sys
log = open(sys.argv[1], encoding="utf-8").read()
assert "panicked" not in log, "the server panicked:\n" + log[-4000:]
PY
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  trap - EXIT
}
motcua_server_api
