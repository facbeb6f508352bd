// Checks the OpenRPC document a Parley module answers to rpc.discover, with validators from the npm
// registry: the OpenRPC meta-schema (by @open-rpc/schema-utils-js, and by Ajv with
// @open-rpc/meta-schema), the specification's rules that a schema cannot express, and every answer
// of a sample call to every function against the schema the document declares for it.
// Usage: node openrpc.mjs http://127.0.0.1:PORT/catalog
// Prints "ok <check>" per passed check and a final "summary {...}" line; exits 1 on any failure.
// Run by dev.parley.it.openrpc.OpenRpcConformanceTest.
import assert from "node:assert/strict";
import schemaUtils from "@open-rpc/schema-utils-js";
import openRpcMetaSchemaModule from "@open-rpc/meta-schema";
import jsonSchemaMetaSchemaModule from "@json-schema-tools/meta-schema";
import Ajv from "ajv";
import addFormats from "ajv-formats";

// Both are CommonJS modules whose schema is their "default" export.
const openRpcMetaSchema = openRpcMetaSchemaModule.default;
const jsonSchemaMetaSchema = jsonSchemaMetaSchemaModule.default;

const url = process.argv[2];
let failures = 0;
let answersChecked = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

let nextId = 1;
async function rpc(method, params) {
  const request = { jsonrpc: "2.0", id: nextId++, method };
  if (params !== undefined) request.params = params;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  assert.equal(response.status, 200, `${method}: HTTP ${response.status}`);
  return response.json();
}

const document = (await rpc("rpc.discover")).result;

await check("meta-schema (schema-utils-js)", () => {
  const result = schemaUtils.validateOpenRPCDocument(document);
  assert.equal(result, true, result === true ? "" : result.message);
});

await check("meta-schema (ajv, @open-rpc/meta-schema)", () => {
  assert.equal(openRpcMetaSchema.$id, "https://meta.open-rpc.org/");
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(jsonSchemaMetaSchema);
  // The OpenRPC meta-schema refers to it as "https://meta.json-schema.tools", without the final
  // slash of its $id, which Ajv treats as another URI.
  ajv.addSchema({ ...jsonSchemaMetaSchema, $id: "https://meta.json-schema.tools" });
  const valid = ajv.validate(openRpcMetaSchema, document);
  assert.ok(valid, JSON.stringify(ajv.errors, null, 2));
});

await check("info is the module's", () => {
  assert.deepEqual(document.info, {
    title: "Parley conformance catalog",
    description: "Every kind of value the processor describes.",
    version: "3.1.4",
  });
});

// ---- rules of the specification that the meta-schema cannot express --------------------------
const schemas = document.components?.schemas ?? {};

await check("method names are unique", () => {
  const names = document.methods.map((m) => m.name);
  assert.equal(new Set(names).size, names.length, names.join(", "));
});

await check("params are named uniquely and required ones come first", () => {
  for (const method of document.methods) {
    const names = method.params.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `${method.name}: ${names}`);
    let optionalSeen = null;
    for (const param of method.params) {
      if (!param.required) optionalSeen = param.name;
      else assert.equal(optionalSeen, null, `${method.name}: required ${param.name} follows optional ${optionalSeen}`);
    }
    assert.equal(method.paramStructure, "either", method.name);
  }
});

await check("every $ref resolves to a component schema", () => {
  const refs = [];
  (function walk(node) {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref") refs.push(value);
        else walk(value);
      }
    }
  })(document);
  assert.ok(refs.length > 0, "the catalog has records, so there are references");
  for (const ref of refs) {
    assert.match(ref, /^#\/components\/schemas\//);
    assert.ok(ref.slice("#/components/schemas/".length) in schemas, `unresolved ${ref}`);
  }
});

await check("typed errors have application codes and data schemas", () => {
  const withdraw = document.methods.find((m) => m.name === "withdraw");
  assert.deepEqual(withdraw.errors.map((e) => e.code), [4001, 4002]);
  assert.ok(withdraw["x-error-data"]["4001"], "the data schema of 4001");
  for (const method of document.methods) {
    for (const error of method.errors ?? []) {
      assert.ok(error.code < -32768 || error.code > -32000, `${method.name}: reserved code ${error.code}`);
    }
  }
});

