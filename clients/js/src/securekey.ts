// PROTOCOL.md §3: a SecureKey's text → prk → psk, once. The raw key and prk are wiped after use.
import { type Bytes, fromBase64, fromHex, utf8, wipe } from "./bytes.js";
import { expand, extract } from "./primitives.js";

/** The Argon2id parameters of PROTOCOL.md §3.2 (RFC 9106 §4, second recommended option). */
export interface Argon2idParams {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  /** Memory in KiB (65536). */
  readonly memoryKiB: number;
  /** Passes (3). */
  readonly passes: number;
  /** Lanes (4). */
  readonly lanes: number;
  /** Output length in bytes (32). */
  readonly length: number;
  /** Argon2 version (0x13). */
  readonly version: number;
}

/**
 * An Argon2id implementation, supplied by the caller: WebCrypto has no Argon2id, and this package
 * carries no cryptography of its own. Must return `length` bytes (RFC 9106, no secret, no
 * associated data).
 */
export type Argon2id = (params: Argon2idParams) => Promise<Uint8Array>;

const pskOf = new WeakMap<SecureKey, Bytes>();

/**
 * The secret a client shares with a server module (PROTOCOL.md §3), held only as its derived psk.
 * `toString()` and `JSON.stringify` show the key id, never the key.
 *
 * @example
 * ```ts
 * const key = await SecureKey.parse("000102…1e1f");         // hex or base64, ≥ 32 bytes
 * const client = new ParleyClient("https://api.example.com/calc", { secureKey: key });
 * ```
 */
export class SecureKey {
  /** The key id the server knows this key by (§3.3), 0..255. */
  readonly keyId: number;

  private constructor(keyId: number, psk: Bytes) {
    this.keyId = keyId;
    pskOf.set(this, psk);
  }

  /**
   * Parses a SecureKey written as hex or base64 (§3.1: surrounding whitespace removed; hex if it
   * can be; else standard or URL-safe base64, optional correct padding) of 32 to 1024 bytes. Throws
   * a `TypeError` or `RangeError` that says what to change and never shows the key.
   */
  static parse(text: string, keyId = 0): Promise<SecureKey> {
    const bytes = decodeSecureKey(text);
    checkKeyId(keyId);
    return SecureKey.fromBytes(bytes, keyId).finally(() => wipe(bytes));
  }

  /** A SecureKey from its raw bytes (32 to 1024). The caller may wipe `bytes` once this resolves. */
  static async fromBytes(bytes: Uint8Array, keyId = 0): Promise<SecureKey> {
    checkLength(bytes.length);
    checkKeyId(keyId);
    const prk = await extract(utf8("parley v1 securekey"), Uint8Array.from(bytes)); // §3.1
    try {
      return new SecureKey(keyId, await expand(prk, utf8("parley v1 psk"), 32));
    } finally {
      wipe(prk);
    }
  }

  /**
   * A SecureKey from a human-chosen password and the deployment's salt (§3.2), with the caller's
   * Argon2id (WebCrypto has none). A recorded msg1 allows an offline dictionary attack on the
   * password (§14): prefer a random 32-byte key.
   */
  static async fromPassword(password: string, salt: Uint8Array, argon2id: Argon2id, keyId = 0): Promise<SecureKey> {
    if (typeof password !== "string" || password.length === 0) {
      throw new TypeError("a SecureKey password must be a non-empty string");
    }
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(password)) {
      throw new TypeError("a SecureKey password must not contain unpaired surrogates");
    }
    if (!(salt instanceof Uint8Array) || salt.length < 16 || salt.length > 1024) {
      throw new RangeError("the deployment salt must be 16 to 1024 bytes");
    }
    checkKeyId(keyId);
    const pw = utf8(password); // exactly as given: no normalisation, no trimming
    try {
      const prk = Uint8Array.from(
        await argon2id({ password: pw, salt, memoryKiB: 65536, passes: 3, lanes: 4, length: 32, version: 0x13 }),
      );
      if (prk.length !== 32) throw new RangeError("the Argon2id function must return 32 bytes");
      try {
        return new SecureKey(keyId, await expand(prk, utf8("parley v1 psk"), 32));
      } finally {
        wipe(prk);
      }
    } finally {
      wipe(pw);
    }
  }

  /** @internal TEST HOOK: a key from a given prk (the golden vectors of Appendix A.3). */
  static async fromPrk(prk: Bytes, keyId = 0): Promise<SecureKey> {
    return new SecureKey(keyId, await expand(prk, utf8("parley v1 psk"), 32));
  }

  /** Wipes the psk; the key cannot be used afterwards. */
  destroy(): void {
    wipe(pskOf.get(this));
    pskOf.delete(this);
  }

  toString(): string {
    return `SecureKey[keyId=${this.keyId}]`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** @internal The psk of a key (§3), for the handshake only. */
export function psk(key: SecureKey): Bytes {
  const p = pskOf.get(key);
  if (!p) throw new Error("this SecureKey was destroyed");
  return p;
}

const WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** §3.1 rules 1–4: the key bytes of a SecureKey text. */
export function decodeSecureKey(text: string): Bytes {
  if (typeof text !== "string") throw new TypeError("a SecureKey must be given as text (hex or base64)");
  const t = text.replace(WHITESPACE, "");
  if (t.length === 0) throw new RangeError("the SecureKey is empty: give at least 32 random bytes as hex or base64");
  let bytes: Bytes;
  if (t.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(t)) {
    bytes = fromHex(t);
  } else {
    const standard = /[+/]/.test(t);
    const urlSafe = /[-_]/.test(t);
    if (standard && urlSafe) {
      throw new TypeError("the SecureKey mixes the standard (+/) and URL-safe (-_) base64 alphabets; use one");
    }
    const body = t.replace(/=+$/, "");
    const padding = t.length - body.length;
    if (!/^[A-Za-z0-9+/_-]*$/.test(body) || body.length % 4 === 1 || (padding > 0 && (t.length % 4 !== 0 || padding > 2))) {
      throw new TypeError("the SecureKey is neither hex nor base64; write it as hex (openssl rand -hex 32)");
    }
    const std = body.replace(/-/g, "+").replace(/_/g, "/");
    bytes = fromBase64(std + "=".repeat((4 - (std.length % 4)) % 4));
  }
  try {
    checkLength(bytes.length);
  } catch (e) {
    wipe(bytes);
    throw e;
  }
  return bytes;
}

function checkLength(n: number): void {
  if (n < 32 || n > 1024) {
    throw new RangeError(`a SecureKey must be 32 to 1024 bytes, this one is ${n}; use at least 32 random bytes`);
  }
}

function checkKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 255) {
    throw new RangeError(`a SecureKey id must be 0..255, was ${keyId}`);
  }
}
