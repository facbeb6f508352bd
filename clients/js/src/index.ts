/**
 * Parley's client for browsers and Node: plain JSON-RPC 2.0 calls, and encrypted calls on the
 * secure channel of docs/PROTOCOL.md, on WebCrypto alone (docs/JS.md).
 *
 * @example
 * ```ts
 * import { ParleyClient } from "@parley/client";
 * const calc = new ParleyClient("https://api.example.com/calc", { secureKey: "000102…1e1f" });
 * console.log(await calc.call("add", { a: 1, b: 2 }));   // 3
 * ```
 * @packageDocumentation
 */
export { ParleyClient, REJECT_HORIZON_MS } from "./client.js";
export type { BatchEntry, BatchResult, CallOptions, ClientEvent, ClientOptions, Params } from "./client.js";
export {
  CallAbortedError,
  EncryptionNotSupportedError,
  EncryptionRequiredError,
  RemoteError,
  RpcTimeoutError,
  SessionLostError,
  TransportError,
  WrongSecureKeyError,
} from "./errors.js";
export type { CallOutcome } from "./errors.js";
export { SecureKey } from "./securekey.js";
export type { Argon2id, Argon2idParams } from "./securekey.js";
export { deflateRawAvailable } from "./compression.js";
