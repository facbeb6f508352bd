// A scripted Parley server module as a fetch function, for the unit tests of the client's rules:
// the server's half of the handshake (PROTOCOL.md §6.2–§6.5), sealed frames (§10), the reject (§13.1)
// and the draining answer (§15.7), written from the text on the package's WebCrypto primitives. A
// test scripts what happens to each sealed request in turn (an answer, a reject, a reset, …) and
// counts how often the function really ran.
import { bytes, primitives as p, SymmetricState, SecureKey, associatedData, frameHeader, nonce, psk, sealChunks } from "../dist/testing.js";

const { concat, utf8, u8, u16, u64, slice, toBase64Url, readU16 } = bytes;
const ROUTE = "/calc";

function networkError(code) {
  return new TypeError("fetch failed", { cause: code ? Object.assign(new Error(code), { code }) : new Error("other side closed") });
}

export class FakeServer {
  /** The functions that ran, in order: "add 1 2", … */
  ran = [];
  handshakes = 0;
  pings = 0;
  /** What each sealed request meets, consumed in order; an empty script answers normally. */
  script = [];
  /** Milliseconds added to Date.now() before an answer (to play a late reject). */
  lateBy = 0;

  /** `secureKey`: the module's SecureKey text, or null for the unauthenticated mode. */
  constructor({ secureKey = null, route = ROUTE, plainOnly = false } = {}) {
    this.keyText = secureKey;
    this.plainOnly = plainOnly;
    this.route = route;
    this.instanceId = p.randomBytes(16);
    this.instanceSecret = p.randomBytes(32);
    this.tokens = new Map();
    this.sessions = new Map();
    this.fetch = (url, init) => this.serve(url, init);
  }

  /** Forgets every session, as a restarted process (with a new instance id and secret) would. */
  restart() {
    this.sessions.clear();
    this.instanceId = p.randomBytes(16);
    this.instanceSecret = p.randomBytes(32);
  }

  async serve(url, init) {
    if (init.signal?.aborted) throw new DOMException("aborted", "AbortError");
    const type = init.headers["Content-Type"];
    const body = new Uint8Array(init.body instanceof Uint8Array ? init.body : utf8(init.body));
    if (this.plainOnly && type !== "application/json") return new Response("not encrypting", { status: 415 });
    if (type === "application/vnd.parley.handshake") return body[1] === 1 ? this.msg1(body) : this.msg3(body);
    if (type === "application/vnd.parley.sealed") return this.sealed(body, init);
    if (type === "application/json") return this.plain(body);
    return new Response("unsupported", { status: 415 });
  }

  async plain(body) {
    const r = JSON.parse(new TextDecoder().decode(body));
    return new Response(JSON.stringify({ jsonrpc: "2.0", id: r.id, result: this.run(r) }), { status: 200, headers: { "Content-Type": "application/json" } });
  }

  run(request) {
    const { a, b } = request.params;
    this.ran.push(`${request.method} ${a} ${b}`);
    return a + b;
  }

  async symmetric(suite, keyId, A) {
    const s = await SymmetricState.initialize(suite === 1 ? "Noise_NNpsk0_25519_AESGCM_SHA256" : "Noise_NN_25519_AESGCM_SHA256");
    const r = utf8(this.route);
    await s.mixHash(concat(Uint8Array.of(1, suite, keyId, 0, A), u16(r.length), r));
    if (suite === 1) await s.mixKeyAndHash(psk(this.key));
    return s;
  }

  async msg1(m) {
    if (this.keyText && !this.key) this.key = await SecureKey.parse(this.keyText);
    const suite = m[2];
    if (suite !== (this.key ? 1 : 2) || m[3] !== (this.key ? this.key.keyId : 0)) return rejected();
    const s = await this.symmetric(suite, m[3], m[5]);
    const eC = slice(m, 6, 38);
    await s.mixHash(eC);
    if (suite === 1) await s.mixKey(eC);
    const tag = await s.encryptAndHash(new Uint8Array(0));
    if (!bytes.equal(tag, slice(m, 38))) return rejected();
    const eS = await p.x25519Generate();
    await s.mixHash(eS.publicKey);
    if (suite === 1) await s.mixKey(eS.publicKey);
    await s.mixKey(await p.x25519(eS.privateKey, eC));
    const c2 = await s.encryptAndHash(u8(0));
    const token = p.randomBytes(106);
    this.tokens.set(bytes.toHex(token), { ck2: s.ck, h2: s.h });
    return handshakeAnswer(concat(Uint8Array.of(1, 2), eS.publicKey, c2, u16(token.length), token));
  }

