// The client's rules for what a failed call is known to have done, and what it sends again
// (PROTOCOL.md §13.3, §13.4, §15.4, §15.5, §15.7; the Java client's SealedExchange and SessionProbe), against the scripted
// server of fake-server.mjs. Each test counts how often the function really ran.
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { ParleyClient, RemoteError, SessionLostError, TransportError } from "../../dist/parley.min.js";
import { FakeServer } from "../fake-server.mjs";

const KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
let server;
let events;
const realNow = Date.now;

beforeEach(() => {
  server = new FakeServer({ secureKey: KEY });
  events = [];
  Date.now = () => realNow() + server.lateBy;
});

afterEach(() => {
  Date.now = realNow;
});

function client(options = {}) {
  return new ParleyClient("http://parley.test/calc", {
    secureKey: KEY, fetch: server.fetch, onEvent: (e) => events.push(e.type), ...options,
  });
}

async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("the call succeeded");
}

test("a verified reject makes the client handshake anew and send a non-idempotent call once more, so it runs once", async () => {
  const c = client();
  assert.equal(await c.call("add", { a: 1, b: 2 }), 3);
  server.script.push("forget");
  assert.equal(await c.call("add", { a: 2, b: 2 }), 4);
  assert.deepEqual(server.ran, ["add 1 2", "add 2 2"]);
  assert.equal(server.handshakes, 2);
  assert.deepEqual(events, ["sessionOpen", "sessionExpired", "repost", "sessionOpen"]);
});

test("a reject from another server instance proves nothing: a non-idempotent call fails UNKNOWN and is not sent again", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push({ reject: "other" });
  const e = await failure(c.call("add", { a: 5, b: 5 }));
  assert.ok(e instanceof SessionLostError);
  assert.equal(e.outcome, "UNKNOWN");
  assert.match(e.message, /another server instance/);
  assert.deepEqual(server.ran, ["add 1 1"]);
  assert.equal(await c.call("add", { a: 6, b: 6 }), 12, "the next call runs a new handshake");
  assert.equal(server.handshakes, 2);
});

test("an idempotent call is sent once more after an unverifiable 410, and an error then says the outcome is unknown", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push({ reject: "empty" });
  assert.equal(await c.call("add", { a: 2, b: 3 }, { idempotent: true }), 5);
  server.script.push({ reject: "empty" }, { reject: "verified" });
  const e = await failure(c.call("add", { a: 4, b: 4 }, { idempotent: true }));
  assert.ok(e instanceof SessionLostError);
  assert.equal(e.outcome, "UNKNOWN", "the first 410 proved nothing, so the verified second one cannot make it NOT_RUN");
});

test("a reject that arrives 60 s or more after the request was sealed proves nothing", async () => {
  const c = client({ timeoutMs: 0 });
  await c.call("add", { a: 1, b: 1 });
  server.script.push({ reject: "verified", late: true });
  const e = await failure(c.call("add", { a: 7, b: 7 }));
  assert.ok(e instanceof SessionLostError);
  assert.equal(e.outcome, "UNKNOWN");
  assert.match(e.message, /more than 60 s after the call was sealed/);
});

test("a second 410 after the repost fails the call NOT_RUN, and it is never sent a third time", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("forget", "forget");
  const e = await failure(c.call("add", { a: 3, b: 3 }));
  assert.ok(e instanceof SessionLostError);
  assert.equal(e.outcome, "NOT_RUN");
  assert.deepEqual(server.ran, ["add 1 1"]);
  assert.equal(events.filter((t) => t === "repost").length, 1);
});

test("with autoRepost off a verified 410 fails the call NOT_RUN without sending it again", async () => {
  const c = client({ autoRepost: false });
  await c.call("add", { a: 1, b: 1 });
  server.script.push("forget");
  const e = await failure(c.call("add", { a: 3, b: 3 }));
  assert.ok(e instanceof SessionLostError);
  assert.equal(e.knownNotRun, true);
  assert.deepEqual(server.ran, ["add 1 1"]);
});

test("without a SecureKey (Noise_NN) every 410 is unverified", async () => {
  server = new FakeServer({ secureKey: null });
  const c = new ParleyClient("http://parley.test/calc", { encryptionKey: 32, allowUnauthenticated: true, fetch: server.fetch });
  await c.call("add", { a: 1, b: 1 });
  server.script.push("forget");
  const e = await failure(c.call("add", { a: 3, b: 3 }));
  assert.equal(e.outcome, "UNKNOWN");
  assert.match(e.message, /proves nothing without a SecureKey/);
});

test("the sealed 503 draining answer proves the call did not run: it is sent again on a new session and runs once", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("drain");
  assert.equal(await c.call("add", { a: 8, b: 1 }), 9);
  assert.deepEqual(server.ran, ["add 1 1", "add 8 1"]);
  assert.equal(server.handshakes, 2);
});

test("a plain 503, a 400 and an answer swapped from another request leave the outcome unknown", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  for (const [action, status] of [["plain503", 503], ["status400", 400], ["swap", 200]]) {
    server.script.push(action);
    const e = await failure(c.call("add", { a: 2, b: 2 }));
    assert.ok(e instanceof TransportError, action);
    assert.equal(e.outcome, "UNKNOWN", action);
    assert.equal(e.httpStatus, status, action);
  }
  assert.equal(server.handshakes, 1, "a 400 keeps the session");
});

