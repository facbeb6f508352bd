// PROTOCOL.md §10–§13, the client's side: seal request frames in chunks, open response frames,
// ratchet epochs, and check an unknown-session reject.
import { type Bytes, concat, equal, readU32, readU64, slice, u16, u32, u64, utf8, wipe } from "./bytes.js";
import { CryptoError } from "./errors.js";
import type { SessionKeys } from "./handshake.js";
import { aesKey, expand, hmacVerify, open, seal } from "./primitives.js";

/** §10.1 frame types. */
export const REQUEST = 0x05;
export const RESPONSE = 0x06;
export const REJECT = 0x07;
/** §12.5 constants. */
const CHUNK = 65536;
const SEALED_CHUNK = CHUNK + 16;
const LAST = 0x80000000;
export const EPOCH_FRAMES = 2 ** 24;
export const EPOCH_BYTES = 2 ** 36;
export const MAX_FRAMES = 2 ** 32;
const MAX_EPOCH = 65535;
/** §12.4: default maximum session age. */
export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** An epoch's key: its bytes (to ratchet from) and the WebCrypto key made once from them. */
interface EpochKey {
  readonly bytes: Bytes;
  readonly key: CryptoKey;
}

async function epochKey(bytes: Bytes): Promise<EpochKey> {
  return { bytes, key: await aesKey(bytes) };
}

/** §12.2: K_{e+1} = Expand(K_e, "parley v1 epoch key", 32). */
async function nextEpoch(k: Promise<EpochKey>): Promise<EpochKey> {
  return epochKey(await expand((await k).bytes, utf8("parley v1 epoch key"), 32));
}

/** §10.3: nonce = IV ⊕ (u64(ctr) ‖ u32(i + last flag)). */
export function nonce(iv: Bytes, ctr: number, i: number, last: boolean): Bytes {
  const word = concat(u64(ctr), u32(last ? i + LAST : i));
  const out = new Uint8Array(12);
  for (let j = 0; j < 12; j++) out[j] = iv[j] ^ word[j];
  return out;
}

/** §10.4: AD = header ‖ u16 |m| ‖ m ‖ u16 |r| ‖ r [‖ u16 status]. */
export function associatedData(header: Bytes, method: string, route: string, status?: number): Bytes {
  const m = utf8(method);
  const r = utf8(route);
  const parts = [header, u16(m.length), m, u16(r.length), r];
  if (status !== undefined) parts.push(u16(status));
  return concat(...parts);
}

/** §10.1: the frame header. */
export function frameHeader(type: number, epoch: number, sid: Bytes, ctr: number, reqCtr?: number): Bytes {
  const parts = [Uint8Array.of(type), u32(epoch), sid, u64(ctr)];
  if (reqCtr !== undefined) parts.push(u64(reqCtr));
  return concat(...parts);
}

/** §10.2: header ‖ C_0 ‖ … ‖ C_{n-1}, each chunk of at most 64 KiB sealed with its own nonce. */
export async function sealChunks(key: CryptoKey, iv: Bytes, ctr: number, header: Bytes, ad: Bytes, plaintext: Uint8Array): Promise<Bytes> {
  const n = Math.max(1, Math.ceil(plaintext.length / CHUNK));
  const sealed = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      seal(key, nonce(iv, ctr, i, i === n - 1), ad, plaintext.subarray(i * CHUNK, Math.min(plaintext.length, (i + 1) * CHUNK))),
    ),
  );
  return concat(header, ...sealed);
}

/** §10.2 parsing and opening: split by length alone, open in order; any failing chunk fails the frame. */
export async function openChunks(key: CryptoKey, iv: Bytes, ctr: number, ad: Bytes, body: Uint8Array): Promise<Bytes> {
  const n = Math.max(1, Math.ceil(body.length / SEALED_CHUNK));
  if (body.length - (n - 1) * SEALED_CHUNK < 16) throw new CryptoError("MALFORMED", "the frame's last chunk is too short");
  try {
    const parts = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        open(key, nonce(iv, ctr, i, i === n - 1), ad, body.subarray(i * SEALED_CHUNK, Math.min(body.length, (i + 1) * SEALED_CHUNK))),
      ),
    );
    return concat(...parts);
  } catch {
    throw new CryptoError("AUTHENTICATION", "the frame failed to authenticate");
  }
}

/** A sealed request: the frame to send, and what the answer is checked against. */
export interface SealedRequest {
  readonly frame: Bytes;
  readonly counter: number;
  /** The tag of the frame's last chunk (§13.1 `requestTag`). */
  readonly tag: Bytes;
}

/** What a 410's body proves (§13.3), before the 60 s horizon is applied. */
export type RejectCheck = "VERIFIED" | "OTHER_INSTANCE" | "INVALID";

/** @internal Limits that tests lower to reach an epoch quickly (§12.2). */
export interface ChannelLimits {
  readonly epochFrames?: number;
  readonly epochBytes?: number;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * One session's data frames, client side (§10.5, §12, §13.3). Counters are allocated synchronously,
 * so concurrent calls on one session get distinct counters even though sealing is asynchronous.
 */
export class SecureChannel {
  readonly sidText: string;
  private readonly keys: SessionKeys;
  private readonly epochFrames: number;
  private readonly epochBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly createdAt: number;
  // sending (c2s)
  private nextCtr = 0;
  private sendEpoch = 0;
  private sendFrames = 0;
  private sendBytes = 0;
  private sendKey: Promise<EpochKey>;
  // receiving (s2c): the current epoch and the keys of c − 1, c, c + 1 (§12.3)
  private recvEpoch = 0;
  private recvKeys = new Map<number, Promise<EpochKey>>();
  private destroyed = false;

