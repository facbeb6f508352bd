// The live scenarios: the JavaScript client against the real Java server of the integration test
// (integration-tests, dev.parley.it.js.JsTestServer), every function type of the samples'
// calculator, plain, sealed and sealed with compression. The same file runs under Node
// (node.test.mjs) and in headless Chromium (browser.test.mjs), so it uses no Node module.
//
// scenarios(lib, env) → [{ name, run }]; lib is the package's exports, env = { base, secureKey, runtime }.

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function ok(condition, what) {
  if (!condition) throw new Error(what);
}

async function fails(promise, check, what) {
  try {
    await promise;
  } catch (e) {
    const why = check(e);
    if (why !== true) throw new Error(`${what}: ${why || "unexpected error"} (${e && e.name}: ${e && e.message})`);
    return e;
  }
  throw new Error(`${what}: the call succeeded`);
}

export function scenarios(lib, env) {
  const { ParleyClient, RemoteError, TransportError, SecureKey } = lib;
  const url = (path) => new URL(path, env.base).href;
  const control = new ParleyClient(url("/control"));
  const addRuns = (path) => control.call("addRuns", { path }, { idempotent: true });
  const modes = [
    { mode: "plain", path: "/calc", options: {} },
    { mode: "sealed", path: "/secure-calc", options: { secureKey: env.secureKey } },
    { mode: "sealed+deflate", path: "/secure-calc-z", options: { secureKey: env.secureKey, compression: true } },
  ];
  const list = [];
  const add = (name, run) => list.push({ name: `${env.runtime}: ${name}`, run });

  for (const { mode, path, options } of modes) {
    const client = new ParleyClient(url(path), options);
    add(`${mode} add takes params by name and by position`, async () => {
      same(await client.call("add", { a: 1, b: 2 }), 3, "by name");
      same(await client.call("add", [40, 2]), 42, "by position");
    });
    add(`${mode} divide by zero is the typed error 1001 with the dividend as data`, async () => {
      const e = await fails(client.call("divide", { a: 7, b: 0 }), (x) => x instanceof RemoteError && x.code === 1001 || "not RemoteError 1001", "divide");
      same([e.message, e.data], ["division by zero", 7], "message and data");
      same(await client.call("divide", { a: 7, b: 2 }), 3, "7 / 2");
    });
    add(`${mode} sum takes a rest parameter by position and its array by name`, async () => {
      same(await client.call("sum", [1, 2, 4]), 7, "by position");
      same(await client.call("sum", { numbers: [10, 20, 30] }), 60, "by name");
      same(await client.call("sum", []), 0, "none");
    });
    add(`${mode} total runs on the server's asynchronous path`, async () => {
      same(await client.call("total", { numbers: [1, 2, 3] }), 6, "total");
    });
    add(`${mode} total of 30000 numbers sends a body of several 64 KiB chunks`, async () => {
      const numbers = Array.from({ length: 30000 }, (_, i) => i * 7);
      ok(JSON.stringify(numbers).length > 2 * 65536, "the request is over two chunks");
      same(await client.call("total", { numbers }), (29999 * 30000 / 2) * 7, "total");
    });
    add(`${mode} table returns a list of records (an idempotent function)`, async () => {
      const table = await client.call("table", { n: 7 }, { idempotent: true });
      same(table.length, 10, "rows");
      same(table[0], { expression: "7 x 1", result: 7 }, "first row");
      same(table[9], { expression: "7 x 10", result: 70 }, "last row");
    });
    add(`${mode} accumulate keeps state in the client's session`, async () => {
      const own = new ParleyClient(url(path), options);
      same(await own.call("accumulate", { value: 5 }), 5, "first");
      same(await own.call("accumulate", { value: 7 }), 12, "second, same session");
      ok(own.sessionId, "the client knows its session id");
      same(await new ParleyClient(url(path), options).call("accumulate", { value: 1 }), 1, "another client, another session");
    });
    add(`${mode} a notification runs the function and answers nothing`, async () => {
      const before = await addRuns(path);
      same(await client.notify("add", { a: 1, b: 1 }), undefined, "notify");
      same(await addRuns(path), before + 1, "add ran once");
    });
    add(`${mode} a batch carries calls, an error and a notification`, async () => {
      const results = await client.batch([
        { method: "add", params: { a: 2, b: 3 } },
        { method: "divide", params: { a: 1, b: 0 } },
        { method: "add", params: { a: 0, b: 0 }, notification: true },
        { method: "table", params: { n: 2 } },
      ]);
      same(results[0], { ok: true, result: 5 }, "add");
      ok(results[1].ok === false && results[1].error instanceof RemoteError && results[1].error.code === 1001, "divide fails with 1001");
      same(results[1].error.data, 1, "the dividend");
      same(results[2], undefined, "the notification's slot");
      same(results[3].result[1], { expression: "2 x 2", result: 4 }, "table");
    });
    add(`${mode} an unknown function is RemoteError -32601`, async () => {
      await fails(client.call("subtract", { a: 1, b: 1 }), (e) => e instanceof RemoteError && e.code === -32601 || "not -32601", "subtract");
    });
    add(`${mode} rpc.discover lists the sample's six functions`, async () => {
      const doc = await client.call("rpc.discover", undefined, { idempotent: true });
      same(doc.methods.map((m) => m.name).sort(), ["accumulate", "add", "divide", "sum", "table", "total"], "methods");
    });
    add(`${mode} a call aborted before it was sent reports that it did not run`, async () => {
      const before = await addRuns(path);
      const abort = new AbortController();
      abort.abort();
      await fails(client.call("add", { a: 1, b: 2 }, { signal: abort.signal }),
        (e) => e.name === "CallAbortedError" && e.outcome === "NOT_RUN" || `outcome ${e.outcome}`, "aborted");
      same(await addRuns(path), before, "add did not run");
    });
  }

  add("sealed concurrent calls share one handshake and one session", async () => {
    const events = [];
    const client = new ParleyClient(url("/secure-calc"), { secureKey: env.secureKey, onEvent: (e) => events.push(e.type) });
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => client.call("add", { a: i, b: 1 })));
    same(sums, Array.from({ length: 20 }, (_, i) => i + 1), "sums");
    same(events.filter((t) => t === "sessionOpen").length, 1, "handshakes");
  });
  add("sealed an expired session gets a verified 410: one new handshake, one repost, the call runs once", async () => {
    const events = [];
    const client = new ParleyClient(url("/secure-calc"), { secureKey: env.secureKey, onEvent: (e) => events.push(e.type) });
    same(await client.call("add", { a: 1, b: 1 }), 2, "first call");
    const sid = client.sessionId;
    await control.call("expireSessions");
    const before = await addRuns("/secure-calc");
    same(await client.call("add", { a: 2, b: 2 }), 4, "the reposted call");
    same(await addRuns("/secure-calc"), before + 1, "add ran exactly once");
    same(events, ["sessionOpen", "sessionExpired", "repost", "sessionOpen"], "events");
    ok(client.sessionId && client.sessionId !== sid, "a new session");
  });
  add("sealed a wrong SecureKey is refused at the handshake, and the call did not run", async () => {
    const wrong = env.secureKey.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    const before = await addRuns("/secure-calc");
    await fails(new ParleyClient(url("/secure-calc"), { secureKey: wrong }).call("add", { a: 1, b: 1 }),
      (e) => e.name === "WrongSecureKeyError" && e.outcome === "NOT_RUN" && e.httpStatus === 403 || "not WrongSecureKeyError 403", "wrong key");
    same(await addRuns("/secure-calc"), before, "add did not run");
    await fails(new ParleyClient(url("/secure-calc"), { secureKey: env.secureKey, secureKeyId: 3 }).call("add", { a: 1, b: 1 }),
      (e) => e.name === "WrongSecureKeyError" || "not WrongSecureKeyError", "wrong key id");
  });
  add("sealed a SecureKey given as a SecureKey object works like its text", async () => {
    const key = await SecureKey.parse(env.secureKey);
    same(String(key), "SecureKey[keyId=0]", "toString shows no key");
    same(await new ParleyClient(url("/secure-calc"), { secureKey: key }).call("add", { a: 3, b: 4 }), 7, "add");
  });
  add("a plain client of an encrypted module gets EncryptionRequiredError, outcome unknown", async () => {
    await fails(new ParleyClient(url("/secure-calc")).call("add", { a: 1, b: 1 }),
      (e) => e.name === "EncryptionRequiredError" && e.httpStatus === 412 && e.outcome === "UNKNOWN" || "not 412", "plain to sealed");
  });
  add("a forcing client of a plain module gets EncryptionNotSupportedError and sends nothing in clear", async () => {
    const before = await addRuns("/calc");
    await fails(new ParleyClient(url("/calc"), { secureKey: env.secureKey }).call("add", { a: 1, b: 1 }),
      (e) => e.name === "EncryptionNotSupportedError" && e.outcome === "NOT_RUN" || "not EncryptionNotSupportedError", "sealed to plain");
    same(await addRuns("/calc"), before, "add did not run");
  });
  add("a call to a closed port says what the platform can know of it", async () => {
    const closed = new URL(env.base);
    closed.port = "2";
    closed.pathname = "/calc";
    // waitForServer: false, so that no timer decides the result: the first failure is reported.
    const e = await fails(new ParleyClient(closed.href, { waitForServer: false }).call("add", { a: 1, b: 1 }),
      (x) => x instanceof TransportError || "not a TransportError", "closed port");
    // Node says ECONNREFUSED (nothing was sent); a browser's fetch says only "TypeError", which
    // cannot prove that nothing was sent (docs/JS.md, "What a failed call can know").
    same(e.outcome, env.runtime === "node" ? "NOT_RUN" : "UNKNOWN", "outcome");
    const sealed = await fails(new ParleyClient(closed.href, { secureKey: env.secureKey, waitForServer: false }).call("add", { a: 1, b: 1 }),
      (x) => x instanceof TransportError || "not a TransportError", "closed port, sealed");
    same(sealed.outcome, "NOT_RUN", "a handshake that never completed sent no call");
  });
  return list;
}
