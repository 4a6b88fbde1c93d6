#!/usr/bin/env bats
# actions test: the CI reports. --format tap, --report FORMAT=FILE (and a report
# that cannot be written), the progress line and colours on a terminal (through
# script(1)), --quiet, --fail-fast with --jobs 1 and 4, --values FILE, and
# ::error workflow commands under GITHUB_ACTIONS=true. Against actions mock on
# 127.0.0.1 and a port nothing listens on.

load helpers

PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

setup_file() {
    local dir=$BATS_FILE_TMPDIR
    # A private copy: a concurrent `make` relinking the binary cannot break a run.
    cp "$ACTIONS_BIN" "$dir/actions-under-test"
    export ACTIONS_BIN=$dir/actions-under-test
    # odd,id:50% answers with two schema errors; fine passes.
    cat >"$dir/odd.yaml" <<'YAML'
openapi: 3.0.3
info: {title: odd, version: 1.0.0}
paths:
  /odd:
    get:
      operationId: "odd,id:50%"
      responses:
        '200':
          description: two fields of the wrong type
          content:
            application/json:
              schema:
                type: object
                required: [n, s]
                properties: {n: {type: integer}, s: {type: string}}
              example: {n: "three", s: 4}
  /fine:
    get:
      operationId: fine
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: {type: object, required: [name], properties: {name: {type: string}}}
              example: {name: rex}
YAML
    # 40 actions, for --fail-fast with workers.
    {
        printf 'openapi: 3.0.3\ninfo: {title: many, version: 1.0.0}\npaths:\n'
        for i in $(seq 1 40); do
            printf "  /a%d:\n    get:\n      operationId: a%d\n      responses: {'200': {description: ok}}\n" "$i" "$i"
        done
    } >"$dir/many.yaml"
    start_mock pets "$SPECS/petstore.yaml" --quiet
    start_mock odd "$dir/odd.yaml" --quiet
    DEAD=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$dir/destinations.yaml" <<YAML
destinations:
  - Name: PETS
    URL: http://127.0.0.1:$(port_of pets)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: ODD
    URL: http://127.0.0.1:$(port_of odd)
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
  - Name: NOWHERE
    URL: http://127.0.0.1:$DEAD
    ProxyType: Internet
    Authentication: NoAuthentication
    sap.applicationdevelopment.actions.enabled: true
YAML
}

teardown_file() {
    stop_mock pets
    stop_mock odd
}

setup() {
    export ACTIONS_DESTINATIONS=$BATS_FILE_TMPDIR/destinations.yaml
    unset GITHUB_ACTIONS NO_COLOR
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
    PET=$SPECS/petstore.yaml
    ODD=$BATS_FILE_TMPDIR/odd.yaml
    MANY=$BATS_FILE_TMPDIR/many.yaml
    cd "$BATS_TEST_TMPDIR"
}

# tap FILE: check FILE is TAP version 13 (version, plan, numbered lines, YAML
# blocks that parse) and print one line per test: "ok|not ok ID [# SKIP why]"
# and, for a block, "  KEY=VALUE" for message, severity and status.
tap() {
    "$PY" - "$1" <<'PY'
import re, sys, yaml
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "no final newline"
lines = lines[:-1]
assert lines[0] == "TAP version 13", lines[0]
m = re.fullmatch(r"1\.\.(\d+)", lines[1])
assert m, lines[1]
plan, n, i = int(m.group(1)), 0, 2
while i < len(lines):
    t = re.fullmatch(r"(ok|not ok) (\d+) (.*)", lines[i])
    assert t, lines[i]
    n += 1
    assert int(t.group(2)) == n, lines[i]
    print(t.group(1), t.group(3))
    i += 1
    if i < len(lines) and lines[i] == "  ---":
        end = lines.index("  ...", i)
        block = yaml.safe_load("\n".join(l[2:] for l in lines[i + 1:end]))
        assert t.group(1) == "not ok"
        for k in ("message", "severity", "status"):
            print("  %s=%s" % (k, block[k]))
        print("  errors=%d" % len(block.get("errors", [])))
        i = end + 1
assert n == plan, (n, plan)
PY
}