  async msg3(m) {
    const tokenLength = readU16(m, 2);
    const state = this.tokens.get(bytes.toHex(slice(m, 4, 4 + tokenLength)));
    if (!state) return rejected();
    const k3 = await p.expand(state.ck2, utf8("parley v1 msg3 key"), 32);
    const p3 = await p.open(await p.aesKey(k3), new Uint8Array(12), concat(state.h2, slice(m, 0, 4 + tokenLength)), slice(m, 4 + tokenLength));
    const sid = slice(p3, 1, 17);
    const h3 = await p.sha256(concat(state.h2, m));
    const ck3 = await p.extract(state.ck2, slice(p3, 17));
    const S2 = p.randomBytes(Math.max(p3[0], 32));
    const n4 = p.randomBytes(12);
    const rk = await p.expand(this.instanceSecret, concat(utf8("parley v1 session reject key"), sid), 32);
    const k4 = await p.expand(ck3, utf8("parley v1 msg4 key"), 32);
    const head = concat(Uint8Array.of(1, 4), n4);
    const msg4 = concat(head, await p.seal(await p.aesKey(k4), n4, concat(h3, head), concat(u8(S2.length), S2, sid, this.instanceId, rk)));
    const h4 = await p.sha256(concat(h3, msg4));
    const ck4 = await p.extract(ck3, S2);
    const label = (l) => concat(utf8(`parley v1 ${l}`), h4);
    this.sessions.set(toBase64Url(sid), {
      sid,
      c2s: await p.aesKey(await p.expand(ck4, label("c2s key"), 32)),
      c2sIv: await p.expand(ck4, label("c2s iv"), 12),
      s2c: await p.aesKey(await p.expand(ck4, label("s2c key"), 32)),
      s2cIv: await p.expand(ck4, label("s2c iv"), 12),
      ctr: 0,
    });
    this.handshakes++;
    return handshakeAnswer(msg4);
  }

  async reject(frame, kind) {
    if (kind === "empty") return new Response(new Uint8Array(0), { status: 410, headers: { "Content-Type": "application/vnd.parley.reject" } });
    const instanceId = kind === "other" ? p.randomBytes(16) : this.instanceId;
    const secret = kind === "other" ? p.randomBytes(32) : this.instanceSecret;
    const sid = slice(frame, 5, 21);
    const prefix = concat(u8(7), sid, slice(frame, 21, 29), instanceId);
    const rk = await p.expand(secret, concat(utf8("parley v1 session reject key"), sid), 32);
    const r = utf8(this.route);
    const mac = await p.hmac(rk, concat(utf8("parley v1 reject"), prefix, u16(r.length), r, slice(frame, frame.length - 16)));
    return new Response(concat(prefix, mac), { status: 410, headers: { "Content-Type": "application/vnd.parley.reject" } });
  }

  async answer(session, reqCtr, status, plaintext) {
    const ctr = session.ctr++;
    const header = frameHeader(6, 0, session.sid, ctr, reqCtr);
    const frame = await sealChunks(session.s2c, session.s2cIv, ctr, header, associatedData(header, "POST", this.route, status), plaintext);
    return new Response(frame, { status, headers: { "Content-Type": "application/vnd.parley.sealed" } });
  }

  async sealed(frame, init) {
    const action = this.script.shift() ?? "answer";
    if (action === "refuse") throw networkError("ECONNREFUSED");
    const sidText = toBase64Url(slice(frame, 5, 21));
    if (init.headers["Parley-Session"] !== sidText) return new Response("frame rejected", { status: 400 });
    if (action === "forget") this.sessions.delete(sidText);
    const session = this.sessions.get(sidText);
    if (!session) return this.reject(frame, "verified");
    const reqCtr = Number(new DataView(frame.buffer, frame.byteOffset).getBigUint64(21));
    const header = slice(frame, 0, 29);
    const body = frame.subarray(29);
    const chunks = Math.max(1, Math.ceil(body.length / 65552));
    const parts = [];
    for (let i = 0; i < chunks; i++) {
      parts.push(await p.open(session.c2s, nonce(session.c2sIv, reqCtr, i, i === chunks - 1), associatedData(header, "POST", this.route), body.subarray(i * 65552, (i + 1) * 65552)));
    }
    const plaintext = concat(...parts);
    if (typeof action === "object" && action.reject) {
      this.sessions.delete(sidText);
      if (action.late) this.lateBy += 61_000;
      return this.reject(frame, action.reject);
    }
    if (action === "drain") return this.answer(session, reqCtr, 503, new Uint8Array(0));
    if (action === "plain503") return new Response("busy", { status: 503 });
    if (action === "status400") return new Response("frame rejected", { status: 400 });
    if (plaintext.length === 0) {
      this.pings++;
      return this.answer(session, reqCtr, 200, new Uint8Array(0));
    }
    if (plaintext[0] !== 0) throw new Error("the fake server reads uncompressed requests only");
    const request = JSON.parse(new TextDecoder().decode(plaintext.subarray(1)));
    const result = this.run(request);
    if (action === "reset") throw networkError(null); // it ran; the answer never arrives
    if (action === "hang") {
      await new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    }
    const json = utf8(JSON.stringify({ jsonrpc: "2.0", id: request.id, result }));
    if (action === "swap") return this.answer(session, reqCtr + 1, 200, concat(u8(0), json));
    if (action === "compress") {
      const deflated = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
      return this.answer(session, reqCtr, 200, concat(u8(1), deflated));
    }
    return this.answer(session, reqCtr, 200, concat(u8(0), json));
  }
}

function rejected() {
  return new Response("handshake rejected", { status: 403, headers: { "Content-Type": "text/plain" } });
}

function handshakeAnswer(message) {
  return new Response(message, { status: 200, headers: { "Content-Type": "application/vnd.parley.handshake" } });
}