  constructor(keys: SessionKeys, limits: ChannelLimits = {}) {
    this.keys = keys;
    this.sidText = keys.sidText;
    this.epochFrames = limits.epochFrames ?? EPOCH_FRAMES;
    this.epochBytes = limits.epochBytes ?? EPOCH_BYTES;
    this.maxAgeMs = limits.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.now = limits.now ?? Date.now;
    this.createdAt = this.now();
    this.sendKey = epochKey(keys.c2sKey);
    this.recvKeys.set(0, epochKey(keys.s2cKey));
  }

  /**
   * §10.5 sealing: the next counter and the key of its epoch, ratcheting first when the epoch is
   * used up (§12.2). Throws LIMIT when the session is used up (counter, epoch or age): the caller
   * runs a new handshake.
   */
  sealRequest(method: string, route: string, plaintext: Uint8Array): Promise<SealedRequest> {
    if (this.destroyed) throw new CryptoError("LIMIT", "the session was closed");
    if (this.now() - this.createdAt >= this.maxAgeMs) throw new CryptoError("LIMIT", "the session reached its maximum age");
    if (this.nextCtr >= MAX_FRAMES) throw new CryptoError("LIMIT", "the session's counters are used up");
    if (this.sendFrames >= this.epochFrames || this.sendBytes >= this.epochBytes) {
      if (this.sendEpoch >= MAX_EPOCH) throw new CryptoError("LIMIT", "the session's key epochs are used up");
      this.sendKey = nextEpoch(this.sendKey);
      this.sendEpoch++;
      this.sendFrames = 0;
      this.sendBytes = 0;
    }
    const ctr = this.nextCtr++;
    const epoch = this.sendEpoch;
    const key = this.sendKey;
    const iv = this.keys.c2sIv;
    this.sendFrames++;
    this.sendBytes += plaintext.length;
    return (async () => {
      const header = frameHeader(REQUEST, epoch, this.keys.sid, ctr);
      const frame = await sealChunks((await key).key, iv, ctr, header, associatedData(header, method, route), plaintext);
      return { frame, counter: ctr, tag: slice(frame, frame.length - 16) };
    })();
  }

  /**
   * §10.5, client, response frame: the answer to the request with counter `reqCtr`, received with
   * HTTP `status`. Rejects with a {@link CryptoError} when anything does not check.
   */
  async openResponse(frame: Bytes, reqCtr: number, status: number, method: string, route: string): Promise<Bytes> {
    if (frame.length < 53 || frame[0] !== RESPONSE) throw new CryptoError("MALFORMED", "not a response frame");
    if (!equal(frame.subarray(5, 21), this.keys.sid)) throw new CryptoError("AUTHENTICATION", "another session's frame");
    const epoch = readU32(frame, 1);
    const ctr = readU64(frame, 21);
    const echoed = readU64(frame, 29);
    if (ctr >= MAX_FRAMES || echoed >= MAX_FRAMES || epoch > MAX_EPOCH) throw new CryptoError("LIMIT", "a counter or epoch out of range");
    if (echoed !== reqCtr) throw new CryptoError("AUTHENTICATION", "the answer to another request");
    const key = this.receiveKey(epoch);
    const iv = this.keys.s2cIv;
    const header = slice(frame, 0, 37);
    const plaintext = await openChunks((await key).key, iv, ctr, associatedData(header, method, route, status), frame.subarray(37));
    if (epoch === this.recvEpoch + 1) this.moveReceiveEpoch(); // §12.3: only after the frame verified
    return plaintext;
  }

  /** §12.3: the key for a frame of epoch `e`, or a rejection. */
  private receiveKey(e: number): Promise<EpochKey> {
    const c = this.recvEpoch;
    if (e < c - 1) throw new CryptoError("REPLAY", "a frame of an epoch long gone");
    if (e > c + 1) throw new CryptoError("AUTHENTICATION", "a frame of an epoch too far ahead");
    let key = this.recvKeys.get(e);
    if (!key) {
      key = nextEpoch(this.recvKeys.get(c)!); // e = c + 1, derived when its first frame arrives
      this.recvKeys.set(e, key);
    }
    return key;
  }

  private moveReceiveEpoch(): void {
    this.recvKeys.delete(this.recvEpoch - 1);
    this.recvEpoch++;
  }

  /**
   * §13.3: what a 410 body proves about the request with counter `ctr` and tag `requestTag` sent to
   * `route`. The 60 s horizon is the caller's to apply.
   */
  async checkReject(reject: Bytes, ctr: number, requestTag: Bytes, route: string): Promise<RejectCheck> {
    if (reject.length !== 73) return "INVALID";
    if (!equal(reject.subarray(0, 25), concat(Uint8Array.of(REJECT), this.keys.sid, u64(ctr)))) return "INVALID";
    if (!equal(reject.subarray(25, 41), this.keys.instanceId)) return "OTHER_INSTANCE";
    const r = utf8(route);
    const data = concat(utf8("parley v1 reject"), reject.subarray(0, 41), u16(r.length), r, requestTag);
    return (await hmacVerify(this.keys.rejectKey, slice(reject, 41), data)) ? "VERIFIED" : "INVALID";
  }

  /**
   * Ends the session: wipes the key bytes this object holds (§7.2). WebCrypto's own key objects
   * cannot be wiped; they become unreachable.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const k = this.keys;
    wipe(k.c2sKey, k.s2cKey, k.rejectKey);
    this.recvKeys.clear();
  }
}
