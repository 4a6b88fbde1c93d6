#!/bin/sh
# demo.sh - `make demo`: the tool's main job on the shipped hello-world spec.
set -eu
cd "$(dirname "$0")/.."
run() {
    printf '\n$ %s\n' "$*"
    "$@"
}
run ./actions list specs/helloworld.json
run ./actions show specs/helloworld.json get.hello
run ./actions list specs/petstore.yaml
run ./actions show specs/petstore.yaml createPet
run ./actions lint specs/petstore.yaml
printf '\n$ ./actions lint specs/broken/lint-problems.yaml   # exits 2\n'
./actions lint specs/broken/lint-problems.yaml || echo "(exit $?)"
