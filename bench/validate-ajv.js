// validate-ajv.js - the Node competitor of bench/validate.sh: Ajv (compiled validator,
// allErrors) validating an instance file against one schema of an OpenAPI document.
//
//   NODE_PATH=build/bench/node/node_modules node bench/validate-ajv.js SPEC.json POINTER INSTANCE.json
//
// The whole process is measured: reading and parsing the spec, compiling the schema
// (refs resolved by Ajv), reading and parsing the instance, validating. Prints
// "valid" or the number of errors; exit 0 / 1.
"use strict";
const fs = require("fs");
const Ajv = require("ajv");

const [spec, pointer, instance] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(spec, "utf8"));
// OpenAPI 3.0 schemas: nullable and discriminator are Ajv options; formats are not
// checked (ajv-formats is another package), unknown keywords (example, x-...) allowed.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, discriminator: false });
doc.$id = "spec";
ajv.addSchema(doc);
const validate = ajv.getSchema("spec#" + pointer);
const data = JSON.parse(fs.readFileSync(instance, "utf8"));
if (validate(data)) {
    console.log("valid");
} else {
    console.log(validate.errors.length + " errors");
    process.exit(1);
}
