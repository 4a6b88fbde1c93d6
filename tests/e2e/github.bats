#!/usr/bin/env bats
# github.bats - the real-world check: GitHub's REST API description (about
# 13 MB, 1200+ operations, from the npm package @octokit/openapi) as JSON and
# as a YAML conversion.
#
# Uses the copy cached by bench/fetch-github.sh when present, else runs it
# (needs the npm registry). Without network and without a cache, every test
# is skipped, saying so.
#
#   ACTIONS_BIN          the binary (default ./actions in the repo root)
#   ACTIONS_BENCH_CACHE  the cache (default $HOME/.cache/actions-bench)

load helpers

setup_file() {
    ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
    export ROOT
    export ACTIONS_BIN=${ACTIONS_BIN:-$ROOT/actions}
    local cache=${ACTIONS_BENCH_CACHE:-${HOME:-/tmp}/.cache/actions-bench}
    local version=${OCTOKIT_OPENAPI_VERSION:-23.0.2}
    export GH_JSON="$cache/github-$version.json"
    export GH_YAML="$cache/github-$version.yaml"
    export GH_SKIP=""
    if [ ! -s "$GH_JSON" ] || [ ! -s "$GH_YAML" ]; then
        if ! timeout 600 "$ROOT/bench/fetch-github.sh" >"$BATS_FILE_TMPDIR/fetch.out" 2>&1; then
            GH_SKIP="needs the npm registry: GitHub's description is not cached in $cache and cannot be downloaded ($(tail -n 1 "$BATS_FILE_TMPDIR/fetch.out")); run bench/fetch-github.sh once online"
            return 0
        fi
    fi
    GH_OPS=$(python3 "$ROOT/bench/count_ops.py" "$GH_JSON")
    export GH_OPS
}

setup() {
    [ -z "$GH_SKIP" ] || skip "$GH_SKIP"
}

# list_json SPEC OUT: `actions list SPEC --format json` into OUT, once per file.
list_json() {
    if [ ! -s "$2" ]; then
        "$ACTIONS_BIN" list "$1" --format json >"$2.tmp" || return 1
        mv "$2.tmp" "$2"
    fi
}

# lint_once SPEC NAME: `actions lint SPEC`, its output in $BATS_FILE_TMPDIR/NAME.out
# and its exit status in NAME.rc, run once per file.
lint_once() {
    local out=$BATS_FILE_TMPDIR/$2
    if [ ! -f "$out.rc" ]; then
        local rc=0
        "$ACTIONS_BIN" lint "$1" >"$out.out" 2>&1 || rc=$?
        echo "$rc" >"$out.rc"
    fi
}

# check_list SPEC LIST: LIST has one entry per operation of SPEC (the JSON),
# with the spec's method, path and operationId, ids unique, and as many as
# count_ops.py counts.
check_list() {
    python3 - "$1" "$2" "$GH_OPS" <<'EOF'
import json, sys
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
spec = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
want = int(sys.argv[3])
assert isinstance(got, list), "not a JSON array"
assert len(got) == want, "%d operations listed, count_ops.py counts %d" % (len(got), want)
expect = {}
for path, item in spec["paths"].items():
    for m in METHODS:
        if isinstance(item.get(m), dict):
            expect[(m, path)] = item[m].get("operationId")
seen = {}
for e in got:
    for k in ("id", "method", "path", "summary", "tags", "deprecated"):
        assert k in e, "entry without %r: %r" % (k, e)
    key = (e["method"].lower(), e["path"])
    assert key in expect, "listed operation not in the spec: %r" % (key,)
    assert e["id"] == expect[key], "%r: id %r, operationId %r" % (key, e["id"], expect[key])
    assert e["id"] not in seen, "id listed twice: %r" % e["id"]
    seen[e["id"]] = key
assert len(seen) == len(expect)
EOF
}

