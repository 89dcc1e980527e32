#!/usr/bin/env bash
# smoke-test.sh BASE_URL: checks a running llm-testing service end to end.
#
#   API_KEY=... scripts/smoke-test.sh https://summaries.example.com
#
# Checks, in order, each with its time: GET /health answers 200 "ok"; one
# POST /api/v1/summarize with a small built-in transcript answers 200 with a
# summary; the same call without a key answers 401; GET /openapi.json
# answers 200 with the spec. Stops at the first failure, saying what failed
# and showing the body, and exits 1 (2 for a usage error).
#
# Needs only bash and curl 7.55 or later: the key goes to curl in a header
# file (-H @file, mode 600, removed on exit), never on its command line,
# where any user could read it with ps. CURL_OPTS adds curl options (e.g.
# "-k" for a staging certificate); TIMEOUT is the most seconds a call may
# take (60).
set -euo pipefail

if [[ $# -ne 1 || -z "${1:-}" ]]; then
  echo "usage: API_KEY=<key> $0 BASE_URL" >&2
  exit 2
fi
base=${1%/}
if [[ -z "${API_KEY:-}" ]]; then
  echo "smoke-test: API_KEY is not set (a key from 'go tool mage secrets <env>')" >&2
  exit 2
fi
timeout=${TIMEOUT:-60}
read -r -a extra <<<"${CURL_OPTS:-}"

body_file=$(mktemp)
key_header=$(mktemp)
trap 'rm -f "$body_file" "$key_header"' EXIT
chmod 600 "$key_header"
printf 'X-API-Key: %s\n' "$API_KEY" >"$key_header" # printf is a builtin: no process shows the key

transcript='Agent: Thank you for calling Acme support, this is Dana. How can I help?
Customer: Hi, my internet has been dropping every evening since Monday.
Agent: I am sorry to hear that. I can see a firmware issue on your router model.
Customer: Can you fix it remotely?
Agent: Yes, I have pushed the update now and will call you back on Friday to confirm.
Customer: Great, thank you.'

# json_string prints $1 as a JSON string literal.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}
payload="{\"transcript\":$(json_string "$transcript"),\"options\":{\"maxLength\":60}}"

status=""
seconds=""
# call METHOD PATH [curl args...]: sets status and seconds, body in body_file.
call() {
  local method=$1 path=$2 out
  shift 2
  if ! out=$(curl -sS -o "$body_file" -w '%{http_code} %{time_total}' \
    --max-time "$timeout" -X "$method" ${extra[@]+"${extra[@]}"} "$@" "$base$path"); then
    status=000
    seconds=-
    return 0
  fi
  status=${out%% *}
  seconds=${out##* }
}

fail() {
  echo "FAIL $1" >&2
  echo "--- body:" >&2
  head -c 2000 "$body_file" >&2 || true
  echo >&2
  exit 1
}

# check NAME WANT_STATUS PATTERN: the last call answered WANT_STATUS with a
# body matching the extended regular expression PATTERN.
check() {
  local name=$1 want=$2 text=$3
  if [[ "$status" == 000 ]]; then
    fail "$name: no response from $base (curl's error above)"
  fi
  if [[ "$status" != "$want" ]]; then
    fail "$name: status $status, want $want (${seconds}s)"
  fi
  if ! grep -Eq -- "$text" "$body_file"; then
    fail "$name: body lacks $text (${seconds}s)"
  fi
  printf 'ok   %-32s %s %ss\n' "$name" "$status" "$seconds"
}

echo "smoke test of $base"

call GET /health
check "GET /health" 200 '"status" *: *"ok"'

call POST /api/v1/summarize -H 'Content-Type: application/json' \
  -H "@$key_header" --data-binary "$payload"
check "POST /api/v1/summarize" 200 '"summary" *: *"[^"]'

call POST /api/v1/summarize -H 'Content-Type: application/json' \
  --data-binary "$payload"
check "POST /api/v1/summarize (no key)" 401 '"status" *: *401'

call GET /openapi.json
check "GET /openapi.json" 200 '"openapi" *: *"3'

echo "all checks passed"
