#!/usr/bin/env python3
"""count_ops.py - count the operations of an OpenAPI 3.0 JSON document.

    python3 bench/count_ops.py SPEC.json

An operation is one HTTP method key (get put post delete options head patch
trace) under one entry of `paths`. Nothing is followed: a path item that is a
$ref, and every other key (parameters, summary, servers, x-...), counts for
nothing. Prints the number. An independent check on `actions list`.
"""

import json
import sys

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def count(doc):
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return 0
    n = 0
    for item in paths.values():
        if isinstance(item, dict):
            n += sum(1 for m in METHODS if isinstance(item.get(m), dict))
    return n


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: count_ops.py SPEC.json\n")
        return 2
    try:
        with open(argv[1], "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        sys.stderr.write("count_ops: %s: %s\n" % (argv[1], e))
        return 1
    print(count(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
