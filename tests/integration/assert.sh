# Assertions for the integration tests (sourced). Each failure names the check and exits 1.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_status CODE COMMAND...: runs COMMAND, which must exit with CODE; its output is kept
# in $out for later checks.
expect_status() {
  local want=$1
  shift
  set +e
  out=$("$@" 2>&1)
  local got=$?
  set -e
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got from: $*"$'\n'"$out"
}

# expect_in TEXT PATTERN: TEXT must contain PATTERN (fixed string).
expect_in() {
  grep -qF -- "$2" <<<"$1" || fail "expected '$2' in:"$'\n'"$1"
}
