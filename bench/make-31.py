#!/usr/bin/env python3
"""make-31.py - an OpenAPI 3.1 copy of an OpenAPI 3.0.x description, for benchmarks.

    bench/make-31.py IN.json OUT.json

The schemas keep their meaning under JSON Schema 2020-12 (what OpenAPI 3.0.3 says):
`nullable: true` beside a `type` becomes a type array with "null" (without a type it has
no effect and is dropped), boolean `exclusiveMinimum`/`exclusiveMaximum` become the
numeric keywords, and `openapi` becomes 3.1.0. Examples and default values are copied
as they are.
"""
import json
import sys

DATA = {"example", "examples", "default", "enum", "const"}


def schema(node):
    """Rewrite a Schema Object (and its subschemas) in place."""
    if isinstance(node, list):
        for x in node:
            schema(x)
        return
    if not isinstance(node, dict):
        return
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    if isinstance(node.get("nullable"), bool):
        del node["nullable"]
    for kw, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(kw), bool):
            if node[kw] and bound in node:
                node[kw] = node.pop(bound)
            else:
                del node[kw]
    for k, v in node.items():
        if k in DATA:
            continue
        if k == "properties" and isinstance(v, dict):
            for p in v.values():
                schema(p)
        else:
            schema(v)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    doc["openapi"] = "3.1.0"
    schema(doc.get("components", {}))
    schema(doc.get("paths", {}))
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)  # laid out as the original


if __name__ == "__main__":
    main()
