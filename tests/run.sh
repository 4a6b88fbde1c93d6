#!/bin/sh
# run.sh - run every test and end with one line: "N passed, N failed, N skipped".
#
# Unit tests (cmocka) and CLI tests (bats) report in TAP; each "ok" or
# "not ok" line counts once. A result marked "# SKIP" / "# skip" (cmocka's
# skip(), bats' skip) is counted as skipped, never as passed or failed, and is
# listed at the end with its reason. The fuzz corpora are replayed (one test
# per input directory). Needs ACTIONS_BIN and BUILD_DIR (set by `make check`).
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
skipped=0
: >"$log/skips"

# A TAP line is a skip when its directive says so (TAP 13: "# SKIP", any case).
skip_re='^(not )?ok [0-9]*.*# [Ss][Kk][Ii][Pp]'

count() { # count TAP results in file $1, labelled $2
    s=$(grep -Ec "$skip_re" "$1" 2>/dev/null)
    p=$(grep '^ok ' "$1" 2>/dev/null | grep -Evc "$skip_re")
    f=$(grep '^not ok ' "$1" 2>/dev/null | grep -Evc "$skip_re")
    p=${p:-0}
    f=${f:-0}
    s=${s:-0}
    # A plan "1..N" with fewer results means tests were lost (a crash, a kill).
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$1" | head -1)
    if [ -n "$plan" ] && [ $((p + f + s)) -lt "$plan" ]; then
        echo "not ok - $2: $((plan - p - f - s)) of $plan tests did not report" >>"$1"
        f=$((plan - p - s))
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    # Each skip with its reason: bats puts it after "# skip"; a cmocka test that
    # skips prints a "skip: REASON" line of its own.
    if [ "$s" -gt 0 ]; then
        reasons=$(grep -E '^(# )?skip: ' "$1" | sed -E 's/^(# )?skip: //' | sort -u)
        grep -E "$skip_re" "$1" | while IFS= read -r line; do
            why=$(printf '%s\n' "$line" | sed -E 's/.*# [Ss][Kk][Ii][Pp] ?//')
            name=$(printf '%s\n' "$line" | sed -E 's/^(not )?ok [0-9]* ?-? ?//; s/ *# [Ss][Kk][Ii][Pp].*//')
            [ -n "$name" ] || name=$why
            if [ -n "$reasons" ] && { [ -z "$why" ] || [ "$why" = "$name" ]; }; then
                why=$reasons
            fi
            printf '%s: %s: %s\n' "$2" "${name:-?}" "${why:-no reason given}" >>"$log/skips"
        done
    fi
    if [ "$f" -gt 0 ]; then
        echo "FAIL $2 ($f failed)"
        grep -A 20 '^not ok ' "$1" | grep -Ev "$skip_re" | head -60
    elif [ "$s" -gt 0 ]; then
        echo "ok   $2 ($p passed, $s skipped)"
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
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
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
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        # A file bats could not run (syntax error, failing setup_file) still counts.
        failed=$((failed + 1))
        echo "FAIL e2e/$n: bats exited with status $rc"
        tail -20 "$log/$n.tap"
    fi
done

echo "logs: $log"
if [ "$skipped" -gt 0 ]; then
    echo "skipped (each with what it needs):"
    sed 's/^/  /' "$log/skips"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
