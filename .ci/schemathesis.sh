#!/usr/bin/env bash
# Schemathesis against the subscription example: its exported OpenAPI document
# (openapi/subscription.openapi.json) and its generated server, running on loopback.
# Every check schemathesis has (no server errors, status codes, content types, response
# headers and bodies conform to the document, invalid data rejected, auth enforced, ...),
# bounded in examples per operation and in time.
#
#   bash .ci/schemathesis.sh            # SCHEMATHESIS_MAX_EXAMPLES, SCHEMATHESIS_MAX_TIME
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

SCHEMATHESIS_VERSION=4.32.5
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-50}"
max_time="${SCHEMATHESIS_MAX_TIME:-90}"

venv="$root/.tools/schemathesis"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet -p subscription-service
server_bin="${CARGO_TARGET_DIR:-$root/target}/debug/subscription-service"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
key="sk_schemathesis_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
work="$(mktemp -d)"
SUBSCRIPTION_ADDR="127.0.0.1:$port" SERVICE_API_KEY="$key" "$server_bin" >"$work/server.log" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_server EXIT

for _ in $(seq 100); do
  grep -q "listening" "$work/server.log" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "listening" "$work/server.log"; then
  echo "subscription-service did not start on 127.0.0.1:$port" >&2
  cat "$work/server.log" >&2
  exit 1
fi

# `timeout` bounds the wall clock even if a phase overruns --max-time; the fixed seed makes
# a failure reproducible. Run from the scratch folder: nothing is left in the work tree.
cd "$work"
timeout --kill-after=10 "$((max_time + 120))" \
  "$venv/bin/schemathesis" --config-file "$root/.ci/schemathesis.toml" \
  run "$root/openapi/subscription.openapi.json" \
  --url "http://127.0.0.1:$port" \
  --header "x-api-key: $key" \
  --header "x-service-name: session" \
  --checks all \
  --max-examples "$max_examples" \
  --max-time "$max_time" \
  --request-timeout 10 \
  --seed 1 \
  --generation-database none
