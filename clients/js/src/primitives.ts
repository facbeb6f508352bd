// PROTOCOL.md §2: the primitives, every one of them from WebCrypto (crypto.subtle). Nothing here
// implements a cipher, a hash or a curve: HKDF-Expand is RFC 5869's loop over WebCrypto's HMAC,
// because WebCrypto's HKDF always runs Extract first and the protocol needs the two halves apart.
import { type Bytes, concat, fromBase64, u8 } from "./bytes.js";

/** The platform's WebCrypto, or a clear error where it is missing (an insecure browser context). */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new Error(
      "WebCrypto (crypto.subtle) is not available here. Browsers offer it only in secure contexts:" +
        " pages served over https:// or from http://localhost; Node needs version 20 or later",
    );
  }
  return s;
}

/** Cryptographically secure random bytes (crypto.getRandomValues). */
export function randomBytes(n: number): Bytes {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** `SHA256(x)`: FIPS 180-4. */
export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest("SHA-256", data));
}

const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

/** An HMAC-SHA256 key for repeated use (sign and verify). */
export function hmacKey(key: Bytes): Promise<CryptoKey> {
  return subtle().importKey("raw", key, HMAC, false, ["sign", "verify"]);
}

/** `HMAC(key, x)`: HMAC-SHA256, RFC 2104. */
export async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().sign("HMAC", await hmacKey(key), data));
}

/** Checks `mac = HMAC(key, data)` in constant time (WebCrypto's own comparison). */
export async function hmacVerify(key: Bytes, mac: Bytes, data: Bytes): Promise<boolean> {
  return subtle().verify("HMAC", await hmacKey(key), mac, data);
}

/** `HMAC(key, x)` with a key imported by {@link hmacKey} (one import for several MACs under one key). */
export async function hmacWith(key: CryptoKey, data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().sign("HMAC", key, data));
}

/**
 * Noise's `HKDF(ck, ikm, n)` (Noise §4.3, the n outputs of PROTOCOL.md §4's MixKey and
 * MixKeyAndHash): RFC 5869 HKDF with salt `ck`, input `ikm`, empty info, n × 32 bytes, which is
 * exactly WebCrypto's HKDF: one call instead of 2n + 1 HMACs.
 */
export async function noiseHkdf(ck: Bytes, ikm: Bytes, n: 2 | 3): Promise<Bytes[]> {
  const key = await subtle().importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const out = new Uint8Array(
    await subtle().deriveBits({ name: "HKDF", hash: "SHA-256", salt: ck, info: new Uint8Array(0) }, key, 256 * n),
  );
  return Array.from({ length: n }, (_, i) => out.slice(i * 32, (i + 1) * 32));
}

/** `Extract(salt, ikm)`: HKDF-Extract of RFC 5869 with SHA-256. */
export function extract(salt: Bytes, ikm: Bytes): Promise<Bytes> {
  return hmac(salt, ikm);
}

/** `Expand(prk, info, L)`: HKDF-Expand of RFC 5869 with SHA-256 (L ≤ 8160). */
export async function expand(prk: Bytes, info: Bytes, length: number): Promise<Bytes> {
  const key = await hmacKey(prk);
  const out = new Uint8Array(length);
  let t: Bytes = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    t = new Uint8Array(await subtle().sign("HMAC", key, concat(t, info, u8(i))));
    out.set(t.subarray(0, Math.min(t.length, length - at)), at);
    at += t.length;
  }
  return out;
}

/** An AES-256-GCM key. */
export function aesKey(key: Bytes): Promise<CryptoKey> {
  return subtle().importKey("raw", key, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** `Seal(k, n, ad, p)`: AES-256-GCM, 12-byte nonce, output ciphertext ‖ 16-byte tag. */
export async function seal(key: CryptoKey, nonce: Bytes, ad: Bytes, plaintext: Uint8Array): Promise<Bytes> {
  return new Uint8Array(
    await subtle().encrypt({ name: "AES-GCM", iv: nonce, additionalData: ad, tagLength: 128 }, key, plaintext as Bytes),
  );
}

/** `Open(k, n, ad, c)`: AES-256-GCM decryption; rejects when the tag does not verify. */
export async function open(key: CryptoKey, nonce: Bytes, ad: Bytes, ciphertext: Uint8Array): Promise<Bytes> {
  return new Uint8Array(
    await subtle().decrypt({ name: "AES-GCM", iv: nonce, additionalData: ad, tagLength: 128 }, key, ciphertext as Bytes),
  );
}

/** An X25519 key pair (RFC 7748): the private half stays inside WebCrypto. */
export interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: Bytes;
}

const X25519 = { name: "X25519" } as const;

/** A fresh ephemeral X25519 key pair. */
export async function x25519Generate(): Promise<KeyPair> {
  const pair = (await subtle().generateKey(X25519, true, ["deriveBits"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle().exportKey("raw", pair.publicKey)) };
}

// RFC 8410 PKCS#8 wrapping of a raw X25519 private key: SEQUENCE { version 0, AlgorithmIdentifier
// { id-X25519 1.3.101.110 }, OCTET STRING { OCTET STRING { 32 bytes } } }.
const PKCS8_X25519 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];

/**
 * The key pair of 32 given private-key bytes (clamped by X25519 when used, §2). Only the golden
 * vectors need this: real handshakes draw their keys with {@link x25519Generate}.
 */
export async function x25519FromPrivate(priv: Bytes): Promise<KeyPair> {
  const privateKey = await subtle().importKey("pkcs8", concat(Uint8Array.from(PKCS8_X25519), priv), X25519, true, [
    "deriveBits",
  ]);
  const jwk = await subtle().exportKey("jwk", privateKey);
  const x = (jwk.x ?? "").replace(/-/g, "+").replace(/_/g, "/");
  return { privateKey, publicKey: fromBase64(x + "=".repeat((4 - (x.length % 4)) % 4)) };
}

/**
 * `X25519(priv, pub)`. Rejects an all-zero result (RFC 7748 §6.1, a low-order point): WebCrypto
 * refuses it itself, and the result is checked again here.
 */
export async function x25519(privateKey: CryptoKey, peerPublic: Bytes): Promise<Bytes> {
  const peer = await subtle().importKey("raw", peerPublic, X25519, true, []);
  const shared = new Uint8Array(await subtle().deriveBits({ name: "X25519", public: peer }, privateKey, 256));
  let any = 0;
  for (const b of shared) any |= b;
  if (any === 0) throw new Error("X25519 result is all zero");
  return shared;
}