@test "github: list --format json on the JSON spec lists every operation" {
    list_json "$GH_JSON" "$BATS_FILE_TMPDIR/list-json.json"
    [ "$GH_OPS" -gt 1000 ]
    check_list "$GH_JSON" "$BATS_FILE_TMPDIR/list-json.json"
}

@test "github: list --format json on the YAML conversion lists every operation" {
    list_json "$GH_YAML" "$BATS_FILE_TMPDIR/list-yaml.json"
    check_list "$GH_JSON" "$BATS_FILE_TMPDIR/list-yaml.json"
}

@test "github: the JSON and YAML lists are identical" {
    list_json "$GH_JSON" "$BATS_FILE_TMPDIR/list-json.json"
    list_json "$GH_YAML" "$BATS_FILE_TMPDIR/list-yaml.json"
    cmp "$BATS_FILE_TMPDIR/list-json.json" "$BATS_FILE_TMPDIR/list-yaml.json"
}

@test "github: list --tag repos lists exactly the operations tagged repos" {
    want=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for i in d["paths"].values() for m, o in i.items()
          if m in ("get","put","post","delete","options","head","patch","trace")
          and "repos" in o.get("tags", [])))' "$GH_JSON")
    run "$ACTIONS_BIN" list "$GH_JSON" --tag repos --format json
    [ "$status" -eq 0 ]
    got=$(printf '%s' "$output" | python3 -c 'import json, sys
l = json.load(sys.stdin)
assert all("repos" in e["tags"] for e in l), "an entry without the tag"
print(len(l))')
    [ "$want" -gt 100 ]
    [ "$got" -eq "$want" ]
}

@test "github: list in table form succeeds and names every operation" {
    run "$ACTIONS_BIN" list "$GH_JSON"
    [ "$status" -eq 0 ]
    for id in meta/root repos/get issues/create pulls/list actions/list-workflow-runs; do
        printf '%s\n' "$output" | grep -q -- "$id" || {
            echo "table has no $id"
            return 1
        }
    done
}

@test "github: show repos/get (JSON and YAML)" {
    for spec in "$GH_JSON" "$GH_YAML"; do
        run "$ACTIONS_BIN" show "$spec" repos/get
        echo "$output" | head -40
        [ "$status" -eq 0 ]
        [[ "$output" == *"/repos/{owner}/{repo}"* ]]
        [[ "$output" == *owner* ]]
        [[ "$output" == *GET* || "$output" == *get* ]]
    done
}

@test "github: show of an unknown operationId fails with exit 2" {
    run "$ACTIONS_BIN" show "$GH_JSON" no-such/operation
    [ "$status" -eq 2 ]
}

@test "github: lint reports no error (every \$ref resolves, path parameters match)" {
    lint_once "$GH_JSON" lint-json
    grep -v ': warning: ' "$BATS_FILE_TMPDIR/lint-json.out" | head -40
    # GitHub's description is valid OpenAPI 3.0: any error is a false finding.
    if grep -q ': error: ' "$BATS_FILE_TMPDIR/lint-json.out"; then
        return 1
    fi
    [ "$(cat "$BATS_FILE_TMPDIR/lint-json.rc")" -eq 0 ]
}

@test "github: lint gives the same findings on the YAML conversion" {
    lint_once "$GH_JSON" lint-json
    lint_once "$GH_YAML" lint-yaml
    head -40 "$BATS_FILE_TMPDIR/lint-yaml.out"
    [ "$(cat "$BATS_FILE_TMPDIR/lint-yaml.rc")" -eq "$(cat "$BATS_FILE_TMPDIR/lint-json.rc")" ]
    # The same findings at the same pointers (file names and positions differ).
    findings() { sed -n 's/^.*: \(error\|warning\): /\1: /p' "$1" | sort; }
    [ "$(findings "$BATS_FILE_TMPDIR/lint-yaml.out")" = "$(findings "$BATS_FILE_TMPDIR/lint-json.out")" ]
}