# junit FILE: well-formed JUnit; "tests failures errors skipped" of the suite,
# then "NAME: failure|error|skipped MESSAGE" for each case that has one.
junit() {
    "$PY" - "$1" <<'PY'
import sys, xml.etree.ElementTree as E
s = E.parse(sys.argv[1]).getroot().find("testsuite")
print(s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped"))
assert int(s.get("tests")) == len(s.findall("testcase"))
for c in s.findall("testcase"):
    for tag in ("failure", "error", "skipped"):
        e = c.find(tag)
        if e is not None:
            print("%s: %s %s" % (c.get("name"), tag, e.get("message")))
PY
}

# tty CMD...: run CMD with a terminal as stdout (script -qec); the output in tty.txt.
tty() {
    local cmd="" a
    for a in "$@"; do cmd="$cmd '$a'"; done
    script -qec "$cmd" /dev/null >tty.txt || true
}

# ------------------------------------------------------------------- TAP

@test "--format tap: one action passes, fails (YAML block) and is unreachable" {
    need_pyyaml
    run_split act test "$PET" listPets --dest PETS --format tap
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" >t1
    [ "$(tap t1)" = "ok listPets" ]
    run_split act test "$ODD" "odd,id:50%" --dest ODD --format tap
    [ "$status" -eq 1 ]
    printf '%s\n' "$output" >t2
    run tap t2
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "not ok odd,id:50%" ]
    [[ "${lines[1]}" == "  message="*"/n"* ]]
    [ "${lines[2]}" = "  severity=fail" ]
    [ "${lines[3]}" = "  status=200" ]
    [ "${lines[4]}" = "  errors=2" ]
    run_split act test "$PET" listPets --dest NOWHERE --format tap
    [ "$status" -eq 3 ]
    printf '%s\n' "$output" >t3
    run tap t3
    [ "${lines[0]}" = "not ok listPets" ]
    [[ "${lines[1]}" == "  message=cannot connect to 127.0.0.1:"* ]]
    [ "${lines[2]}" = "  severity=error" ]
    [ "${lines[3]}" = "  status=None" ]
}

@test "--all --format tap: a plan, every action in order, skipped ones marked SKIP with the reason" {
    need_pyyaml
    run_split act test "$PET" --all --dest PETS --format tap
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" >t
    run tap t
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 6 ]
    [ "${lines[0]}" = "ok listPets" ]
    [[ "${lines[1]}" == 'ok createPet # SKIP action "createPet" needs a request body'* ]]
    [ "${lines[3]}" = "ok delete./pets/{petId}" ]
    [[ "${lines[4]}" == 'ok getCategory # SKIP action "getCategory" needs required parameters'* ]]
    [[ "$stderr" == "4 passed, 0 failed, 0 unreachable, 2 skipped (6 actions"* ]]
}

# ---------------------------------------------------------------- --report

@test "--report: junit, json, tap and text files while stdout stays text" {
    need_pyyaml
    run_split act test "$ODD" --all --dest ODD --report junit=out.xml --report json=out.json \
        --report tap=out.tap --report text=out.txt --report html=out.html
    [ "$status" -eq 1 ]
    [[ "$output" == "FAIL odd,id:50% 200 OK"* ]]
    [[ "$output" == *"1 passed, 1 failed, 0 unreachable, 0 skipped (2 actions"* ]]
    run junit out.xml
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "2 1 0 0" ]
    [[ "${lines[1]}" == "odd,id:50%: failure "*"/n"* ]]
    run "$PY" -c 'import json; j=json.load(open("out.json")); print(len(j["actions"]), j["summary"]["failed"], j["summary"]["passed"], sorted(j["actions"][0]))'
    [ "$output" = "2 1 1 ['action', 'duration_ms', 'errors', 'method', 'outcome', 'passed', 'reason', 'status', 'url', 'warnings']" ]
    run tap out.tap
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "not ok odd,id:50%" ]
    [ "${lines[5]}" = "ok fine" ]
    # The text file is what stdout showed, without colour.
    act test "$ODD" --all --dest ODD >stdout.txt || true
    diff <(sed 's/[0-9]* ms$/N ms/; s/([0-9.]* s)$/(N s)/; s/, [0-9.]* s)$/, N s)/' stdout.txt) \
        <(sed 's/[0-9]* ms$/N ms/; s/([0-9.]* s)$/(N s)/; s/, [0-9.]* s)$/, N s)/' out.txt)
    ls -a | grep -c 'tmp' | grep -qx 0
}

