// PROTOCOL.md §4–§7: the client's side of the handshake (msg1, msg2, msg3, msg4) and the key
// schedule, on Noise's symmetric state with WebCrypto primitives.
import { type Bytes, concat, equal, readU16, slice, toBase64Url, u16, u64, u8, utf8, wipe } from "./bytes.js";
import { CryptoError } from "./errors.js";
import {
  aesKey,
  hmacKey,
  hmacWith,
  type KeyPair,
  noiseHkdf,
  open,
  randomBytes,
  seal,
  sha256,
  x25519,
  x25519FromPrivate,
  x25519Generate,
} from "./primitives.js";
import { psk, type SecureKey } from "./securekey.js";

const VERSION = 0x01;
const SUITE_PSK = 0x01;
const SUITE_NN = 0x02;
const NAMES: Record<number, string> = {
  [SUITE_PSK]: "Noise_NNpsk0_25519_AESGCM_SHA256",
  [SUITE_NN]: "Noise_NN_25519_AESGCM_SHA256",
};

/** §4: Noise's SymmetricState (ck, h, k, n) with SHA-256 and AES-256-GCM. */
export class SymmetricState {
  ck: Bytes;
  h: Bytes;
  private k: Bytes | null;
  private n: number;

  private constructor(ck: Bytes, h: Bytes, k: Bytes | null = null, n = 0) {
    this.ck = ck;
    this.h = h;
    this.k = k;
    this.n = n;
  }

  /** `InitializeSymmetric(name)`. */
  static async initialize(name: string): Promise<SymmetricState> {
    const bytes = utf8(name);
    const h = bytes.length <= 32 ? concat(bytes, new Uint8Array(32 - bytes.length)) : await sha256(bytes);
    return new SymmetricState(slice(h, 0), h);
  }

  /** An independent copy (the state after the prologue and psk is the same for every handshake of a client). */
  copy(): SymmetricState {
    return new SymmetricState(slice(this.ck, 0), slice(this.h, 0), this.k && slice(this.k, 0), this.n);
  }

  /** `MixHash(data)`: h = SHA256(h ‖ data). */
  async mixHash(data: Uint8Array): Promise<void> {
    this.h = await sha256(concat(this.h, data));
  }

  /** `MixKey(ikm)`: (ck, k) = HKDF(ck, ikm, 2) (PROTOCOL.md §4 writes out the HMACs). */
  async mixKey(ikm: Bytes): Promise<void> {
    const [ck, k] = await noiseHkdf(this.ck, ikm, 2);
    wipe(this.ck, this.k);
    this.ck = ck;
    this.k = k;
    this.n = 0;
  }

  /** `MixKeyAndHash(ikm)`: (ck, t2, k) = HKDF(ck, ikm, 3); MixHash(t2). */
  async mixKeyAndHash(ikm: Bytes): Promise<void> {
    const [ck, t2, k3] = await noiseHkdf(this.ck, ikm, 3);
    await this.mixHash(t2);
    wipe(this.ck, this.k, t2);
    this.ck = ck;
    this.k = k3;
    this.n = 0;
  }

  /** `EncryptAndHash(p)`. */
  async encryptAndHash(p: Bytes): Promise<Bytes> {
    const c = this.k ? await seal(await aesKey(this.k), this.nonce(), this.h, p) : slice(p, 0);
    await this.mixHash(c);
    return c;
  }

  /**
   * `DecryptAndHash(c)`: rejects with AUTHENTICATION when the tag does not verify. MixHash(c) needs
   * only the ciphertext, so it runs beside the decryption (the old h is the associated data).
   */
  async decryptAndHash(c: Bytes): Promise<Bytes> {
    if (!this.k) {
      await this.mixHash(c);
      return slice(c, 0);
    }
    const k = this.k;
    const ad = this.h;
    const nonce = this.nonce();
    const [p] = await Promise.all([
      aesKey(k).then((key) => open(key, nonce, ad, c)).catch(() => null),
      this.mixHash(c),
    ]);
    if (!p) throw new CryptoError("AUTHENTICATION", "a handshake message failed to authenticate");
    return p;
  }

