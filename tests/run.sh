#!/bin/sh
# run.sh - run every test and end with one line: "N passed, N failed".
#
# Unit tests (cmocka) and CLI tests (bats) report in TAP; each "ok" or
# "not ok" line counts once. The fuzz corpora are replayed (one test per input
# directory). Needs ACTIONS_BIN and BUILD_DIR (set by `make check`).
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD_DIR:?run through make check}"
: "${ACTIONS_BIN:?run through make check}"
export ACTIONS_BIN
export SAN="${SAN:-}"
export JSON_SCHEMA_TEST_SUITE="${JSON_SCHEMA_TEST_SUITE:-$root/../shared/json-schema-test-suite}"
# One log directory per run, so concurrent runs cannot clobber each other.
log="$BUILD_DIR/test-logs.$$"
rm -rf "$log"
mkdir -p "$log"
passed=0
failed=0

count() { # count TAP results in file $1, labelled $2
    p=$(grep -c '^ok ' "$1" 2>/dev/null)
    f=$(grep -c '^not ok ' "$1" 2>/dev/null)
    p=${p:-0}
    f=${f:-0}
    # A plan "1..N" with fewer results means tests were lost (a crash, a kill).
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$1" | head -1)
    if [ -n "$plan" ] && [ $((p + f)) -lt "$plan" ]; then
        echo "not ok - $2: $((plan - p - f)) of $plan tests did not report" >>"$1"
        f=$((f + plan - p - f))
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        echo "FAIL $2 ($f failed)"
        grep -A 20 '^not ok ' "$1" | head -60
    else
        echo "ok   $2 ($p passed)"
    fi
}

for t in "$BUILD_DIR"/tests/test_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t")
    (cd "$root" && CMOCKA_MESSAGE_OUTPUT=TAP "$t") >"$log/$n.tap" 2>"$log/$n.err"
    rc=$?
    count "$log/$n.tap" "unit/$n"
    if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log/$n.tap"; then
        # A crash or sanitizer report outside any single test still counts.
        echo "not ok - $n exited with status $rc" >>"$log/$n.tap"
        failed=$((failed + 1))
        echo "FAIL unit/$n exited with status $rc"
        tail -20 "$log/$n.err"
    fi
done

for t in "$BUILD_DIR"/tests/replay_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t" | sed 's/^replay_//')
    dirs=""
    for d in "$root/tests/fuzz/corpus/$n" "$root/tests/fuzz/regressions/$n"; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    if [ -z "$dirs" ]; then
        continue
    fi
    # shellcheck disable=SC2086
    if "$t" $dirs >"$log/replay_$n.log" 2>&1; then
        echo "ok 1 - replay $n" >"$log/replay_$n.tap"
    else
        echo "not ok 1 - replay $n" >"$log/replay_$n.tap"
        tail -20 "$log/replay_$n.log" >>"$log/replay_$n.tap"
    fi
    count "$log/replay_$n.tap" "fuzz/$n"
done

for b in "$root"/tests/e2e/*.bats; do
    [ -f "$b" ] || continue
    n=$(basename "$b" .bats)
    (cd "$root" && bats --tap "$b") >"$log/$n.tap" 2>&1
    rc=$?
    count "$log/$n.tap" "e2e/$n"
    if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$log/$n.tap"; then
        # A file bats could not run (syntax error, failing setup_file) still counts.
        failed=$((failed + 1))
        echo "FAIL e2e/$n: bats exited with status $rc"
        tail -20 "$log/$n.tap"
    fi
done

echo "logs: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
