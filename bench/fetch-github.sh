#!/bin/sh
# fetch-github.sh - download GitHub's REST API description once and cache it,
# as JSON and as a YAML conversion, for the benchmarks and the real-world tests.
#
# Source: the npm package @octokit/openapi (pinned), file
# package/generated/api.github.com.json. Only the npm registry is contacted.
#
#   bench/fetch-github.sh            fetch and convert what is not cached yet
#
# Environment:
#   ACTIONS_BENCH_CACHE   cache directory (default $HOME/.cache/actions-bench)
#   OCTOKIT_OPENAPI_VERSION   package version (default 23.0.2)
#
# Prints the two cached paths (JSON first, then YAML), one per line, on stdout.
# Exit status: 0 on success, 1 when the download or the conversion fails
# (e.g. offline), with the reason on stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
version=${OCTOKIT_OPENAPI_VERSION:-23.0.2}
cache=${ACTIONS_BENCH_CACHE:-${HOME:-/tmp}/.cache/actions-bench}
json="$cache/github-$version.json"
yaml="$cache/github-$version.yaml"

die() {
    echo "fetch-github: $*" >&2
    exit 1
}

mkdir -p "$cache" || die "cannot create cache directory '$cache'"

if [ ! -s "$json" ]; then
    command -v npm >/dev/null 2>&1 || die "npm is not installed: cannot download @octokit/openapi"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/actions-bench.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "fetch-github: downloading @octokit/openapi@$version from the npm registry" >&2
    if ! (cd "$tmp" && npm pack --loglevel=error "@octokit/openapi@$version" >npm-pack.out 2>npm-pack.err); then
        head -n 4 "$tmp/npm-pack.err" | sed 's/^/  /' >&2
        die "cannot download @octokit/openapi@$version (offline, or the npm registry is unreachable)"
    fi
    tgz=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)
    [ -n "$tgz" ] || die "npm pack produced no tarball"
    tar -xzf "$tgz" -C "$tmp" package/generated/api.github.com.json ||
        die "package/generated/api.github.com.json not found in $(basename "$tgz")"
    # A sanity check before caching: it is JSON and an OpenAPI 3.0 description.
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert str(d.get("openapi","")).startswith("3.0"), "not OpenAPI 3.0"' \
        "$tmp/package/generated/api.github.com.json" || die "downloaded file is not an OpenAPI 3.0 JSON document"
    mv "$tmp/package/generated/api.github.com.json" "$json.tmp"
    mv "$json.tmp" "$json"
    rm -rf "$tmp"
    trap - EXIT
fi

# Converted again when the JSON or the converter is newer than the YAML.
if [ ! -s "$yaml" ] || [ -n "$(find "$json" "$here/json2yaml.py" -newer "$yaml")" ]; then
    echo "fetch-github: converting to YAML" >&2
    python3 "$here/json2yaml.py" "$json" >"$yaml.tmp" || {
        rm -f "$yaml.tmp"
        die "YAML conversion of '$json' failed"
    }
    mv "$yaml.tmp" "$yaml"
fi

echo "$json"
echo "$yaml"
