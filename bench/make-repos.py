#!/usr/bin/env python3
"""make-repos.py - a large JSON array of GitHub repository objects, for bench/validate.sh.

    make-repos.py SPEC.json MEGABYTES OUT.json

Starts from the spec's own example for `repos/list-for-org`'s 200 response
(components/examples/minimal-repository-items) and repeats its repository with
varied ids, names, URLs, counts and dates until the file reaches MEGABYTES.
Deterministic: the same arguments give the same bytes.
"""
import copy
import json
import random
import sys


def main():
    spec, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with open(spec) as f:
        d = json.load(f)
    base = d["components"]["examples"]["minimal-repository-items"]["value"][0]
    target = int(mb * 1000 * 1000)
    rnd = random.Random(42)
    size = 2
    first = True
    with open(out, "w") as f:
        f.write("[")
        i = 0
        while size < target:
            r = copy.deepcopy(base)
            name = "repo-%d-%s" % (i, "".join(rnd.choice("abcdefghijklmnop") for _ in range(6)))
            old_full = base["full_name"]
            full = "%s/%s" % (base["owner"]["login"], name)
            for k, v in list(r.items()):
                if isinstance(v, str) and old_full in v:
                    r[k] = v.replace(old_full, full)
            r["id"] = 1296269 + i
            r["node_id"] = "MDEwOlJlcG9zaXRvcnk%07d" % i
            r["name"] = name
            r["full_name"] = full
            r["description"] = "Repository number %d" % i if i % 7 else None
            r["fork"] = bool(i % 5 == 0)
            r["stargazers_count"] = rnd.randint(0, 100000)
            r["watchers_count"] = r["stargazers_count"]
            r["forks_count"] = rnd.randint(0, 5000)
            r["size"] = rnd.randint(0, 10 ** 6)
            r["pushed_at"] = "2011-01-26T19:%02d:%02dZ" % (i % 60, (i * 7) % 60)
            s = json.dumps(r)
            f.write(("" if first else ",\n") + s)
            first = False
            size += len(s) + 2
            i += 1
        f.write("]\n")
    print(i)


if __name__ == "__main__":
    main()
