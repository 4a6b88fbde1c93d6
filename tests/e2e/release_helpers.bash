# Shared by bundle.bats, release.bats and library.bats: the system python, a
# private copy of the binary, and the seed project in a scratch directory.
load helpers

# The pyenv shim costs a second per call; the system interpreter does not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# private_binary: a copy, so a concurrent `make` relinking the binary cannot break a run.
private_binary() {
    cp "$ACTIONS_BIN" "$BATS_FILE_TMPDIR/actions-under-test"
    ACTIONS_BIN=$BATS_FILE_TMPDIR/actions-under-test
    export ACTIONS_BIN
}

# seed_project: examples/hello and its spec copied into $BATS_TEST_TMPDIR with the
# layout they have in the repository; cd there, $P its directory; a fixed
# creation time ($SOURCE_DATE_EPOCH, 2026-01-01T00:00:00Z) and a private library.
seed_project() {
    mkdir -p "$BATS_TEST_TMPDIR/examples" "$BATS_TEST_TMPDIR/specs"
    cp -r "$ROOT/examples/hello" "$BATS_TEST_TMPDIR/examples/"
    cp "$SPECS/helloworld.json" "$BATS_TEST_TMPDIR/specs/"
    P=$BATS_TEST_TMPDIR/examples/hello
    cd "$P"
    export SOURCE_DATE_EPOCH=1767225600
    export ACTIONS_LIBRARY=$BATS_TEST_TMPDIR/library
}
