#!/usr/bin/env bats
# examples/ci/: the GitHub Actions and GitLab CI examples parse as YAML, and
# every `actions` command line in them runs, once per shard with the CI's
# variables substituted, against `actions mock` on 127.0.0.1 (a port chosen at
# run time instead of the example's 8080). Together the shards run every
# action of the spec exactly once, and their JUnit reports are well-formed.

load helpers

PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

setup() {
    need_pyyaml
    cp "$ACTIONS_BIN" "$BATS_TEST_TMPDIR/actions-under-test"
    export ACTIONS_BIN=$BATS_TEST_TMPDIR/actions-under-test
    unset ACTIONS_DESTINATIONS GITHUB_ACTIONS
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy
}

teardown() {
    [ -f "$BATS_TEST_TMPDIR/mock.pid" ] && kill "$(cat "$BATS_TEST_TMPDIR/mock.pid")" 2>/dev/null
    return 0
}

# run_ci KIND FILE: parse FILE, then run its actions lines for every shard in a
# scratch copy of the repository's specs/ and examples/ci/; prints a summary.
run_ci() {
    "$PY" - "$1" "$ROOT/examples/ci/$2" "$ROOT" "$ACTIONS_BIN" "$BATS_TEST_TMPDIR" <<'PY'
import json, os, re, shlex, subprocess, sys, time
import xml.etree.ElementTree as ET
import yaml

kind, path, root, binary, tmp = sys.argv[1:]
doc = yaml.safe_load(open(path, encoding="utf-8"))

# The job, its shards (variables per shard), its environment, its shell lines.
if kind == "github":
    (job,) = doc["jobs"].values()
    shards = job["strategy"]["matrix"]["shard"]
    n = len(shards)
    env = dict(job.get("env", {}))
    lines = []
    for step in job["steps"]:
        lines += step.get("run", "").splitlines()
    uploads = " ".join(s.get("with", {}).get("path", "") for s in job["steps"]
                       if str(s.get("uses", "")).startswith("actions/upload-artifact"))

    def subst(text, k):
        text = text.replace("${{ matrix.shard }}", str(k))
        text = text.replace("${{ strategy.job-total }}", str(n))
        assert "${{" not in text, text
        return text
    junit_of = None
else:
    (job,) = [v for k, v in doc.items() if isinstance(v, dict) and "script" in v]
    n = job["parallel"]
    shards = list(range(1, n + 1))
    env = dict(job.get("variables", {}))
    lines = job.get("before_script", []) + job["script"]
    uploads = " ".join(job["artifacts"]["paths"])
    junit_of = job["artifacts"]["reports"]["junit"]

    def subst(text, k):
        for name, v in (("CI_NODE_INDEX", k), ("CI_NODE_TOTAL", n)):
            text = text.replace("${%s}" % name, str(v)).replace("$" + name, str(v))
        assert "$CI_" not in text and "${CI_" not in text, text
        return text

assert n >= 2, "a matrix of one"
cmds = [l.strip() for l in lines if l.strip().startswith("actions ")]
mocks = [c for c in cmds if c.startswith("actions mock ")]
tests = [c for c in cmds if c.startswith("actions test ")]
assert len(mocks) == 1 and len(tests) == 1 and len(cmds) == 2, cmds

# The mock, on a free port instead of the example's.
work = os.path.join(tmp, kind)
os.makedirs(os.path.join(work, "examples", "ci"))
os.symlink(os.path.join(root, "specs"), os.path.join(work, "specs"))
margs = shlex.split(mocks[0].rstrip("&").strip())[1:]
fixed = margs[margs.index("--port") + 1]
margs[margs.index("--port") + 1] = "0"
out = open(os.path.join(tmp, kind + "-mock.out"), "w+")
mock = subprocess.Popen([binary] + margs, cwd=work, stdout=out, stderr=subprocess.DEVNULL)
open(os.path.join(tmp, "mock.pid"), "w").write(str(mock.pid))
port = None
for _ in range(200):
    out.seek(0)
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", out.read())
    if m:
        port = m.group(1)
        break
    time.sleep(0.05)
assert port, "the mock did not start"

# The destinations file the example names, pointed at the mock.
dests = env["ACTIONS_DESTINATIONS"]
text = open(os.path.join(root, dests), encoding="utf-8").read()
assert "127.0.0.1:" + fixed in text
open(os.path.join(work, dests), "w").write(text.replace("127.0.0.1:" + fixed, "127.0.0.1:" + port))
env = {**os.environ, **{k: str(v) for k, v in env.items()}}

try:
    seen = []
    for k in shards:
        cmd = subst(tests[0], k)
        assert "--shard %s/%d" % (k, n) in cmd, cmd
        args = shlex.split(cmd)[1:]
        shard_dir = os.path.join(work, "shard%s" % k)
        os.makedirs(shard_dir)
        for d in ("specs", "examples"):
            os.symlink(os.path.join(work, d), os.path.join(shard_dir, d))
        p = subprocess.run([binary] + args, cwd=shard_dir, env=env, capture_output=True, text=True)
        assert p.returncode == 0, (cmd, p.returncode, p.stdout, p.stderr)
        reports = {}
        for i, a in enumerate(args):
            if a == "--report":
                f, file = args[i + 1].split("=", 1)
                reports[f] = file
        up = subst(uploads, k).split()
        assert reports["junit"] in up and reports["html"] in up, (reports, up)
        if junit_of:
            assert reports["junit"] == junit_of
        suite = ET.parse(os.path.join(shard_dir, reports["junit"])).getroot().find("testsuite")
        cases = [c.get("name") for c in suite.findall("testcase")]
        assert int(suite.get("tests")) == len(cases) > 0
        assert suite.get("failures") == "0" and suite.get("errors") == "0", cmd
        assert "<html" in open(os.path.join(shard_dir, reports["html"]), encoding="utf-8").read().lower()
        seen += cases
    spec = shlex.split(tests[0])[2]
    ids = [a["id"] for a in json.loads(subprocess.run(
        [binary, "list", spec, "--format", "json"], cwd=work, capture_output=True,
        text=True, check=True).stdout)]
    assert sorted(seen) == sorted(ids), (seen, ids)
    print("%d shards, %d actions, each once" % (n, len(ids)))
finally:
    mock.terminate()
    mock.wait()
PY
}

@test "examples/ci/github-actions.yml: YAML; every shard of the matrix runs; together each action once" {
    run run_ci github github-actions.yml
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "4 shards, 6 actions, each once" ]
}

@test "examples/ci/gitlab-ci.yml: YAML; parallel: N with CI_NODE_INDEX/CI_NODE_TOTAL; JUnit as the test report" {
    run run_ci gitlab gitlab-ci.yml
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "4 shards, 6 actions, each once" ]
}
