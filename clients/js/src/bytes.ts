// Byte strings as PROTOCOL.md §1.2 writes them: big-endian integers, concatenation, hex, base64url.

/** A byte string backed by its own ArrayBuffer (what WebCrypto accepts). */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();

/** `"text"` of §1.2: the UTF-8 bytes of a string. */
export function utf8(text: string): Bytes {
  return encoder.encode(text) as Bytes;
}

/** `a ‖ b ‖ …` */
export function concat(...parts: Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reads a stream to its end into one byte string. Past `max` bytes it stops reading, cancels the
 * stream and throws a RangeError with `tooLong` as its message.
 */
export async function readAll(stream: ReadableStream<Uint8Array>, max = Infinity, tooLong = ""): Promise<Bytes> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new RangeError(tooLong);
    }
    parts.push(value);
  }
  return concat(...parts);
}

export function u8(n: number): Bytes {
  return Uint8Array.of(n);
}

export function u16(n: number): Bytes {
  return Uint8Array.of(n >>> 8, n & 0xff);
}

export function u32(n: number): Bytes {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** A u64 from a number below 2^53 (every counter here is below 2^32). */
export function u64(n: number): Bytes {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

export function readU16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

export function readU32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
}

/** A u64 as a number, or Infinity when it is 2^53 or more (callers compare it with 2^32). */
export function readU64(b: Uint8Array, at: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at);
  return v >= 2n ** 53n ? Infinity : Number(v);
}

/** A copy of `b[from..to)` in its own buffer. */
export function slice(b: Uint8Array, from: number, to = b.length): Bytes {
  return b.slice(from, to) as Bytes;
}

/**
 * Equality in time that depends only on the lengths (PROTOCOL.md §2: tags and MACs are compared in
 * constant time). Used for values that are not MACs (session ids, prefixes); MACs are checked with
 * `crypto.subtle.verify`.
 */
export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Overwrites a secret with zeros. */
export function wipe(...secrets: (Uint8Array | null | undefined)[]): void {
  for (const s of secrets) s?.fill(0);
}

export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError("not a hex string of whole bytes");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** Base64url without padding (RFC 4648 §5), as in the `Parley-Session` header (§7.1). */
export function toBase64Url(b: Uint8Array): string {
  let bin = "";
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes standard base64 text that was already checked to be well-formed and padded. */
export function fromBase64(text: string): Bytes {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