  private nonce(): Bytes {
    const nonce = concat(new Uint8Array(4), u64(this.n));
    this.n++;
    return nonce;
  }

  destroy(): void {
    wipe(this.ck, this.h, this.k);
  }
}

const PROLOGUES = new WeakMap<SecureKey, Map<string, Promise<Prologue>>>();

/**
 * The symmetric state after `InitializeSymmetric`, the prologue (§5) and, in suite 0x01, the psk
 * (§6.1): the same for every handshake of one client, so a client computes it once.
 */
export class Prologue {
  private constructor(
    readonly suite: number,
    readonly keyId: number,
    readonly a: number,
    /** The prologue's bytes (§5). */
    readonly bytes: Bytes,
    private readonly state: SymmetricState,
  ) {}

  static async of(key: SecureKey | null, route: string, a: number): Promise<Prologue> {
    const routeBytes = utf8(route);
    if (routeBytes.length < 1 || routeBytes.length > 1024) throw new RangeError("a module route is 1 to 1024 bytes");
    if (!Number.isInteger(a) || a < 16 || a > 64) throw new RangeError(`encryptionKey must be 16..64, was ${a}`);
    const suite = key ? SUITE_PSK : SUITE_NN;
    const keyId = key ? key.keyId : 0;
    // §5: prologue = version ‖ suite ‖ keyId ‖ flags ‖ A ‖ u16 |route| ‖ route
    const prologue = concat(Uint8Array.of(VERSION, suite, keyId, 0x00, a), u16(routeBytes.length), routeBytes);
    const state = await SymmetricState.initialize(NAMES[suite]);
    await state.mixHash(prologue);
    if (key) await state.mixKeyAndHash(psk(key));
    return new Prologue(suite, keyId, a, prologue, state);
  }

  /**
   * {@link of}, computed once per SecureKey, route and A in this process (clients of one module
   * that share a SecureKey object share it; it holds nothing the key does not already give).
   */
  static cached(key: SecureKey, route: string, a: number): Promise<Prologue> {
    let byKey = PROLOGUES.get(key);
    if (!byKey) PROLOGUES.set(key, (byKey = new Map()));
    const id = `${a} ${route}`;
    let p = byKey.get(id);
    if (!p) {
      p = Prologue.of(key, route, a);
      byKey.set(id, p);
      p.catch(() => byKey!.delete(id));
    }
    return p;
  }

  /** A fresh copy of the state, for one handshake. */
  start(): SymmetricState {
    return this.state.copy();
  }
}

/**
 * What the data-frame layer needs from a completed handshake (§7.2): the session id, the epoch-0
 * traffic keys and IVs, and the session's owner (the server instance and its reject key, §6.5).
 */
export interface SessionKeys {
  readonly sid: Bytes;
  readonly sidText: string;
  readonly c2sKey: Bytes;
  readonly c2sIv: Bytes;
  readonly s2cKey: Bytes;
  readonly s2cIv: Bytes;
  readonly instanceId: Bytes;
  readonly rejectKey: Bytes;
}

/**
 * TEST HOOK: fixed values for what a real handshake draws at random, so that the golden vectors
 * of Appendix A can be reproduced, and a record of the intermediate values.
 */
export interface HandshakeFixture {
  readonly ephemeralPrivate?: Bytes;
  readonly sid?: Bytes;
  readonly c2?: Bytes;
  readonly trace?: Record<string, Bytes>;
}

/**
 * The client's side of one handshake (§6): {@link message1}, then {@link message3} with the
 * server's msg2, then {@link finish} with msg4. Not reusable; {@link destroy} wipes its secrets.
 */
export class ClientHandshake {
  /** The session id this client chose (§7.1), sent as `Parley-Session` with both handshake requests (§15.2). */
  readonly sid: Bytes;
  readonly sidText: string;
  private readonly a: number;
  private readonly c2: Bytes;
  private readonly state: SymmetricState;
  private readonly ephemeral: KeyPair;
  private readonly psk: boolean;
  private readonly msg1: Bytes;
  private readonly trace?: Record<string, Bytes>;
  private ck3: Bytes | null = null;
  private ck3Key: Promise<CryptoKey> | null = null;
  private h3: Bytes | null = null;

