#!/usr/bin/env node
// swagger-parser.js - the Node competitor for `make bench`: dereference an
// OpenAPI document with @apidevtools/swagger-parser, then list its operations
// as "operationId METHOD path", one per line.
//
//   NODE_PATH=build/bench/node/node_modules node bench/swagger-parser.js SPEC
//
// The package is installed by bench/run.sh into build/bench/node, never into
// the repository.
'use strict';

const SwaggerParser = require('@apidevtools/swagger-parser');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

async function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: swagger-parser.js SPEC\n');
    return 2;
  }
  const api = await SwaggerParser.dereference(argv[0]);
  const out = [];
  for (const [path, item] of Object.entries(api.paths || {})) {
    for (const m of METHODS) {
      const op = item && item[m];
      if (op && typeof op === 'object') {
        out.push(`${op.operationId || `${m}.${path}`} ${m.toUpperCase()} ${path}`);
      }
    }
  }
  out.push('');
  process.stdout.write(out.join('\n'));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`swagger-parser: ${err.message}\n`); process.exitCode = 1; },
);
