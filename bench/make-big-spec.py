#!/usr/bin/env python3
"""make-big-spec.py - a large synthetic OpenAPI 3.0 spec for the lint benchmark.

    make-big-spec.py OPERATIONS OUT.json

Writes OPERATIONS operations (two per path: get and put), each with an
operationId, a path parameter, a query parameter, a request body and responses
whose schemas are $refs into components/schemas (one schema per 50 paths,
with a property of each kind and an example), so that lint has ids to compare,
parameters to match against templates, $refs to follow and examples to check.
Deterministic: the same arguments give the same bytes. Prints the byte count.
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-big-spec.py OPERATIONS OUT.json")
    n_ops = int(sys.argv[1])
    out = sys.argv[2]
    paths = {}
    schemas = {}
    n_paths = (n_ops + 1) // 2
    for p in range(n_paths):
        s = "Item%d" % (p // 50)
        if s not in schemas:
            schemas[s] = {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "format": "int64", "minimum": 1},
                    "name": {"type": "string", "maxLength": 64},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "kind": {"type": "string", "enum": ["a", "b", "c"], "default": "a"},
                },
                "example": {"id": 1, "name": "x", "tags": ["t"], "kind": "b"},
            }
        ref = {"$ref": "#/components/schemas/" + s}
        params = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "verbose", "in": "query", "schema": {"type": "boolean", "default": False}},
        ]
        ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        item = {
            "get": {
                "operationId": "getItem%d" % p,
                "summary": "Get item %d" % p,
                "parameters": params,
                "responses": {"200": ok, "404": {"description": "not found"}},
            }
        }
        if 2 * p + 1 < n_ops:
            item["put"] = {
                "operationId": "putItem%d" % p,
                "parameters": params,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                "responses": {"200": ok},
            }
        paths["/area%d/items%d/{id}" % (p % 97, p)] = item
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "synthetic", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    text = json.dumps(spec, indent=1)
    with open(out, "w") as f:
        f.write(text)
    print(len(text))


if __name__ == "__main__":
    main()