  private constructor(fields: {
    sid: Bytes;
    sidText: string;
    a: number;
    c2: Bytes;
    state: SymmetricState;
    ephemeral: KeyPair;
    psk: boolean;
    msg1: Bytes;
    trace?: Record<string, Bytes>;
  }) {
    this.sid = fields.sid;
    this.sidText = fields.sidText;
    this.a = fields.a;
    this.c2 = fields.c2;
    this.state = fields.state;
    this.ephemeral = fields.ephemeral;
    this.psk = fields.psk;
    this.msg1 = fields.msg1;
    this.trace = fields.trace;
  }

  /**
   * Starts a handshake from a client's {@link Prologue} (its SecureKey, or none for the
   * unauthenticated suite 0x02 of §8, its route and its EncryptionKey, used as both A and B, §6.1,
   * §6.4).
   */
  static async start(prologue: Prologue, fixture: HandshakeFixture = {}): Promise<ClientHandshake> {
    const { suite, keyId, a } = prologue;
    const trace = fixture.trace;
    const sid = fixture.sid ?? randomBytes(16); // §7.1: drawn by the client before msg1
    const c2 = fixture.c2 ?? randomBytes(a);
    const ephemeral = fixture.ephemeralPrivate ? await x25519FromPrivate(fixture.ephemeralPrivate) : await x25519Generate();
    // §6.1: msg1. MixHash(e) and MixKey(e) touch h and ck apart, so they run at once.
    const state = prologue.start();
    const psk = suite === SUITE_PSK;
    await Promise.all([state.mixHash(ephemeral.publicKey), psk ? state.mixKey(ephemeral.publicKey) : null]);
    const tag = await state.encryptAndHash(new Uint8Array(0));
    const msg1 = concat(Uint8Array.of(VERSION, 0x01, suite, keyId, 0x00, a), ephemeral.publicKey, tag);
    if (trace) Object.assign(trace, { "eC.pub": ephemeral.publicKey, h1: slice(state.h, 0), msg1 });
    return new ClientHandshake({ sid, sidText: toBase64Url(sid), a, c2, state, ephemeral, psk, msg1, trace });
  }

  /** msg1 (§6.1): 54 bytes (38 in suite 0x02). */
  message1(): Bytes {
    return this.msg1;
  }

  /** Checks msg2 by §6.6 (client, msg2) and builds msg3 (§6.4). */
  async message3(msg2: Bytes): Promise<Bytes> {
    if (msg2.length < 53 || msg2[0] !== VERSION || msg2[1] !== 0x02) throw new CryptoError("MALFORMED", "not a msg2");
    const tokenLength = readU16(msg2, 51);
    if (tokenLength < 1 || tokenLength > 1024 || msg2.length !== 53 + tokenLength) {
      throw new CryptoError("MALFORMED", "msg2 has the wrong length");
    }
    const eS = slice(msg2, 2, 34);
    const s = this.state;
    // MixHash(e_S), MixKey(e_S) and the X25519 are independent of one another.
    const dh = x25519(this.ephemeral.privateKey, eS).catch(() => null);
    await Promise.all([s.mixHash(eS), this.psk ? s.mixKey(eS) : null]);
    const ee = await dh;
    if (!ee) throw new CryptoError("AUTHENTICATION", "msg2 carries an invalid public key");
    await s.mixKey(ee);
    const ck2 = s.ck; // MixKey(ee) was the last change to ck: ck2 is known before c2 opens
    // §6.4: k3 = Expand(ck2, "parley v1 msg3 key", 32) = HMAC(ck2, label ‖ 0x01) and ck3 = Extract(ck2, C2):
    // two MACs under one key, computed while c2 is opened; k3 is used only once c2 opened.
    const macs = hmacKey(ck2).then((ck2Key) =>
      Promise.all([hmacWith(ck2Key, concat(utf8("parley v1 msg3 key"), u8(1))), hmacWith(ck2Key, this.c2)]),
    );
    macs.catch(() => {});
    const flags = await s.decryptAndHash(slice(msg2, 34, 51));
    if (flags[0] !== 0x00) throw new CryptoError("MALFORMED", "msg2 sets reserved server flags");
    const h2 = s.h;
    const token = slice(msg2, 53);
    const header = concat(Uint8Array.of(VERSION, 0x03), u16(token.length), token);
    const [k3, ck3] = await macs;
    this.ck3Key = hmacKey(ck3); // for msg4, imported while msg3 travels
    this.ck3Key.catch(() => {});
    const c3 = await seal(await aesKey(k3), new Uint8Array(12), concat(h2, header), concat(u8(this.a), this.sid, this.c2));
    const msg3 = concat(header, c3);
    this.h3 = await sha256(concat(h2, msg3));
    this.ck3 = ck3;
    if (this.trace) {
      Object.assign(this.trace, { "eS.pub": eS, ee: slice(ee, 0), ck2: slice(ck2, 0), h2: slice(h2, 0), k3: slice(k3, 0) });
      Object.assign(this.trace, { msg3, h3: this.h3, ck3: slice(this.ck3, 0) });
    }
    wipe(ee, k3);
    return msg3;
  }

