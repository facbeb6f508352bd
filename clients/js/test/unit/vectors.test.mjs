// Every golden vector of docs/PROTOCOL.md Appendix A, read from the document and reproduced with
// this package's code (the client's computations) and a short model of the server's half written
// here from §6.2–§6.5 and §13.1 on the same WebCrypto primitives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { argon2id } from "hash-wasm";
import {
  bytes,
  primitives as p,
  ClientHandshake,
  Prologue,
  SymmetricState,
  SecureChannel,
  SecureKey,
  associatedData,
  frameHeader,
  nonce,
  psk,
  sealChunks,
} from "../../dist/testing.js";
import { readVectors } from "../vectors.mjs";

const { fromHex: h, toHex, utf8, concat, u8, u16, u32, u64, slice } = bytes;
const V = readVectors();
const hexOf = (b) => toHex(b);

test("the appendix holds the vectors this test expects", () => {
  assert.deepEqual([...V.keys()].sort(), [
    "frame-reject", "frame-request", "frame-request-epoch1-empty", "frame-request-two-chunks", "frame-response",
    "frame-session", "handshake-nn", "handshake-psk", "plaintext-request-metadata", "securekey-base64", "securekey-password",
    "securekey-password-test-cost",
  ]);
});

/** The server's half of msg1 → msg2 (§6.1, §6.2, §6.3), written from the text. */
async function serverMessage2(v, key) {
  const suite = key ? 1 : 2;
  const route = utf8(v.route);
  const s = await SymmetricState.initialize(suite === 1 ? "Noise_NNpsk0_25519_AESGCM_SHA256" : "Noise_NN_25519_AESGCM_SHA256");
  await s.mixHash(concat(Uint8Array.of(1, suite, Number(v.keyId), 0, Number(v.A)), u16(route.length), route));
  if (key) await s.mixKeyAndHash(psk(key));
  const eC = h(v["eC.pub"]);
  await s.mixHash(eC);
  if (key) await s.mixKey(eC);
  await s.encryptAndHash(new Uint8Array(0));
  const eS = await p.x25519FromPrivate(h(v["eS.priv"]));
  await s.mixHash(eS.publicKey);
  if (key) await s.mixKey(eS.publicKey);
  const ee = await p.x25519(eS.privateKey, eC);
  await s.mixKey(ee);
  const c2 = await s.encryptAndHash(u8(0));
  const now = Number(v.now);
  const tp = concat(u64(now + 30000), u8(Number(v.keyId)), u8(Number(v.A)), s.ck, s.h);
  const head = concat(u32(Math.floor(now / 300000)), h(v.tokenNonce));
  const token = concat(head, await p.seal(await p.aesKey(h(v.tokenKey)), h(v.tokenNonce), head, tp));
  const msg2 = concat(Uint8Array.of(1, 2), eS.publicKey, c2, u16(token.length), token);
  return { ee, ck2: s.ck, h2: s.h, tokenPlaintext: tp, token, msg2 };
}

/** The server's msg4 (§6.5) from the client's ck3 and h3. */
async function serverMessage4(v, ck3, h3) {
  const k4 = await p.expand(ck3, utf8("parley v1 msg4 key"), 32);
  const sid = h(v.sid);
  const rk = await p.expand(h(v.instanceSecret), concat(utf8("parley v1 session reject key"), sid), 32);
  const S2 = h(v.S2);
  const p4 = concat(u8(S2.length), S2, sid, h(v.instanceId), rk);
  const head = concat(Uint8Array.of(1, 4), h(v.n4));
  const msg4 = concat(head, await p.seal(await p.aesKey(k4), h(v.n4), concat(h3, head), p4));
  return { k4, rk, msg4 };
}