@test "github: lint reports every \$ref to a removed schema" {
    broken=$BATS_FILE_TMPDIR/github-broken.json
    # Remove one schema that is referenced from many places.
    want=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
del d["components"]["schemas"]["simple-user"]
s = json.dumps(d)
json.dump(d, open(sys.argv[2], "w"))
print(s.count("\"#/components/schemas/simple-user\""))' "$GH_JSON" "$broken")
    [ "$want" -gt 10 ]
    run "$ACTIONS_BIN" lint "$broken"
    printf '%s\n' "$output" | head -5
    [ "$status" -eq 2 ]
    got=$(printf '%s\n' "$output" | grep ': error: ' | grep -c 'simple-user' || true)
    [ "$got" -eq "$want" ]
}

# --- the mock on GitHub's spec: every GET through actions test --all ---------------

# gh_mock NAME [ARGS...]: actions mock on the JSON spec (start_mock, helpers.bash); a
# destination file for it in NAME.yaml.
gh_mock() {
    local name=$1
    shift
    start_mock "$name" "$GH_JSON" "$@" || return 1
    cat >"$BATS_FILE_TMPDIR/$name.yaml" <<YAML
destinations:
  - Name: GH_MOCK
    URL: http://127.0.0.1:$(port_of "$name")
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
}

# The GET operations, counted independently of actions.
gh_gets() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for p in d["paths"].values() if isinstance(p.get("get"), dict)))' "$GH_JSON"
}

@test "github: every GET operation passes actions test --all --fill against actions mock --valid-only" {
    gh_mock ghvalid --valid-only
    local rc=0
    "$ACTIONS_BIN" test "$GH_JSON" --all --method GET --fill --dest GH_MOCK \
        --destinations "$BATS_FILE_TMPDIR/ghvalid.yaml" --jobs 2 >"$BATS_TEST_TMPDIR/out" 2>&1 || rc=$?
    stop_mock ghvalid
    local n
    n=$(gh_gets)
    grep -v '^PASS ' "$BATS_TEST_TMPDIR/out" | head -n 40
    [ "$rc" -eq 0 ]
    [ "$n" -gt 600 ]
    tail -n 1 "$BATS_TEST_TMPDIR/out" | grep -q "^$n passed, 0 failed, 0 unreachable, 0 skipped ($n actions"
    [ "$(grep -c '^PASS ' "$BATS_TEST_TMPDIR/out")" -eq "$n" ]
}

@test "github: without --valid-only the mock serves GitHub's invalid examples, each failure warned about" {
    gh_mock ghraw
    local rc=0
    "$ACTIONS_BIN" test "$GH_JSON" --all --method GET --fill --dest GH_MOCK \
        --destinations "$BATS_FILE_TMPDIR/ghraw.yaml" --jobs 2 >"$BATS_TEST_TMPDIR/out" 2>&1 || rc=$?
    stop_mock ghraw
    [ "$rc" -eq 1 ]
    # Every failed action is one whose example the mock warned about.
    local id failed=0
    for id in $(sed -n 's/^FAIL \([^ ]*\) .*/\1/p' "$BATS_TEST_TMPDIR/out"); do
        failed=$((failed + 1))
        grep -qF "of $id " "$BATS_FILE_TMPDIR/ghraw.log" || { echo "no warning for $id"; return 1; }
    done
    [ "$failed" -gt 0 ]
    tail -n 1 "$BATS_TEST_TMPDIR/out" | grep -Eq "^[0-9]+ passed, $failed failed, 0 unreachable, 0 skipped"
}

@test "github: checked independently (Python's HTTP client), the mock answers each GET with its declared 2XX and media type" {
    gh_mock ghcheck --valid-only
    local out rc=0
    out=$(python3 "$ROOT/tests/fixtures/check_mock.py" "$GH_JSON" "$(port_of ghcheck)") || rc=$?
    stop_mock ghcheck
    echo "$out"
    [ "$rc" -eq 0 ]
    read -r checked skipped bad <<<"$(head -n 1 <<<"$out")"
    [ "$checked" -ge 600 ]
    [ "$bad" -eq 0 ]
}