@test "--report for one action: json with the body, junit with one case; --format json on stdout" {
    run_split act test "$PET" listPets --dest PETS --format json --report junit=one.xml --report json=one.json
    [ "$status" -eq 0 ]
    printf '%s' "$output" | "$PY" -c 'import json,sys; j=json.load(sys.stdin); assert j["action"] == "listPets"'
    run "$PY" -c 'import json; j=json.load(open("one.json")); print(j["action"], j["status"], type(j["body"]).__name__)'
    [ "$output" = "listPets 200 list" ]
    run junit one.xml
    [ "${lines[0]}" = "1 0 0 0" ]
}

@test "--report with --jobs 4: every action's record comes back through the workers" {
    need_pyyaml
    run_split act test "$PET" --all --fill --dest PETS --jobs 4 --report junit=all.xml --report tap=all.tap
    [ "$status" -eq 0 ]
    run junit all.xml
    [ "${lines[0]}" = "6 0 0 0" ]
    run tap all.tap
    [ "$status" -eq 0 ]
    [ "${lines[*]}" = "ok listPets ok createPet ok showPetById ok delete./pets/{petId} ok getCategory ok placeOrder" ]
}

@test "--report html=FILE writes one page" {
    run_split act test "$PET" --all --dest PETS --report html=r.html
    [ "$status" -eq 0 ]
    grep -qi '<html' r.html
    grep -q 'listPets' r.html
}

@test "--report: a bad FORMAT=FILE is a usage error; a report that cannot be written is exit 2 naming it" {
    run_split act test "$PET" --all --dest PETS --report xml=a.xml
    [ "$status" -eq 2 ]
    [ "$stderr" = 'actions: error: --report expects FORMAT=FILE with FORMAT text, json, junit, tap or html, got "xml=a.xml"
see: actions test --help' ]
    run_split act test "$PET" --all --dest PETS --report junit=
    [ "$status" -eq 2 ]
    run_split act test "$PET" --all --dest PETS --format xml
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf '%s\nsee: actions test --help' 'actions: error: unknown --format "xml" (text, json, junit, tap or html)')" ]
    # A directory that does not exist: found before anything runs.
    run_split act test "$PET" --all --dest PETS --report junit=nodir/a.xml
    [ "$status" -eq 2 ]
    [ "$output" = "" ]
    [ "$stderr" = 'actions: error: cannot write report "nodir/a.xml": No such file or directory' ]
    # A directory in the way: found at the end; the other report is still written.
    mkdir taken.xml
    run_split act test "$PET" --all --dest PETS --report junit=taken.xml --report tap=ok.tap
    [ "$status" -eq 2 ]
    [[ "$output" == *"4 passed"* ]]
    [[ "$stderr" == *'actions: error: cannot write report "taken.xml": Is a directory'* ]]
    [ -d taken.xml ]
    [ -s ok.tap ]
    [ -z "$(ls -A taken.xml)" ]
    [ "$(ls | grep -c tmp)" -eq 0 ]
    # The same for one action.
    run_split act test "$PET" listPets --dest PETS --report junit=taken.xml
    [ "$status" -eq 2 ]
    [[ "$stderr" == *'cannot write report "taken.xml"'* ]]
}

@test "--report: a write that fails when the file is flushed and closed (file size limit) is exit 2, no file left" {
    # At most 1 KiB per file, and SIGXFSZ ignored: the write fails with EFBIG instead.
    run_split bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"' "$ACTIONS_BIN" test "$PET" --all \
        --fill --dest PETS --report junit=big.xml --report tap=small.tap
    [ "$status" -eq 2 ]
    [[ "$output" == *"6 passed, 0 failed"* ]]
    [ "$stderr" = 'actions: error: cannot write report "big.xml": File too large' ]
    [ ! -e big.xml ]
    [ -s small.tap ]
    [ "$(ls | grep -c tmp)" -eq 0 ]
}

