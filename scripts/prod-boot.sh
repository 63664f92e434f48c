#!/usr/bin/env bash
# The container's start command, run for real without Docker: the compiled service (plain `node`,
# no TypeScript loader) with NODE_ENV=production and every variable production requires, against
# DATABASE_URL (run it under scripts/with-postgres.sh) and the compiled sandboxes standing in for
# Procore and myCOI, as in docker-compose.yml's demo profile. Passes when /readyz answers 200, the
# web apps are served from their build, and SIGTERM stops the service cleanly (exit 0).
#
#   bash scripts/with-postgres.sh bash scripts/prod-boot.sh [app-dir]
#
# app-dir (default: the repository) is the tree to start from, e.g. one laid out like the
# Dockerfile's runtime stage (see .ci/run).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
app=${1:-$repo}
: "${DATABASE_URL:?run under scripts/with-postgres.sh (DATABASE_URL is required in production)}"
PORT=${PROBE_PORT:-3180}
PROCORE_PORT=$((PORT + 1))
MYCOI_PORT=$((PORT + 2))
logdir=$(mktemp -d /tmp/mycoi-prod-boot.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$logdir"
}
trap cleanup EXIT
fail() {
  echo "prod-boot: FAILED: $*"
  for f in "$logdir"/*.log; do echo "--- $(basename "$f") (last lines)"; tail -20 "$f"; done
  exit 1
}

wait_http() { # url, expected status, seconds
  local code=000
  for _ in $(seq 1 $(($3 * 4))); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true)
    [ "$code" = "$2" ] && return 0
    sleep 0.25
  done
  echo "$1 answered $code, expected $2" >&2
  return 1
}

cd "$app" || fail "no directory $app"
echo "prod-boot: node $(node -v), NODE_ENV=production, from $app"
[ -f apps/api/dist/main.js ] || fail "apps/api/dist/main.js is missing: run npm run build first"

node apps/api/dist/procore-sandbox.js --port "$PROCORE_PORT" >"$logdir/procore-sandbox.log" 2>&1 &
pids+=($!)
node apps/api/dist/mycoi-sandbox.js --port "$MYCOI_PORT" >"$logdir/mycoi-sandbox.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$PROCORE_PORT/_sandbox/state" 200 20 || fail "the compiled Procore sandbox did not start"
wait_http "http://127.0.0.1:$MYCOI_PORT/_sandbox/state" 200 20 || fail "the compiled myCOI sandbox did not start"

# Throwaway values for this probe only; a deployment supplies its own (see .env.example).
env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
  NODE_ENV=production HOST=127.0.0.1 PORT="$PORT" LOG_LEVEL=warn \
  PUBLIC_URL="http://127.0.0.1:$PORT" \
  DATABASE_URL="$DATABASE_URL" \
  ENCRYPTION_KEYS="probe:$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))")" \
  ENCRYPTION_ACTIVE_KEY=probe \
  SESSION_SECRET="$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))")" \
  PROCORE_LOGIN_URL="http://127.0.0.1:$PROCORE_PORT" PROCORE_API_URL="http://127.0.0.1:$PROCORE_PORT" \
  PROCORE_CLIENT_ID=demo-panel-client PROCORE_CLIENT_SECRET=demo-panel-secret \
  MYCOI_API_URL="http://127.0.0.1:$MYCOI_PORT" MYCOI_WEBHOOK_SECRET=prod-boot-probe-webhook-secret \
  SMTP_URL=smtp://127.0.0.1:2525 \
  node apps/api/dist/main.js >"$logdir/app.log" 2>&1 &
app_pid=$!
pids+=($app_pid)

wait_http "http://127.0.0.1:$PORT/readyz" 200 60 || fail "/readyz did not answer 200"
echo "prod-boot: /readyz 200 $(curl -s "http://127.0.0.1:$PORT/readyz")"
wait_http "http://127.0.0.1:$PORT/console/" 200 5 || fail "the console is not served from apps/console/dist"
wait_http "http://127.0.0.1:$PORT/panel/" 200 5 || fail "the side panel is not served from apps/side-panel/dist"
echo "prod-boot: /console/ 200, /panel/ 200"

kill -TERM "$app_pid"
for _ in $(seq 1 120); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.25; done
kill -0 "$app_pid" 2>/dev/null && fail "still running 30 s after SIGTERM"
wait "$app_pid"
rc=$?
[ "$rc" -eq 0 ] || fail "exited $rc after SIGTERM"
echo "prod-boot: stopped cleanly on SIGTERM (exit 0)"