for (const name of ["handshake-psk", "handshake-nn"]) {
  test(`the ${name} vector is reproduced: msg1, msg3, the session keys and every intermediate value`, async () => {
    const v = V.get(name);
    const key = v.secureKey === "none" ? null : await SecureKey.parse(v.secureKey, Number(v.keyId));
    if (key) {
      assert.equal(hexOf(await p.extract(utf8("parley v1 securekey"), h(v.secureKey))), v.prk);
      assert.equal(hexOf(psk(key)), v.psk);
    }
    const trace = {};
    const prologue = await Prologue.of(key, v.route, Number(v.A));
    assert.equal(hexOf(prologue.bytes), v.prologue);
    const hs = await ClientHandshake.start(prologue, {
      ephemeralPrivate: h(v["eC.priv"]), sid: h(v.sid), c2: h(v.C2), trace,
    });
    assert.equal(hexOf(hs.message1()), v.msg1);
    for (const k of ["eC.pub", "h1"]) assert.equal(hexOf(trace[k]), v[k], k);

    const server = await serverMessage2(v, key);
    for (const k of ["ee", "ck2", "h2", "tokenPlaintext", "token", "msg2"]) assert.equal(hexOf(server[k]), v[k], k);
    assert.equal(hexOf((await p.x25519FromPrivate(h(v["eS.priv"]))).publicKey), v["eS.pub"]);

    const msg3 = await hs.message3(h(v.msg2));
    assert.equal(hexOf(msg3), v.msg3);
    for (const k of ["eS.pub", "ee", "ck2", "h2", "k3", "h3", "ck3"]) assert.equal(hexOf(trace[k]), v[k], k);

    const four = await serverMessage4(v, h(v.ck3), h(v.h3));
    assert.equal(hexOf(four.k4), v.k4);
    assert.equal(hexOf(four.rk), v.sessionRejectKey);
    assert.equal(hexOf(four.msg4), v.msg4);

    const keys = await hs.finish(h(v.msg4));
    assert.equal(keys.sidText, v.sidText);
    for (const k of ["c2sKey", "c2sIv", "s2cKey", "s2cIv"]) assert.equal(hexOf(keys[k]), v[k], k);
    assert.equal(hexOf(keys.instanceId), v.instanceId);
    assert.equal(hexOf(keys.rejectKey), v.sessionRejectKey);
    for (const k of ["k4", "sessionRejectKey", "h4", "ck4"]) assert.equal(hexOf(trace[k]), v[k], k);
  });
}

test("the handshake-nn vector's prk is the SecureKey salt's HKDF-Extract of an empty key", async () => {
  const v = V.get("handshake-nn");
  assert.equal(hexOf(await p.extract(utf8("parley v1 securekey"), new Uint8Array(0))), v.prk);
});

test("the securekey-base64 vector gives the psk of A.1", async () => {
  const v = V.get("securekey-base64");
  assert.equal(hexOf(psk(await SecureKey.parse(v.text))), v.psk);
  assert.equal(v.psk, V.get("handshake-psk").psk);
});

/** An Argon2id for SecureKey.fromPassword: hash-wasm, a test-only dependency. */
function hashWasmArgon2id(seen) {
  return async (a) => {
    const out = await argon2id({
      password: a.password, salt: a.salt, iterations: a.passes, parallelism: a.lanes,
      memorySize: a.memoryKiB, hashLength: a.length, outputType: "binary",
    });
    seen.prk = out;
    return out;
  };
}

test("the securekey-password vector is reproduced through fromPassword with the protocol's Argon2id parameters", async () => {
  const v = V.get("securekey-password");
  const seen = {};
  const key = await SecureKey.fromPassword(v.password, h(v.salt), hashWasmArgon2id(seen));
  assert.equal(hexOf(seen.prk), v.prk);
  assert.equal(hexOf(psk(key)), v.psk);
});

test("the securekey-password-test-cost vector is reproduced with the test hook's parameters", async () => {
  const v = V.get("securekey-password-test-cost");
  const prk = await argon2id({
    password: utf8(v.password), salt: h(v.salt), iterations: 1, parallelism: 4, memorySize: 64, hashLength: 32, outputType: "binary",
  });
  assert.equal(hexOf(prk), v.prk);
  assert.equal(hexOf(psk(await SecureKey.fromPrk(prk))), v.psk);
});

function sessionKeys() {
  const s = V.get("frame-session");
  return {
    sid: h(s.sid), sidText: "", c2sKey: h(s.c2sKey), c2sIv: h(s.c2sIv), s2cKey: h(s.s2cKey), s2cIv: h(s.s2cIv),
    instanceId: h(s.instanceId), rejectKey: h(s.sessionRejectKey),
  };
}

