// PROTOCOL.md §4–§7: the client's side of the handshake (msg1, msg2, msg3, msg4) and the key
// schedule, on Noise's symmetric state with WebCrypto primitives.
import { type Bytes, concat, equal, readU16, slice, toBase64Url, u16, u64, u8, utf8, wipe } from "./bytes.js";
import { CryptoError } from "./errors.js";
import {
  aesKey,
  expand,
  extract,
  hmac,
  type KeyPair,
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
  private k: Bytes | null = null;
  private n = 0;

  private constructor(h: Bytes) {
    this.h = h;
    this.ck = slice(h, 0);
  }

  /** `InitializeSymmetric(name)`. */
  static async initialize(name: string): Promise<SymmetricState> {
    const bytes = utf8(name);
    const h = bytes.length <= 32 ? concat(bytes, new Uint8Array(32 - bytes.length)) : await sha256(bytes);
    return new SymmetricState(h);
  }

  /** `MixHash(data)`: h = SHA256(h ‖ data). */
  async mixHash(data: Uint8Array): Promise<void> {
    this.h = await sha256(concat(this.h, data));
  }

  /** `MixKey(ikm)`. */
  async mixKey(ikm: Bytes): Promise<void> {
    const t = await hmac(this.ck, ikm);
    const ck = await hmac(t, u8(0x01));
    const k = await hmac(t, concat(ck, u8(0x02)));
    wipe(this.ck, this.k, t);
    this.ck = ck;
    this.k = k;
    this.n = 0;
  }

  /** `MixKeyAndHash(ikm)`. */
  async mixKeyAndHash(ikm: Bytes): Promise<void> {
    const t = await hmac(this.ck, ikm);
    const ck = await hmac(t, u8(0x01));
    const t2 = await hmac(t, concat(ck, u8(0x02)));
    const k3 = await hmac(t, concat(t2, u8(0x03)));
    await this.mixHash(t2);
    wipe(this.ck, this.k, t, t2);
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

  /** `DecryptAndHash(c)`: rejects with AUTHENTICATION when the tag does not verify. */
  async decryptAndHash(c: Bytes): Promise<Bytes> {
    let p: Bytes;
    if (this.k) {
      try {
        p = await open(await aesKey(this.k), this.nonce(), this.h, c);
      } catch {
        throw new CryptoError("AUTHENTICATION", "a handshake message failed to authenticate");
      }
    } else {
      p = slice(c, 0);
    }
    await this.mixHash(c);
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
   * Starts a handshake with `key` (or `null`: the unauthenticated suite 0x02 of §8) for the module
   * at `route`; `a` is this client's EncryptionKey (16..64), used as both A and B (§6.1, §6.4).
   */
  static async start(key: SecureKey | null, route: string, a: number, fixture: HandshakeFixture = {}): Promise<ClientHandshake> {
    const routeBytes = utf8(route);
    if (routeBytes.length < 1 || routeBytes.length > 1024) throw new RangeError("a module route is 1 to 1024 bytes");
    if (!Number.isInteger(a) || a < 16 || a > 64) throw new RangeError(`encryptionKey must be 16..64, was ${a}`);
    const suite = key ? SUITE_PSK : SUITE_NN;
    const keyId = key ? key.keyId : 0;
    const trace = fixture.trace;
    const sid = fixture.sid ?? randomBytes(16); // §7.1: drawn by the client before msg1
    const c2 = fixture.c2 ?? randomBytes(a);
    const ephemeral = fixture.ephemeralPrivate ? await x25519FromPrivate(fixture.ephemeralPrivate) : await x25519Generate();

    // §5: prologue = version ‖ suite ‖ keyId ‖ flags ‖ A ‖ u16 |route| ‖ route
    const prologue = concat(Uint8Array.of(VERSION, suite, keyId, 0x00, a), u16(routeBytes.length), routeBytes);
    // §6.1: msg1
    const state = await SymmetricState.initialize(NAMES[suite]);
    await state.mixHash(prologue);
    if (key) await state.mixKeyAndHash(psk(key));
    await state.mixHash(ephemeral.publicKey);
    if (key) await state.mixKey(ephemeral.publicKey);
    const tag = await state.encryptAndHash(new Uint8Array(0));
    const msg1 = concat(Uint8Array.of(VERSION, 0x01, suite, keyId, 0x00, a), ephemeral.publicKey, tag);
    if (trace) Object.assign(trace, { prologue, "eC.pub": ephemeral.publicKey, h1: slice(state.h, 0), msg1 });
    return new ClientHandshake({ sid, sidText: toBase64Url(sid), a, c2, state, ephemeral, psk: !!key, msg1, trace });
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
    await s.mixHash(eS);
    if (this.psk) await s.mixKey(eS);
    let ee: Bytes;
    try {
      ee = await x25519(this.ephemeral.privateKey, eS);
    } catch {
      throw new CryptoError("AUTHENTICATION", "msg2 carries an invalid public key");
    }
    await s.mixKey(ee);
    const flags = await s.decryptAndHash(slice(msg2, 34, 51));
    if (flags[0] !== 0x00) throw new CryptoError("MALFORMED", "msg2 sets reserved server flags");
    const ck2 = s.ck;
    const h2 = s.h;
    // §6.4: k3, P3 = B ‖ sid ‖ C2, c3 = Seal(k3, zeros(12), h2 ‖ msg3 header, P3)
    const token = slice(msg2, 53);
    const header = concat(Uint8Array.of(VERSION, 0x03), u16(token.length), token);
    const k3 = await expand(ck2, utf8("parley v1 msg3 key"), 32);
    const c3 = await seal(await aesKey(k3), new Uint8Array(12), concat(h2, header), concat(u8(this.a), this.sid, this.c2));
    const msg3 = concat(header, c3);
    this.h3 = await sha256(concat(h2, msg3));
    this.ck3 = await extract(ck2, this.c2);
    if (this.trace) {
      Object.assign(this.trace, { "eS.pub": eS, ee: slice(ee, 0), ck2: slice(ck2, 0), h2: slice(h2, 0), k3: slice(k3, 0) });
      Object.assign(this.trace, { msg3, h3: this.h3, ck3: slice(this.ck3, 0) });
    }
    wipe(ee, k3);
    return msg3;
  }

  /** Checks msg4 by §6.6 (client, msg4) and derives the session keys (§6.5, §7.2). */
  async finish(msg4: Bytes): Promise<SessionKeys> {
    if (!this.ck3 || !this.h3) throw new Error("finish() before message3()");
    const ls = msg4.length - 95;
    if (msg4.length < 2 || msg4[0] !== VERSION || msg4[1] !== 0x04 || ls < Math.max(this.a, 16) || ls > 64) {
      throw new CryptoError("MALFORMED", "not a msg4 of an acceptable length");
    }
    const k4 = await expand(this.ck3, utf8("parley v1 msg4 key"), 32);
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
    const h4 = await sha256(concat(this.h3, msg4));
    const ck4 = await extract(this.ck3, s2);
    // §7.2: traffic keys
    const label = (l: string) => concat(utf8(`parley v1 ${l}`), h4);
    const keys: SessionKeys = {
      sid: this.sid,
      sidText: this.sidText,
      c2sKey: await expand(ck4, label("c2s key"), 32),
      c2sIv: await expand(ck4, label("c2s iv"), 12),
      s2cKey: await expand(ck4, label("s2c key"), 32),
      s2cIv: await expand(ck4, label("s2c iv"), 12),
      instanceId,
      rejectKey,
    };
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