test("a connection that breaks after the request was sent fails a non-idempotent call UNKNOWN; the next call pings first", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("reset");
  const e = await failure(c.call("add", { a: 2, b: 2 }));
  assert.equal(e.outcome, "UNKNOWN");
  assert.deepEqual(server.ran, ["add 1 1", "add 2 2"], "it did run");
  assert.equal(server.pings, 0);
  assert.equal(await c.call("add", { a: 3, b: 3 }), 6);
  assert.equal(server.pings, 1, "the session was checked with an empty sealed request before the next call");
});

test("an idempotent call whose connection broke after sending is sent once more", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("reset");
  assert.equal(await c.call("add", { a: 2, b: 2 }, { idempotent: true }), 4);
  assert.deepEqual(server.ran, ["add 1 1", "add 2 2", "add 2 2"], "an idempotent function may run twice");
  server.script.push("reset", "answer", "reset"); // the call, the ping before its re-send, the re-send
  const e = await failure(c.call("add", { a: 5, b: 5 }, { idempotent: true }));
  assert.equal(e.outcome, "UNKNOWN", "re-sent only once");
  assert.equal(server.ran.filter((r) => r === "add 5 5").length, 2);
});

test("a ping that meets a reject costs nothing: the call goes on a new session and runs once", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("reset");
  await failure(c.call("add", { a: 2, b: 2 }));
  server.restart();
  assert.equal(await c.call("add", { a: 4, b: 4 }), 8);
  assert.deepEqual(server.ran, ["add 1 1", "add 2 2", "add 4 4"]);
  assert.equal(server.handshakes, 2);
});

test("a refused connection proves nothing was sent: the call is tried again within its budget", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("refuse", "refuse");
  assert.equal(await c.call("add", { a: 2, b: 5 }), 7);
  assert.deepEqual(server.ran, ["add 1 1", "add 2 5"]);
});

test("a call that times out after it was sent reports RpcTimeoutError with outcome UNKNOWN", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("hang");
  mock.timers.enable({ apis: ["setTimeout"] }); // the call's budget runs out when the test says so
  try {
    const pending = c.call("add", { a: 2, b: 2 }, { timeoutMs: 5000 });
    while (server.ran.length < 2) await new Promise((r) => setImmediate(r));
    mock.timers.tick(5000);
    const e = await failure(pending);
    assert.equal(e.name, "RpcTimeoutError");
    assert.equal(e.outcome, "UNKNOWN");
  } finally {
    mock.timers.reset();
  }
});

test("the caller's abort while the call is in flight reports CallAbortedError with outcome UNKNOWN", async () => {
  const c = client();
  await c.call("add", { a: 1, b: 1 });
  server.script.push("hang");
  const abort = new AbortController();
  const pending = c.call("add", { a: 2, b: 2 }, { signal: abort.signal });
  while (server.ran.length < 2) await new Promise((r) => setImmediate(r));
  abort.abort();
  const e = await failure(pending);
  assert.equal(e.name, "CallAbortedError");
  assert.equal(e.outcome, "UNKNOWN");
});

test("a compressed answer is accepted by a client that does not compress", async () => {
  const c = client({ compression: false });
  server.script.push("compress");
  assert.equal(await c.call("add", { a: 20, b: 22 }), 42);
});

test("a wrong SecureKey is refused at the handshake with WrongSecureKeyError, NOT_RUN", async () => {
  const c = client({ secureKey: "ff" + KEY.slice(2) });
  const e = await failure(c.call("add", { a: 1, b: 1 }));
  assert.equal(e.name, "WrongSecureKeyError");
  assert.equal(e.outcome, "NOT_RUN");
  assert.deepEqual(events, ["wrongSecureKey"]);
  assert.deepEqual(server.ran, []);
});

test("a JSON-RPC error answer is a RemoteError with code, message and data", async () => {
  const fetch = async () => new Response(JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: 4001, message: "refused", data: { reason: "x" } } }), { status: 200 });
  const e = await failure(new ParleyClient("http://parley.test/calc", { fetch }).call("f"));
  assert.ok(e instanceof RemoteError);
  assert.deepEqual([e.code, e.message, e.data], [4001, "refused", { reason: "x" }]);
});

test("a client that encrypts without forcing falls back to plain calls when the module answers the handshake 415", async () => {
  server = new FakeServer({ plainOnly: true });
  const c = new ParleyClient("http://parley.test/calc", { encryptionKey: 32, allowUnauthenticated: true, fetch: server.fetch });
  assert.equal(await c.call("add", { a: 1, b: 2 }), 3);
  assert.equal(c.encrypting, false);
  assert.equal(await c.call("add", { a: 2, b: 2 }), 4);
  assert.deepEqual(server.ran, ["add 1 2", "add 2 2"]);
});

test("a forcing client never falls back: a 415 to the handshake is EncryptionNotSupportedError and nothing is sent in clear", async () => {
  server = new FakeServer({ plainOnly: true });
  const e = await failure(client().call("add", { a: 1, b: 2 }));
  assert.equal(e.name, "EncryptionNotSupportedError");
  assert.equal(e.outcome, "NOT_RUN");
  assert.deepEqual(server.ran, []);
});

test("with waitForServer false a refused connection fails the call at once, NOT_RUN, without another attempt", async () => {
  const c = client({ waitForServer: false });
  await c.call("add", { a: 1, b: 1 });
  server.script.push("refuse", "answer");
  const e = await failure(c.call("add", { a: 2, b: 2 }));
  assert.equal(e.outcome, "NOT_RUN");
  assert.match(e.message, /waitForServer is off/);
  assert.deepEqual(server.ran, ["add 1 1"]);
  assert.deepEqual(server.script, ["answer"], "no second attempt");
});
