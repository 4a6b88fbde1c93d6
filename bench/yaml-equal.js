#!/usr/bin/env node
// yaml-equal.js - check a YAML conversion with a second, independent reader:
// load JSON with JSON.parse and YAML with js-yaml (default, YAML 1.2 core
// schema), and compare them deep-equal. Prints "equal" or the first difference
// (as a JSON Pointer) and exits 1.
//
//   NODE_PATH=build/bench/node/node_modules node bench/yaml-equal.js IN.json IN.yaml
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');

function esc(k) {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

// Returns the pointer of the first difference, or null.
function diff(a, b, ptr) {
  const ka = kind(a);
  if (ka !== kind(b)) return `${ptr}: ${ka} vs ${kind(b)}`;
  if (ka === 'array') {
    if (a.length !== b.length) return `${ptr}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${ptr}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (ka === 'object') {
    const ea = Object.keys(a);
    const eb = Object.keys(b);
    if (ea.length !== eb.length) return `${ptr}: ${ea.length} vs ${eb.length} members`;
    for (let i = 0; i < ea.length; i++) {
      if (ea[i] !== eb[i]) return `${ptr}: key ${JSON.stringify(ea[i])} vs ${JSON.stringify(eb[i])}`;
      const d = diff(a[ea[i]], b[ea[i]], `${ptr}/${esc(ea[i])}`);
      if (d) return d;
    }
    return null;
  }
  if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
    return `${ptr}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  return null;
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: yaml-equal.js IN.json IN.yaml\n');
    return 2;
  }
  const j = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  const y = yaml.load(fs.readFileSync(argv[1], 'utf8'), { filename: argv[1] });
  const d = diff(j, y, '');
  if (d) {
    process.stdout.write(`differ at ${d}\n`);
    return 1;
  }
  process.stdout.write('equal\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
