// The error model, the same as the Java client's (docs/CLIENT.md "Errors", docs/ERRORS.md): a
// JSON-RPC error from the server, or a transport failure that says whether the call provably did
// not run. No message ever contains a SecureKey or other key material.

/**
 * What a failed call is known to have done on the server (PROTOCOL.md §13.3, §15.5, §15.7):
 * - `NOT_RUN`: it provably did not run: it was never sent, or the session's own server instance
 *   said so in a way only it can (a verified reject within 60 s of sealing, or the sealed draining
 *   answer). Sending it again cannot run it twice.
 * - `UNKNOWN`: it may have run: the request may have reached a server and no key authenticates what
 *   came back (a 400, 404, 412, 5xx, a reset, a timeout, an unverifiable 410).
 */
export type CallOutcome = "NOT_RUN" | "UNKNOWN";

/**
 * The server answered with a JSON-RPC error object: the function ran (or was refused by the
 * server's JSON-RPC layer) and reported `code`, `message` and optional `data`.
 *
 * @example
 * ```ts
 * try { await calc.call("divide", { a: 1, b: 0 }); }
 * catch (e) { if (e instanceof RemoteError && e.code === 1001) console.log("division by zero"); }
 * ```
 */
export class RemoteError extends Error {
  override readonly name = "RemoteError";
  /** The JSON-RPC error code (-32700…-32600 standard, -32000…-32099 Parley's, anything else the application's). */
  readonly code: number;
  /** The error's `data` member, if the server sent one. */
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/**
 * No usable JSON-RPC answer: the server could not be reached, answered an unexpected HTTP status,
 * or its answer did not verify. {@link outcome} says whether the call may have run.
 */
export class TransportError extends Error {
  override readonly name: string = "TransportError";
  /** The HTTP status of the answer that failed the call, or 0 when there was none. */
  readonly httpStatus: number;
  /** Whether the call provably did not run. */
  readonly outcome: CallOutcome;

  constructor(message: string, httpStatus: number, outcome: CallOutcome, options?: { cause?: unknown }) {
    super(message, options);
    this.httpStatus = httpStatus;
    this.outcome = outcome;
  }

  /** True when the call provably did not run, so that sending it again cannot run it twice. */
  get knownNotRun(): boolean {
    return this.outcome === "NOT_RUN";
  }
}

/** The call's time budget (`timeoutMs`) ran out. */
export class RpcTimeoutError extends TransportError {
  override readonly name = "RpcTimeoutError";
}

/** The caller's `AbortSignal` aborted the call. */
export class CallAbortedError extends TransportError {
  override readonly name = "CallAbortedError";
}

/**
 * The server rejected the handshake (403), or its answer failed to authenticate: the SecureKey or
 * key id differ, only one side has a SecureKey, or the URL names another module. Not retried.
 */
export class WrongSecureKeyError extends TransportError {
  override readonly name = "WrongSecureKeyError";
}

/** This client does not encrypt and the module requires it (HTTP 412). */
export class EncryptionRequiredError extends TransportError {
  override readonly name = "EncryptionRequiredError";
}

/** A forcing client met a module that does not encrypt (415), or an answer that is no handshake message. */
export class EncryptionNotSupportedError extends TransportError {
  override readonly name = "EncryptionNotSupportedError";
}

/** The server no longer knew the session (HTTP 410) and the call was not sent again. */
export class SessionLostError extends TransportError {
  override readonly name = "SessionLostError";
}

/** @internal A handshake or frame check that failed (PROTOCOL.md §6.6, §10.5). Never leaves the library. */
export class CryptoError extends Error {
  override readonly name = "CryptoError";
  readonly reason: "MALFORMED" | "AUTHENTICATION" | "LIMIT" | "REPLAY";

  constructor(reason: CryptoError["reason"], message: string) {
    super(message);
    this.reason = reason;
  }
}
