// The client's side of data frames beyond the golden vectors (PROTOCOL.md §10.2, §12.3): receiving
// epochs and chunked frames that were cut or extended.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bytes, primitives as p, SecureChannel, associatedData, frameHeader, sealChunks } from "../../dist/testing.js";

const keys = () => ({
  sid: p.randomBytes(16), sidText: "", c2sKey: p.randomBytes(32), c2sIv: p.randomBytes(12),
  s2cKey: p.randomBytes(32), s2cIv: p.randomBytes(12), instanceId: p.randomBytes(16), rejectKey: p.randomBytes(32),
});

/** The server's response to request `reqCtr`, sealed under epoch `epoch` (§12.2: K_{e+1} = Expand(K_e, label)). */
async function response(k, epoch, ctr, reqCtr, plaintext = bytes.utf8("{}")) {
  let key = k.s2cKey;
  for (let e = 0; e < epoch; e++) key = await p.expand(key, bytes.utf8("parley v1 epoch key"), 32);
  const header = frameHeader(6, epoch, k.sid, ctr, reqCtr);
  return sealChunks(await p.aesKey(key), k.s2cIv, ctr, header, associatedData(header, "POST", "/calc", 200), plaintext);
}

const open = (ch, frame, reqCtr) => ch.openResponse(frame, reqCtr, 200, "POST", "/calc");

test("a response of the next epoch moves the receiver on; the previous epoch stays open, older and further ones are refused", async () => {
  const k = keys();
  const ch = new SecureChannel(k);
  await open(ch, await response(k, 0, 0, 0), 0);
  await open(ch, await response(k, 1, 1, 1), 1);          // epoch 1 arrives: the receiver moves to 1
  await open(ch, await response(k, 0, 2, 2), 2);          // epoch 0 is the grace window
  await open(ch, await response(k, 2, 3, 3), 3);          // epoch 2: moves to 2, forgets epoch 0
  await assert.rejects(open(ch, await response(k, 0, 4, 4), 4), /epoch long gone/);
  await assert.rejects(open(ch, await response(k, 4, 5, 5), 5), /too far ahead/);
});

test("a response that fails to open moves no epoch", async () => {
  const k = keys();
  const ch = new SecureChannel(k);
  const forged = await response(k, 1, 0, 0);
  forged[forged.length - 1] ^= 1;
  await assert.rejects(open(ch, forged, 0), /failed to authenticate/);
  await open(ch, await response(k, 0, 1, 1), 1);
  await open(ch, await response(k, 1, 2, 2), 2);
  await open(ch, await response(k, 0, 3, 3), 3);          // still the grace window: 1 is current
});

test("a two-chunk response opens whole, and fails when cut at the chunk boundary or extended", async () => {
  const k = keys();
  const big = Uint8Array.from({ length: 65536 + 10 }, (_, i) => (i * 31) % 256);
  const frame = await response(k, 0, 0, 0, big);
  assert.deepEqual(await open(new SecureChannel(k), frame, 0), big);
  await assert.rejects(open(new SecureChannel(k), frame.subarray(0, 37 + 65552), 0), /failed to authenticate/);
  await assert.rejects(open(new SecureChannel(k), bytes.concat(frame, new Uint8Array(20)), 0), /failed to authenticate/);
  await assert.rejects(open(new SecureChannel(k), bytes.concat(frame.subarray(0, 37 + 65552), new Uint8Array(5)), 0), /too short/);
});

test("a sender past its maximum session age refuses to seal (LIMIT)", async () => {
  let now = 0;
  const ch = new SecureChannel(keys(), { maxAgeMs: 1000, now: () => now });
  await ch.sealRequest("POST", "/calc", new Uint8Array(0));
  now = 1000;
  assert.throws(() => ch.sealRequest("POST", "/calc", new Uint8Array(0)), (e) => e.reason === "LIMIT");
});