test("the three request vectors are the first three frames of one client that ratchets after two", async () => {
  const channel = new SecureChannel(sessionKeys(), { epochFrames: 2 });
  const s = V.get("frame-session");

  const r = V.get("frame-request");
  const first = await channel.sealRequest(r.method, r.route, h(r.plaintext));
  assert.equal(first.counter, Number(r.ctr));
  assert.equal(hexOf(first.frame), r.frame);
  const header = frameHeader(5, 0, h(s.sid), 0);
  assert.equal(hexOf(header), r.header);
  assert.equal(hexOf(associatedData(header, r.method, r.route)), r.ad);
  assert.equal(hexOf(nonce(h(s.c2sIv), 0, 0, true)), r.nonce0);

  const t = V.get("frame-request-two-chunks");
  const big = Uint8Array.from({ length: Number(t.plaintextLength) }, (_, j) => j % 251);
  assert.equal(hexOf(await p.sha256(big)), t.plaintextSha256);
  const second = await channel.sealRequest(t.method, t.route, big);
  assert.equal(second.counter, Number(t.ctr));
  assert.equal(second.frame.length, Number(t.frameLength));
  assert.equal(hexOf(second.frame.subarray(0, 29)), t.header);
  assert.equal(hexOf(second.frame.subarray(29 + 65536, 29 + 65552)), t.chunk0Tag);
  assert.equal(hexOf(second.frame.subarray(29 + 65552)), t.chunk1);
  assert.equal(hexOf(await p.sha256(second.frame)), t.frameSha256);
  assert.equal(hexOf(nonce(h(s.c2sIv), 1, 0, false)), t.nonce0);
  assert.equal(hexOf(nonce(h(s.c2sIv), 1, 1, true)), t.nonce1);

  const e = V.get("frame-request-epoch1-empty");
  const third = await channel.sealRequest(e.method, e.route, new Uint8Array(0));
  assert.equal(third.counter, Number(e.ctr));
  assert.equal(hexOf(third.frame), e.frame);
  assert.equal(hexOf(await p.expand(h(s.c2sKey), utf8("parley v1 epoch key"), 32)), e.K1);
  const header1 = frameHeader(5, 1, h(s.sid), 2);
  assert.equal(hexOf(header1), e.header);
  assert.equal(hexOf(associatedData(header1, e.method, e.route)), e.ad);
  assert.equal(hexOf(nonce(h(s.c2sIv), 2, 0, true)), e.nonce0);
});

test("the frame-response vector opens as the answer to request 0 with status 200, and is sealed byte for byte", async () => {
  const v = V.get("frame-response");
  const s = V.get("frame-session");
  const channel = new SecureChannel(sessionKeys());
  const plaintext = await channel.openResponse(h(v.frame), Number(v.reqCtr), Number(v.status), v.method, v.route);
  assert.equal(hexOf(plaintext), v.plaintext);
  const header = frameHeader(6, 0, h(s.sid), Number(v.ctr), Number(v.reqCtr));
  assert.equal(hexOf(header), v.header);
  const ad = associatedData(header, v.method, v.route, Number(v.status));
  assert.equal(hexOf(ad), v.ad);
  assert.equal(hexOf(nonce(h(s.s2cIv), 0, 0, true)), v.nonce0);
  const sealed = await sealChunks(await p.aesKey(h(s.s2cKey)), h(s.s2cIv), 0, header, ad, h(v.plaintext));
  assert.equal(hexOf(sealed), v.frame);
});

test("the frame-response vector does not open under another status, request counter or route", async () => {
  const v = V.get("frame-response");
  await assert.rejects(new SecureChannel(sessionKeys()).openResponse(h(v.frame), 0, 503, "POST", v.route));
  await assert.rejects(new SecureChannel(sessionKeys()).openResponse(h(v.frame), 1, 200, "POST", v.route));
  await assert.rejects(new SecureChannel(sessionKeys()).openResponse(h(v.frame), 0, 200, "POST", "/other"));
});

test("the frame-reject vector is the server instance's reject of frame-request, and the client verifies it", async () => {
  const v = V.get("frame-reject");
  const s = V.get("frame-session");
  const request = h(V.get("frame-request").frame);
  const tag = slice(request, request.length - 16);
  assert.equal(hexOf(tag), v.requestTag);
  const prefix = concat(u8(7), h(s.sid), u64(0), h(s.instanceId));
  assert.equal(hexOf(prefix), v.prefix);
  const rk = await p.expand(h(s.instanceSecret), concat(utf8("parley v1 session reject key"), h(s.sid)), 32);
  assert.equal(hexOf(rk), s.sessionRejectKey);
  const r = utf8(v.route);
  const mac = await p.hmac(rk, concat(utf8("parley v1 reject"), prefix, u16(r.length), r, tag));
  assert.equal(hexOf(mac), v.mac);
  assert.equal(hexOf(concat(prefix, mac)), v.reject);

  const channel = new SecureChannel(sessionKeys());
  assert.equal(await channel.checkReject(h(v.reject), 0, tag, v.route), "VERIFIED");
  assert.equal(await channel.checkReject(h(v.reject), 0, tag, "/other"), "INVALID");
  assert.equal(await channel.checkReject(h(v.reject), 1, tag, v.route), "INVALID");
  const otherInstance = h(v.reject);
  otherInstance[25] ^= 1;
  assert.equal(await channel.checkReject(otherInstance, 0, tag, v.route), "OTHER_INSTANCE");
  assert.equal(await channel.checkReject(h(v.reject).subarray(0, 72), 0, tag, v.route), "INVALID");
});
