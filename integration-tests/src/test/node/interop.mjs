// Drives a plain Parley module with two independent JSON-RPC 2.0 clients from the npm registry:
// jayson (callback API over node:http) and json-rpc-2.0 (bring-your-own transport, here fetch).
// Usage: node interop.mjs http://127.0.0.1:PORT/interop
// Prints "ok <check>" per passed check and a final "summary {...}" line; exits 1 on any failure.
// Run by dev.parley.it.NodeInteropTest, which also asserts the server-side effects.
import assert from "node:assert/strict";
import jayson from "jayson";
import { JSONRPCClient, JSONRPCErrorException } from "json-rpc-2.0";

const url = new URL(process.argv[2]);
let notificationsSent = 0;
let failures = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

// ---- jayson ----------------------------------------------------------------------------------
const jc = jayson.Client.http({ hostname: url.hostname, port: Number(url.port), path: url.pathname });

/** Resolves with the whole response object (or undefined for a notification). */
function jaysonCall(method, params, id) {
  return new Promise((resolve, reject) => {
    const cb = (err, response) => (err ? reject(err) : resolve(response));
    if (id === null) jc.request(method, params, null, cb);
    else jc.request(method, params, cb);
  });
}

function jaysonBatch(requests) {
  return new Promise((resolve, reject) =>
    jc.request(requests, (err, responses) => (err ? reject(err) : resolve(responses))));
}

await check("jayson named params", async () => {
  const r = await jaysonCall("subtract", { minuend: 42, subtrahend: 23 });
  assert.equal(r.jsonrpc, "2.0");
  assert.equal(r.result, 19);
});

await check("jayson positional params", async () => {
  assert.equal((await jaysonCall("subtract", [23, 42])).result, -19);
  assert.equal((await jaysonCall("sum", [1, 2, 4])).result, 7);
});

await check("jayson string result", async () => {
  assert.equal((await jaysonCall("echo", { text: "grüße, 世界" })).result, "grüße, 世界");
});

await check("jayson notification", async () => {
  const r = await jaysonCall("notify_hello", [7], null);
  notificationsSent++;
  assert.equal(r, undefined);
});

await check("jayson batch", async () => {
  const batch = [
    jc.request("subtract", { minuend: 42, subtrahend: 23 }),
    jc.request("sum", [1, 2, 4]),
    jc.request("notify_hello", [8], null),
    jc.request("does_not_exist", [1]),
    jc.request("get_data", []),
  ];
  notificationsSent++;
  const responses = await jaysonBatch(batch);
  assert.equal(responses.length, 4);
  const byId = new Map(responses.map((r) => [r.id, r]));
  assert.equal(byId.get(batch[0].id).result, 19);
  assert.equal(byId.get(batch[1].id).result, 7);
  assert.equal(byId.get(batch[3].id).error.code, -32601);
  assert.deepEqual(byId.get(batch[4].id).result, ["hello", 5]);
});

await check("jayson all-notification batch", async () => {
  const responses = await jaysonBatch([
    jc.request("notify_hello", [1], null),
    jc.request("notify_hello", [2], null),
  ]);
  notificationsSent += 2;
  assert.ok(responses === undefined || responses === null || responses.length === 0,
    `expected no responses, got ${JSON.stringify(responses)}`);
});

await check("jayson application error", async () => {
  const r = await jaysonCall("fail", { reason: "closed" });
  assert.equal(r.error.code, 4001);
  assert.equal(r.error.message, "refused: closed");
  assert.deepEqual(r.error.data, { reason: "closed" });
});

await check("jayson method not found", async () => {
  const r = await jaysonCall("no_such_function", []);
  assert.equal(r.error.code, -32601);
});

await check("jayson invalid params", async () => {
  assert.equal((await jaysonCall("subtract", { minuend: "many", subtrahend: 1 })).error.code, -32602);
  assert.equal((await jaysonCall("subtract", [1])).error.code, -32602);
});

await check("jayson strict numbers", async () => {
  // The specification's subtract with a fraction: refused, not truncated to 2.
  const fraction = await jaysonCall("subtract", [5, 3.7]);
  assert.equal(fraction.error.code, -32602);
  assert.match(fraction.error.message, /'subtrahend'/);
  const text = await jaysonCall("subtract", { minuend: "12", subtrahend: 1 });
  assert.equal(text.error.code, -32602);
  assert.match(text.error.message, /'minuend'/);
});

await check("jayson rest parameter", async () => {
  assert.equal((await jaysonCall("sum", [1, 2, 4, 8, 16])).result, 31);
  assert.equal((await jaysonCall("sum", [])).result, 0);
  assert.equal((await jaysonCall("sum", { numbers: [1, 2, 4] })).result, 7);
});

await check("jayson function exception", async () => {
  const r = await jaysonCall("divide", { a: 1, b: 0 });
  assert.equal(r.error.code, -32000);
  assert.equal(r.error.message, "Server error");
  assert.ok(!JSON.stringify(r.error).includes("\tat "), "no stack trace in the error");
});

// ---- json-rpc-2.0 ----------------------------------------------------------------------------
let nextId = 1;
const client = new JSONRPCClient(async (request) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  if (response.status === 200) {
    client.receive(await response.json());
  } else if (response.status === 204) {
    // a notification or an all-notification batch: nothing to receive
  } else {
    throw new Error(`HTTP ${response.status}`);
  }
}, () => nextId++);

await check("json-rpc-2.0 named params", async () => {
  assert.equal(await client.request("subtract", { minuend: 42, subtrahend: 23 }), 19);
});

await check("json-rpc-2.0 positional params", async () => {
  assert.equal(await client.request("subtract", [42, 23]), 19);
  assert.equal(await client.request("sum", [10, 20, 30]), 60);
});

await check("json-rpc-2.0 notification", async () => {
  await client.notify("notify_hello", { value: 9 });
  notificationsSent++;
});

await check("json-rpc-2.0 batch", async () => {
  const responses = await client.requestAdvanced([
    { jsonrpc: "2.0", id: "a", method: "subtract", params: { minuend: 5, subtrahend: 3 } },
    { jsonrpc: "2.0", id: "b", method: "echo", params: ["hi"] },
    { jsonrpc: "2.0", method: "notify_hello", params: [10] },
    { jsonrpc: "2.0", id: "c", method: "fail", params: { reason: "no" } },
  ]);
  notificationsSent++;
  assert.equal(responses.length, 3);
  const byId = new Map(responses.map((r) => [r.id, r]));
  assert.equal(byId.get("a").result, 2);
  assert.equal(byId.get("b").result, "hi");
  assert.equal(byId.get("c").error.code, 4001);
});

await check("json-rpc-2.0 application error", async () => {
  await assert.rejects(client.request("fail", { reason: "closed" }), (e) => {
    assert.ok(e instanceof JSONRPCErrorException);
    assert.equal(e.code, 4001);
    assert.equal(e.message, "refused: closed");
    assert.deepEqual(e.data, { reason: "closed" });
    return true;
  });
});

await check("json-rpc-2.0 method not found", async () => {
  await assert.rejects(client.request("no_such_function", {}), (e) => e.code === -32601);
});

await check("json-rpc-2.0 invalid params", async () => {
  await assert.rejects(client.request("sum", { a: 1 }), (e) => e.code === -32602);
});

console.log(`summary ${JSON.stringify({ notificationsSent, failures })}`);
process.exit(failures === 0 ? 0 : 1);