  /** Checks msg4 by §6.6 (client, msg4) and derives the session keys (§6.5, §7.2). */
  async finish(msg4: Bytes): Promise<SessionKeys> {
    if (!this.ck3 || !this.h3 || !this.ck3Key) throw new Error("finish() before message3()");
    const ls = msg4.length - 95;
    if (msg4.length < 2 || msg4[0] !== VERSION || msg4[1] !== 0x04 || ls < Math.max(this.a, 16) || ls > 64) {
      throw new CryptoError("MALFORMED", "not a msg4 of an acceptable length");
    }
    const ck3Key = await this.ck3Key;
    const k4 = await hmacWith(ck3Key, concat(utf8("parley v1 msg4 key"), u8(1))); // Expand(ck3, label, 32)
    let p4: Bytes;
    try {
      p4 = await open(await aesKey(k4), slice(msg4, 2, 14), concat(this.h3, slice(msg4, 0, 14)), slice(msg4, 14));
    } catch {
      throw new CryptoError("AUTHENTICATION", "msg4 failed to authenticate");
    }
    if (p4[0] !== ls) throw new CryptoError("MALFORMED", "msg4's contribution length is inconsistent");
    const s2 = slice(p4, 1, 1 + ls);
    if (!equal(slice(p4, 1 + ls, 17 + ls), this.sid)) {
      throw new CryptoError("AUTHENTICATION", "msg4 names another session id");
    }
    const instanceId = slice(p4, 17 + ls, 33 + ls);
    const rejectKey = slice(p4, 33 + ls, 65 + ls);
    // §6.5, §7.2: h4 and ck4 = Extract(ck3, S2) at once; then the four traffic values, each
    // Expand(ck4, label ‖ h4, L ≤ 32) = the first L bytes of HMAC(ck4, label ‖ h4 ‖ 0x01), at once.
    const [h4, ck4] = await Promise.all([sha256(concat(this.h3, msg4)), hmacWith(ck3Key, s2)]);
    const ck4Key = await hmacKey(ck4);
    const traffic = (l: string, n: number) =>
      hmacWith(ck4Key, concat(utf8(`parley v1 ${l}`), h4, u8(1))).then((t) => slice(t, 0, n));
    const [c2sKey, c2sIv, s2cKey, s2cIv] = await Promise.all([
      traffic("c2s key", 32),
      traffic("c2s iv", 12),
      traffic("s2c key", 32),
      traffic("s2c iv", 12),
    ]);
    const keys: SessionKeys = { sid: this.sid, sidText: this.sidText, c2sKey, c2sIv, s2cKey, s2cIv, instanceId, rejectKey };
    if (this.trace) {
      Object.assign(this.trace, { k4: slice(k4, 0), sessionRejectKey: rejectKey, h4: slice(h4, 0), ck4: slice(ck4, 0) });
    }
    wipe(k4, p4, s2, ck4, h4);
    this.destroy();
    return keys;
  }

  /** §7.2: wipes ck, h, the contributions and the handshake keys (done or failed). */
  destroy(): void {
    this.state.destroy();
    wipe(this.c2, this.ck3, this.h3);
  }
}