// ---- every answer against its schema -------------------------------------------------------------
// JSON Schema draft 07 with the formats OpenRPC documents use (int32, int64, double, date-time, uuid …).
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const local = (schema) => JSON.parse(JSON.stringify(schema).replaceAll(
  '"$ref":"#/components/schemas/', '"$ref":"components.json#/definitions/'));
ajv.addSchema({ $id: "components.json", definitions: local(schemas) });
const byName = new Map(document.methods.map((m) => [m.name, m]));

function validate(schema, value, what) {
  const valid = ajv.validate(local(schema), value);
  assert.ok(valid, `${what} ${JSON.stringify(value)} does not match ${JSON.stringify(schema)}: `
    + JSON.stringify(ajv.errors));
}

/** The params as the document names them, from a positional or named call. */
function namedParams(method, params) {
  if (!Array.isArray(params)) return Object.entries(params);
  const named = [];
  method.params.forEach((p, i) => {
    const rest = p.description && p.description.startsWith("Rest parameter");
    if (rest) named.push([p.name, params.slice(i)]);
    else if (i < params.length) named.push([p.name, params[i]]);
  });
  return named;
}

// [method, params, expected error code or undefined]: values at the edges of their schemas.
const calls = [
  ["anything", { value: { list: [1, "two", null, 4.5], nested: { ok: true } } }],
  ["anything", [null]],
  ["nameOf", [0]],
  ["nameOf", { id: 3 }],
  ["person", ["ann"]],
  ["person", { name: null, nickname: "a" }],
  ["people", [2]],
  ["colours", { wanted: ["RED", "BLUE"] }],
  ["moments", []],
  ["bytes", ["AAEC/w=="]],
  ["initial", ["xyz"]],
  ["exact", [0.25, 3]],
  ["maybe", [true]],
  ["maybe", [false]],
  ["nothing", {}],
  ["series", { names: { "123e4567-e89b-12d3-a456-426614174000": "x" } }],
  ["gadget", []],
  ["shape", []],
  ["doubled", [1, 2, 3]],
  ["doubled", { values: [4] }],
  ["doubled", []],
  ["whoAmI", []],
  ["withdraw", [10]],
  ["withdraw", { amount: 1000 }, 4001],
  ["depositLater", [5]],
  ["total", [1, 2, 4]],
  ["sum", [1, 2, 4]],
  ["join", ["-", "a", "b"]],
  ["scale", [1.5, 2]],
  ["visits", []],
  ["subtract", [42, 23]],
  ["echo", ["hi"]],
  ["get_data", []],
  ["notify_hello", [1]],
  ["divide", [7, 2]],
];
// Functions that only ever fail, with errors the document cannot list (a RemoteException thrown by
// hand, or an unexpected exception answered -32000).
const onlyFailing = new Set(["audit", "reconcile", "fail"]);

await check("every function has a sample call", () => {
  const called = new Set(calls.map(([name]) => name));
  const missing = document.methods.map((m) => m.name).filter((n) => !called.has(n) && !onlyFailing.has(n));
  assert.deepEqual(missing, []);
});

for (const [name, params, errorCode] of calls) {
  await check(`${name}(${JSON.stringify(params)}) matches the document`, async () => {
    const method = byName.get(name);
    assert.ok(method, `no method ${name}`);
    for (const [param, value] of namedParams(method, params)) {
      const descriptor = method.params.find((p) => p.name === param);
      assert.ok(descriptor, `${name} has no param ${param}`);
      validate(descriptor.schema, value, `param ${param} of ${name}`);
    }
    const answer = await rpc(name, params);
    if (errorCode === undefined) {
      assert.ok(!("error" in answer), JSON.stringify(answer));
      validate(method.result.schema, answer.result, `result of ${name}`);
    } else {
      assert.equal(answer.error?.code, errorCode, JSON.stringify(answer));
      assert.ok(method.errors.some((e) => e.code === errorCode), `${name} does not list ${errorCode}`);
      validate(method["x-error-data"][String(errorCode)], answer.error.data, `error data of ${name}`);
    }
    answersChecked++;
  });
}

console.log(`summary ${JSON.stringify({ answersChecked, failures })}`);
process.exit(failures === 0 ? 0 : 1);