# ------------------------------------------------------ terminal and colour

@test "--all on a terminal: a progress line, redrawn and erased; coloured PASS and SKIP" {
    TERM=xterm tty "$ACTIONS_BIN" test "$PET" --all --dest PETS
    grep -q $'\r\e\\[K[0-9]*/6 done, 0 failed, [0-9.]* s' tty.txt
    grep -q $'\e\\[32mPASS\e\\[0m listPets' tty.txt
    grep -q $'\e\\[33mSKIP\e\\[0m createPet' tty.txt
    # Erased before the summary: the last line is the summary alone.
    [[ "$(tail -n1 tty.txt | tr -d '\r')" =~ ^.*$'\e'\[K4\ passed,\ 0\ failed ]] ||
        [[ "$(tail -n1 tty.txt | tr -d '\r')" =~ ^4\ passed,\ 0\ failed ]]
}

@test "no progress line when piped, with --quiet, -v or TERM=dumb; no colour then, nor with NO_COLOR" {
    act test "$PET" --all --dest PETS >piped.txt
    ! grep -q 'done,' piped.txt
    ! grep -q $'\e' piped.txt
    TERM=xterm tty "$ACTIONS_BIN" test "$PET" --all --dest PETS --quiet
    ! grep -q 'done,' tty.txt
    grep -q $'\e\\[32mPASS' tty.txt
    TERM=xterm tty "$ACTIONS_BIN" test "$PET" --all --dest PETS -v
    ! grep -q 'done,' tty.txt
    grep -q '\[listPets\] > GET /pets HTTP/1.1' tty.txt
    TERM=dumb tty "$ACTIONS_BIN" test "$PET" --all --dest PETS
    ! grep -q 'done,' tty.txt
    ! grep -q $'\e' tty.txt
    grep -q '^PASS listPets' tty.txt
    NO_COLOR=1 TERM=xterm tty "$ACTIONS_BIN" test "$PET" --all --dest PETS --quiet
    ! grep -q $'\e' tty.txt
    grep -q '^PASS listPets' tty.txt
    # NO_COLOR set but empty does not count (no-color.org).
    NO_COLOR= TERM=xterm tty "$ACTIONS_BIN" test "$PET" --all --dest PETS --quiet
    grep -q $'\e\\[32mPASS' tty.txt
}

@test "one action on a terminal: FAIL in red and the body; --quiet leaves the body out" {
    TERM=xterm tty "$ACTIONS_BIN" test "$ODD" fine --dest ODD
    grep -q $'\e\\[32mPASS\e\\[0m fine' tty.txt
    grep -q '"name": "rex"' tty.txt
    TERM=xterm tty "$ACTIONS_BIN" test "$ODD" fine --dest ODD --quiet
    grep -q 'fine 200 OK' tty.txt
    ! grep -q '"name"' tty.txt
    TERM=xterm tty "$ACTIONS_BIN" test "$ODD" "odd,id:50%" --dest ODD --quiet
    grep -q $'\e\\[31mFAIL\e\\[0m odd,id:50%' tty.txt
}

# -------------------------------------------------------------- --fail-fast

@test "--fail-fast --jobs 1: after the first failure the rest are not run, in every format" {
    need_pyyaml
    run_split act test "$ODD" --all --dest ODD --fail-fast --report junit=ff.xml --report tap=ff.tap \
        --report json=ff.json
    [ "$status" -eq 1 ]
    [[ "$output" == *"SKIP fine (not run)"* ]]
    [[ "$output" =~ 0\ passed,\ 1\ failed,\ 0\ unreachable,\ 0\ skipped,\ 1\ not\ run\ \(2\ actions ]]
    run junit ff.xml
    [ "${lines[0]}" = "2 1 0 1" ]
    [ "${lines[2]}" = "fine: skipped not run (--fail-fast)" ]
    run tap ff.tap
    [ "${lines[-1]}" = "ok fine # SKIP not run (--fail-fast)" ]
    run "$PY" -c 'import json; s=json.load(open("ff.json"))["summary"]; print(s["passed"], s["failed"], s["skipped"], s["not_run"], s["total"])'
    [ "$output" = "0 1 0 1 2" ]
    # Unreachable counts as a failure: the first action stops the run.
    run_split act test "$PET" --all --dest NOWHERE --fail-fast
    [ "$status" -eq 3 ]
    [[ "$output" == *"0 passed, 0 failed, 1 unreachable, 0 skipped, 5 not run (6 actions"* ]]
    # Without --fail-fast nothing says "not run" in the summary, and JSON says 0.
    run_split act test "$PET" --all --dest NOWHERE --format json
    [ "$status" -eq 3 ]
    [[ "$stderr" == "0 passed, 0 failed, 4 unreachable, 2 skipped (6 actions"* ]]
    printf '%s' "$output" | "$PY" -c 'import json,sys; assert json.load(sys.stdin)["summary"]["not_run"] == 0'
    run_split act test "$PET" listPets --dest PETS --fail-fast
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf '%s\nsee: actions test --help' "actions: error: --fail-fast goes with --all")" ]
}

@test "--fail-fast --jobs 4: each worker stops after its failure; the rest are not run" {
    run_split act test "$MANY" --all --dest NOWHERE --fail-fast --jobs 4 --format json
    [ "$status" -eq 3 ]
    run "$PY" -c '
import json, sys
j = json.loads(sys.argv[1]); s = j["summary"]
ran = [a for a in j["actions"] if not a.get("not_run")]
assert 1 <= s["unreachable"] <= 4, s
assert s["not_run"] == 40 - s["unreachable"], s
assert s["total"] == 40 and s["passed"] == 0 and s["failed"] == 0, s
assert len(ran) == s["unreachable"]
assert all(a["outcome"] == "skipped" and a["skipped"] == "not run (--fail-fast)" for a in j["actions"] if a.get("not_run"))
print("ok")' "$output"
    [ "$output" = "ok" ]
    [[ "$stderr" == *" not run (40 actions"* ]]
}

# ----------------------------------------------------------------- --values

@test "--values: per-action params, headers and body; they win over -p" {
    cat >values.yaml <<'YAML'
getCategory:
  params: {categoryId: 7}
createPet:
  body: {id: 1, name: rex}
  headers: {X-Trace: abc}
showPetById:
  params: {petId: 3}
YAML
    run_split act test "$PET" --all --dest PETS --values values.yaml -p petId=p9 -v
    [ "$status" -eq 0 ]
    [[ "$output" == *"PASS createPet 201"* ]]
    [[ "$output" == *"PASS getCategory 200"* ]]
    [[ "$output" == *"PASS showPetById 200"* ]]
    [[ "$output" == *"6 passed, 0 failed, 0 unreachable, 0 skipped (6 actions"* ]]
    # The file's petId wins for showPetById; -p still reaches the others (delete).
    [[ "$stderr" == *"[showPetById] > GET /pets/3 HTTP/1.1"* ]]
    [[ "$stderr" == *"[delete./pets/{petId}] > DELETE /pets/p9 HTTP/1.1"* ]]
    [[ "$stderr" == *"[createPet] > X-Trace: abc"* ]]
    [[ "$stderr" == *"[getCategory] > GET /categories/7 HTTP/1.1"* ]]
}

@test "--values for one action, JSON file; values are checked like -p values" {
    printf '{"getCategory": {"params": {"categoryId": "seven"}}}\n' >v.json
    run_split act test "$PET" getCategory --dest PETS --values v.json
    [ "$status" -eq 1 ]
    [[ "$output" == *'path parameter "categoryId": expected integer, got string'* ]]
    printf '{"getCategory": {"params": {"categoryId": 5}}}\n' >v.json
    run_split act test "$PET" getCategory --dest PETS --values v.json -p categoryId=x
    [ "$status" -eq 0 ]
    printf '{"createPet": {"body": {"id": 1, "name": "rex"}}}\n' >b.json
    printf '{"id": 2, "name": "tom"}\n' >body.json
    run_split act test "$PET" createPet --dest PETS --values b.json --body body.json
    [ "$status" -eq 2 ]
    [ "$stderr" = "$(printf '%s\nsee: actions test --help' 'actions: error: --body and a body in --values for "createPet": give one')" ]
}

@test "--values errors: FILE:LINE:COL and exit 2 for each kind of mistake" {
    printf 'getCategory:\n  params: {categoryId: 7}\nnoSuch:\n  params: {}\n' >e1.yaml
    run_split act test "$PET" --all --dest PETS --values e1.yaml
    [ "$status" -eq 2 ]
    [ "$output" = "" ]
    [[ "$stderr" == 'actions: error: e1.yaml:3:1: unknown action "noSuch" in --values'* ]]
    printf 'getCategory:\n  params:\n    petId: 7\n' >e2.yaml
    run_split act test "$PET" --all --dest PETS --values e2.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: e2.yaml:3:12: action "getCategory" has no parameter "petId"'* ]]
    printf 'getCategory:\n  parms: {}\n' >e3.yaml
    run_split act test "$PET" --all --dest PETS --values e3.yaml
    [[ "$stderr" == 'actions: error: e3.yaml:2:10: unknown key "parms" in the values of "getCategory" (params, headers, body)'* ]]
    printf 'getCategory:\n  params: [1]\n' >e4.yaml
    run_split act test "$PET" --all --dest PETS --values e4.yaml
    [[ "$stderr" == 'actions: error: e4.yaml:2:11: params of "getCategory" must be a mapping, not an array'* ]]
    printf '{"getCategory": {"params": {"categoryId": null}}}' >e5.json
    run_split act test "$PET" getCategory --dest PETS --values e5.json
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: e5.json:1:43: parameter "categoryId" of "getCategory" must be a string, number, boolean, array or mapping, not null'* ]]
    printf 'listPets:\n  body: {a: 1}\n' >e6.yaml
    run_split act test "$PET" --all --dest PETS --values e6.yaml
    [[ "$stderr" == 'actions: error: e6.yaml:2:9: action "listPets" takes no request body'* ]]
    printf 'listPets:\n  headers: {X-A: [1]}\n' >e7.yaml
    run_split act test "$PET" --all --dest PETS --values e7.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: e7.yaml:2:18: header "X-A" of "listPets" must be a string, number or boolean'* ]]
    printf -- '- listPets\n' >e8.yaml
    run_split act test "$PET" --all --dest PETS --values e8.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: e8.yaml:1:1: --values must be a mapping of action ids to their values, not an array'* ]]
    run_split act test "$PET" --all --dest PETS --values missing.yaml
    [ "$status" -eq 2 ]
    [[ "$stderr" == 'actions: error: '*'missing.yaml'* ]]
}

# ----------------------------------------------------------- GitHub Actions

@test "GITHUB_ACTIONS=true: ::error per failed or unreachable action, escaped; stdout of json stays JSON" {
    GITHUB_ACTIONS=true run_split act test "$ODD" --all --dest ODD
    [ "$status" -eq 1 ]
    mapfile -t out <<<"$output"
    [[ "${out[0]}" == "FAIL odd,id:50% "* ]]
    grep -qx '::error title=odd%2Cid%3A50%25::[^%]*/n[^%]*%0A.*/s.*' <<<"$output"
    [ "$(grep -c '^::error' <<<"$output")" -eq 1 ]
    GITHUB_ACTIONS=true run_split act test "$ODD" --all --dest ODD --format json
    [ "$status" -eq 1 ]
    printf '%s' "$output" | "$PY" -c 'import json,sys; json.load(sys.stdin)'
    grep -q '^::error title=odd%2Cid%3A50%25::' <<<"$stderr"
    GITHUB_ACTIONS=true run_split act test "$PET" listPets --dest NOWHERE --format tap
    [ "$status" -eq 3 ]
    grep -q '^::error title=listPets::cannot connect to 127.0.0.1:' <<<"$stderr"
    [[ "$output" != *"::error"* ]]
    # Not set, or set to something else: none.
    GITHUB_ACTIONS=false run_split act test "$ODD" --all --dest ODD
    [[ "$output$stderr" != *"::error"* ]]
}
