#!/usr/bin/env python3
"""readme_examples.py - the `$ actions ...` examples of the README files, run as tests.

    readme_examples.py list [README]          each example's name (its command line)
    readme_examples.py bats                   the text of tests/e2e/readme.bats
    readme_examples.py prepare ROOT DIR BIN OLD=NEW...
                                              a tree in DIR to run the examples in
    readme_examples.py run DIR NAME [README]  run one example in DIR and compare
    readme_examples.py ports N                N distinct free ports of 127.0.0.1

The documents are README.md (examples run from the root of the clone) and
examples/hello/README.md (examples run inside examples/hello, named
"examples/hello: actions ..."); a README given on the command line is read
alone, its examples run from DIR.

An example is a line starting with "$ actions" inside a fenced code block
(environment assignments may come first: "$ NO_COLOR=1 actions ..."); its
expected output is every line after it up to the next line starting with "$ "
or the end of the block (trailing blank lines dropped). Lines starting with
"$ " that do not run actions end an example and are not run; nor is a command
run in the background ("... &"): it starts a backend, which the test starts
itself.

The rules README.md states ("Running the examples"):
  - examples of README.md run from the root of the clone, with
    ACTIONS_DESTINATIONS and ACTIONS_CONNECTOR naming
    examples/destinations.yaml and examples/connector.yaml; those of
    examples/hello/README.md inside examples/hello, without them (the project
    file names its own); the backends they name are running;
  - the output shown is stdout and stderr as a pipe sees them (no terminal);
  - timings ("12 ms", "0.01 s", and in reports "duration_ms": 12,
    "seconds": 0.01, time="0.012") and the ports of 127.0.0.1 are masked on
    both sides before comparing;
  - a line that is exactly "..." stands for any number of lines (none too),
    and "..." inside a line for any text;
  - a last line "(exit N)" is the exit status; without one it must be 0;
  - `actions mock` runs until stopped: the test waits for its first line,
    sends the requests its log lines show ("GET /pets 200 0.4 ms"), stops it
    with SIGTERM and compares what it printed.

prepare makes DIR a stand-in for ROOT: a symbolic link to each top-level entry
of ROOT, except `actions` (a link to BIN, the binary under test) and
`examples/` (a copy, in which every "127.0.0.1:OLD" and "internalPort: OLD"
of the port pairs OLD=NEW given reads NEW). Paths in the output read as in the
README, files an example writes stay in DIR, and the backends listen on ports
chosen at run time.
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

# "actions ...", also after environment assignments ("NO_COLOR=1 actions ...").
RUNS_ACTIONS = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*actions(?:\s|$)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
EXIT_LINE = re.compile(r"^\(exit (\d+)\)$")
MOCK_LOG = re.compile(r"^([A-Z]+) (/\S*) \d{3} ")
TIMING = re.compile(r"\b\d+(?:\.\d+)? (ms|s)\b")
# The same in reports: "duration_ms": 12, "seconds": 0.01, JUnit's time="0.012".
REPORT_TIMING = re.compile(r"((?:\"?(?:duration_ms|seconds)\"?): *|\btime=\")\d+(?:\.\d+)?")
PORT = re.compile(r"\b127\.0\.0\.1:\d+")
TIMEOUT = 60
# The documents whose examples run, each with the directory its examples run
# in (relative to the root of the clone) and the prefix of its tests' names.
DOCS = [("README.md", "", ""),
        ("examples/hello/README.md", "examples/hello", "examples/hello: ")]


def examples(readme):
    """[(name, command, expected lines, expected exit)] in README order."""
    found = []
    fence = None
    cur = None

    def close():
        if cur is None:
            return
        lines = cur[1]
        while lines and not lines[-1].strip():
            lines.pop()
        status = 0
        if lines:
            m = EXIT_LINE.match(lines[-1])
            if m:
                status = int(m.group(1))
                lines.pop()
        found.append((cur[0], lines, status))

    with open(readme, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            m = FENCE.match(line)
            if fence is None:
                if m:
                    fence = m.group(1)
                continue
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                close()
                cur = None
                fence = None
                continue
            if line.startswith("$ "):
                close()
                cmd = line[2:].strip()
                background = cmd.endswith("&") and not cmd.endswith("&&")
                cur = (cmd, []) if RUNS_ACTIONS.match(cmd) and not background else None
            elif cur is not None:
                cur[1].append(line.rstrip())
    close()
    seen = {}
    named = []
    for cmd, lines, status in found:
        seen[cmd] = seen.get(cmd, 0) + 1
        name = cmd if seen[cmd] == 1 else "%s (%d)" % (cmd, seen[cmd])
        named.append((name, cmd, lines, status))
    return named


def all_examples(root, readme=None):
    """[(name, cmd, lines, status, cwd)] of every document (or only readme)."""
    docs = [(readme, "", "")] if readme else [(os.path.join(root, f), c, p) for f, c, p in DOCS]
    out = []
    for path, cwd, prefix in docs:
        for name, cmd, lines, status in examples(path):
            out.append((prefix + name, cmd, lines, status, cwd))
    return out


def mask(lines):
    return [PORT.sub("127.0.0.1:PORT", REPORT_TIMING.sub(r"\1N", TIMING.sub(r"N \1", l)))
            for l in lines]


def same_line(e, a):
    """One expected line against one actual line: "..." inside a line stands
    for any text."""
    if "..." not in e:
        return e == a
    return re.fullmatch(".*".join(re.escape(p) for p in e.split("...")), a) is not None


def matches(expected, actual):
    """expected (a line "..." stands for any number of lines) against actual,
    both masked."""
    memo = {}

    def m(i, j):
        if (i, j) not in memo:
            if i == len(expected):
                r = j == len(actual)
            elif expected[i] == "...":
                r = m(i + 1, j) or (j < len(actual) and m(i, j + 1))
            else:
                r = j < len(actual) and same_line(expected[i], actual[j]) and m(i + 1, j + 1)
            memo[(i, j)] = r
        return memo[(i, j)]

    sys.setrecursionlimit(max(1000, 4 * (len(expected) + len(actual)) + 100))
    return m(0, 0)


def example_env(d, cwd):
    env = dict(os.environ)
    for k in ("ACTIONS_SPEC", "GITHUB_ACTIONS", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy",
              "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(k, None)
    env["PATH"] = d + os.pathsep + env.get("PATH", "")
    if cwd:
        # A project directory: its project file names what it uses.
        env.pop("ACTIONS_DESTINATIONS", None)
        env.pop("ACTIONS_CONNECTOR", None)
    else:
        env["ACTIONS_DESTINATIONS"] = "examples/destinations.yaml"
        env["ACTIONS_CONNECTOR"] = "examples/connector.yaml"
    env["XDG_CACHE_HOME"] = os.path.join(d, ".cache")
    env["XDG_CONFIG_HOME"] = os.path.join(d, ".config")
    return env


def run_mock(d, cmd, expected, env):
    """Start the mock, replay the requests its expected log shows, stop it."""
    p = subprocess.Popen(["sh", "-c", cmd], cwd=d, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    first = p.stdout.readline().decode("utf-8", "replace")
    m = re.match(r"^listening on (http://\S+)", first)
    if m:
        for line in expected:
            r = MOCK_LOG.match(line)
            if not r:
                continue
            req = urllib.request.Request(m.group(1) + r.group(2), method=r.group(1))
            try:
                urllib.request.urlopen(req, timeout=10).read()
            except urllib.error.HTTPError as e:
                e.read()
        # The log line is written after the answer: give the last one a moment.
        time.sleep(0.2)
    # The shell and the mock: SIGTERM to the process group.
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        rest, _ = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rest, _ = p.communicate()
    return first + rest.decode("utf-8", "replace"), p.returncode


def run(d, want, readme):
    todo = [e for e in all_examples(d, readme) if e[0] == want]
    if not todo:
        print("no example \"%s\" in the documents: regenerate tests/e2e/readme.bats "
              "(python3 tests/readme_examples.py bats > tests/e2e/readme.bats)" % want)
        return 1
    name, cmd, expected, status, cwd = todo[0]
    env = example_env(d, cwd)
    wd = os.path.join(d, cwd) if cwd else d
    mock = re.match(r"^(?:\S+=\S*\s+)*actions mock\b", cmd)
    if mock:
        out, rc = run_mock(wd, cmd, expected, env)
    else:
        try:
            p = subprocess.run(["sh", "-c", cmd], cwd=wd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            print("$ %s\ntimed out after %d s" % (cmd, TIMEOUT))
            return 1
        out, rc = p.stdout.decode("utf-8", "replace"), p.returncode
    actual = out.split("\n")
    if actual and actual[-1] == "":
        actual.pop()
    actual = [l.rstrip() for l in actual]
    ok = matches(mask(expected), mask(actual))
    if mock:
        ok_status = True  # stopped by SIGTERM: its status is not the README's
    else:
        ok_status = rc == status
    if ok and ok_status:
        return 0
    print("$ %s" % cmd)
    if not ok:
        print("--- %s (masked)" % (readme or os.path.join(cwd, "README.md")))
        for l in mask(expected):
            print("  " + l)
        print("+++ actual (masked)")
        for l in mask(actual):
            print("  " + l)
    if not ok_status:
        print("exit status %d, README says %d" % (rc, status))
    return 1


def prepare(root, d, binary, pairs):
    ports = {}
    for p in pairs:
        old, new = p.split("=", 1)
        ports[old] = new
    os.makedirs(d, exist_ok=True)
    for entry in sorted(os.listdir(root)):
        if entry in (".git", "examples", "actions"):
            continue
        os.symlink(os.path.join(root, entry), os.path.join(d, entry))
    os.symlink(binary, os.path.join(d, "actions"))
    shutil.copytree(os.path.join(root, "examples"), os.path.join(d, "examples"))

    def port(m):
        return m.group(1) + ports.get(m.group(2), m.group(2))

    for top, _, files in os.walk(os.path.join(d, "examples")):
        for f in files:
            path = os.path.join(top, f)
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                text = fh.read()
            new = re.sub(r"(127\.0\.0\.1:|internalPort: *)(\d+)\b", port, text)
            if new != text:
                with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
                    fh.write(new)
    return 0


def free_ports(n):
    """n distinct ports of 127.0.0.1 nothing listens on, of four digits like
    the README's, so that tables with a URL keep the README's widths."""
    import random
    import socket
    found = []
    while len(found) < n:
        p = random.randint(2000, 9999)
        if p in found:
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            continue
        finally:
            s.close()
        found.append(p)
    print(" ".join(str(p) for p in found))
    return 0


def bats_text(root):
    out = ["#!/usr/bin/env bats",
           "# Every `$ actions ...` example of README.md, run and compared (the rules:",
           "# tests/readme_examples.py, and README.md, \"Running the examples\").",
           "# Generated by: python3 tests/readme_examples.py bats > tests/e2e/readme.bats",
           "# (the first test fails when this list and the README differ).",
           "load readme_helpers",
           "",
           "@test \"readme.bats has one test per README example\" {",
           "    check_generated",
           "}",
         
           "@test \"the next step after make demo works as written\" {",
           "    next_step",
           "}",
           ""]
    for name, _, _, _, _ in all_examples(root):
        q = name.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
        out.append("@test \"%s\" {" % q)
        out.append("    readme_example %s" % shlex.quote(name))
        out.append("}")
        out.append("")
    return "\n".join(out)


def main(argv):
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if len(argv) in (2, 3) and argv[1] == "list":
        for e in all_examples(root, argv[2] if len(argv) > 2 else None):
            print(e[0])
        return 0
    if len(argv) == 2 and argv[1] == "bats":
        sys.stdout.write(bats_text(root))
        return 0
    if len(argv) >= 5 and argv[1] == "prepare":
        return prepare(argv[2], argv[3], argv[4], argv[5:])
    if len(argv) == 3 and argv[1] == "ports":
        return free_ports(int(argv[2]))
    if len(argv) in (4, 5) and argv[1] == "run":
        return run(argv[2], argv[3], argv[4] if len(argv) > 4 else None)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
