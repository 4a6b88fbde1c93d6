#!/usr/bin/env python3
"""json2yaml.py - convert a JSON document to block-style YAML (stdlib only).

    python3 bench/json2yaml.py IN.json [OUT.yaml]      (OUT defaults to stdout)

The output is meant to load back to exactly the same data in any YAML 1.1 or
1.2 reader (libyaml, js-yaml, the actions YAML loader):

- mappings and sequences in block style; empty ones as {} and [];
- every string value double-quoted, with YAML escapes for what is not printable
  (control characters, DEL, C1 controls, U+FEFF, U+FFFE, U+FFFF); other
  characters, including those outside the BMP, are written as UTF-8, never as
  surrogate pairs (YAML has no surrogate escapes). JSON's "\\/" is just "/";
- mapping keys plain only when they cannot be read as anything but that string
  (no indicators, no numbers, no null/bool words of YAML 1.1 or 1.2), else
  double-quoted; keys too long for an implicit key as "? key" then ": value";
- numbers keep their JSON spelling; true, false, null as such.

A JSON string holding a lone surrogate (e.g. "\\ud800") has no YAML (or UTF-8)
form: that is an error, as is a repeated key in one object.
"""

import json
import re
import sys

# Characters YAML cannot carry as-is inside a double-quoted scalar (outside the
# printable set, or special: quote, backslash, BOM, and NEL, LS, PS, which
# YAML 1.1 readers such as libyaml take as line breaks), plus lone surrogates.
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]')

_NAMED = {
    "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n",
    "\x0b": "\\v", "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"',
    "\\": "\\\\", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}

# Plain keys: a conservative subset that every YAML reader takes as a string.
_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$./+-]*\Z")
_RESERVED = frozenset("y n yes no true false on off null".split())

# YAML limits an implicit key to 1024 characters (libyaml enforces it); longer
# keys are written in the explicit "? key" / ": value" form.
_MAX_IMPLICIT_KEY = 1000


class ConversionError(Exception):
    pass


class Number(str):
    """A JSON number, kept in its original spelling."""


def _escape_char(m):
    c = m.group(0)
    named = _NAMED.get(c)
    if named is not None:
        return named
    cp = ord(c)
    if 0xD800 <= cp <= 0xDFFF:
        raise ConversionError("lone surrogate U+%04X in a string: no YAML form" % cp)
    if cp <= 0xFF:
        return "\\x%02X" % cp
    return "\\u%04X" % cp


def quote(s):
    if _NEEDS_ESCAPE.search(s) is None:
        return '"' + s + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, s) + '"'


def key_text(k):
    if _PLAIN_KEY.match(k) and k.lower() not in _RESERVED:
        return k
    return quote(k)


def _pairs(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ConversionError("repeated key %s in one object" % quote(k))
        d[k] = v
    return d


def scalar(v):
    if isinstance(v, str):
        if isinstance(v, Number):
            return str.__str__(v)
        return quote(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    raise ConversionError("unexpected value of type %s" % type(v).__name__)


def emit(v, indent, out):
    """Append the lines of a non-empty collection v at the given indent."""
    pad = " " * indent
    if isinstance(v, dict):
        for k, item in v.items():
            kt = key_text(k)
            if len(kt) <= _MAX_IMPLICIT_KEY:
                head = pad + kt + ":"
            else:
                out.append(pad + "? " + kt)
                head = pad + ":"
            if isinstance(item, (dict, list)) and item:
                out.append(head)
                emit(item, indent + 2, out)
            elif isinstance(item, dict):
                out.append(head + " {}")
            elif isinstance(item, list):
                out.append(head + " []")
            else:
                out.append(head + " " + scalar(item))
    else:
        for item in v:
            if isinstance(item, (dict, list)) and item:
                # First line of the nested block goes on the "- " line.
                start = len(out)
                emit(item, indent + 2, out)
                out[start] = pad + "- " + out[start][indent + 2:]
            elif isinstance(item, dict):
                out.append(pad + "- {}")
            elif isinstance(item, list):
                out.append(pad + "- []")
            else:
                out.append(pad + "- " + scalar(item))


def convert(doc):
    out = []
    if isinstance(doc, (dict, list)) and doc:
        emit(doc, 0, out)
    elif isinstance(doc, dict):
        out.append("{}")
    elif isinstance(doc, list):
        out.append("[]")
    else:
        out.append(scalar(doc))
    out.append("")
    return "\n".join(out)


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: json2yaml.py IN.json [OUT.yaml]\n")
        return 2
    sys.setrecursionlimit(100000)
    try:
        with open(argv[1], "rb") as f:
            doc = json.loads(f.read().decode("utf-8"), object_pairs_hook=_pairs,
                             parse_int=Number, parse_float=Number)
        text = convert(doc)
    except (OSError, ValueError, ConversionError) as e:
        sys.stderr.write("json2yaml: %s: %s\n" % (argv[1], e))
        return 1
    data = text.encode("utf-8")
    if len(argv) == 3:
        with open(argv[2], "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
