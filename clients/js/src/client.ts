// The client: plain JSON-RPC 2.0 calls, and sealed calls on a secure channel (PROTOCOL.md §6–§15)
// with the Java client's rules for what a failed call is known to have done and what is sent again
// (rpc-client's SealedExchange, Handshaker, SessionProbe, PlainExchange, Transport, Resend and CallBudget;
// docs/CLIENT.md "Outcomes and re-sends").
import { type Bytes, utf8 } from "./bytes.js";
import { SecureChannel, type RejectCheck } from "./channel.js";
import { jsonOf, sealedPlaintext } from "./compression.js";
import {
  type CallOutcome,
  CryptoError,
  EncryptionNotSupportedError,
  EncryptionRequiredError,
  RemoteError,
  SessionLostError,
  TransportError,
  WrongSecureKeyError,
} from "./errors.js";
import { ClientHandshake, Prologue } from "./handshake.js";
import { SecureKey, decodeSecureKey } from "./securekey.js";
import { Budget, classify, clean, hasMediaType, readBody, SendFailure } from "./transport.js";

const JSON_TYPE = "application/json";
const HANDSHAKE_TYPE = "application/vnd.parley.handshake";
const SEALED_TYPE = "application/vnd.parley.sealed";
const SESSION_HEADER = "Parley-Session";
const DRAINING_HEADER = "Parley-Draining";
const METHOD = "POST";
/** §13.3: a reject is accepted only this soon after the request was sealed. */
export const REJECT_HORIZON_MS = 60_000;
/** §11: at most 1024 requests in flight per session. */
const MAX_IN_FLIGHT = 1024;
const MAX_HANDSHAKE_ANSWER = 2048;
const MAX_REJECT = 1024;
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_PROBE_AFTER_IDLE_MS = 10_000;
const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/** JSON-RPC params: by name (an object) or by position (an array). */
export type Params = Record<string, unknown> | unknown[];

/** Events, as the Java client's `ClientListener` (docs/CLIENT.md "Listener"). */
export type ClientEvent =
  | { type: "sessionOpen"; sid: string }
  | { type: "sessionExpired"; sid: string }
  | { type: "wrongSecureKey" }
  | { type: "encryptionNotSupported" }
  | { type: "encryptionRequired" }
  | { type: "repost"; function: string }
  | { type: "connectionLost"; detail: string };

/** Settings of a {@link ParleyClient}; each has the Java client's meaning (docs/CLIENT.md). */
export interface ClientOptions {
  /**
   * The module's SecureKey: a {@link SecureKey}, or its text (hex or base64, at least 32 random
   * bytes; checked at once, derived on first use). Implies `forceEncryption` and `encryptionKey` 32.
   */
  secureKey?: SecureKey | string;
  /** The key id for a SecureKey given as text (§3.3), default 0. */
  secureKeyId?: number;
  /** 0: no encryption; 16..64: encrypt, with random contributions of this many bytes. Default 32 with a SecureKey, else 0. */
  encryptionKey?: number;
  /** Never send a plain call, never fall back (default: true with a SecureKey). */
  forceEncryption?: boolean;
  /** Required to encrypt without a SecureKey (Noise_NN: no protection against an active man in the middle). */
  allowUnauthenticated?: boolean;
  /** After an HTTP 410, handshake anew and send the call once more when that is safe (default true). */
  autoRepost?: boolean;
  /** The whole call's budget in ms, waits and re-sends included (default 60000; 0 = no limit). */
  timeoutMs?: number;
  /**
   * Wait for a server that refuses connections or is stopping, within the call's budget (default
   * true); false: fail at once, outcome `NOT_RUN` where that is proven.
   */
  waitForServer?: boolean;
  /** Probe a session idle this long (ms) with an empty sealed request before sealing a call on it (default 10000; 0 = only after a failure). */
  probeAfterIdleMs?: number;
  /** Compress sealed requests of 256 bytes or more with raw DEFLATE where the platform can (default false). */
  compression?: boolean;
  /** The largest answer accepted, also after inflating (default 4 MiB). */
  maxBodyBytes?: number;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Called for each {@link ClientEvent}; exceptions it throws are ignored. */
  onEvent?: (event: ClientEvent) => void;
}

/** Per-call settings. */
export interface CallOptions {
  /** The function may run twice without harm: it is sent once more after a failure of unknown outcome. */
  idempotent?: boolean;
  /** Aborts the call; the error says whether it may have run. */
  signal?: AbortSignal;
  /** This call's budget, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** One entry of {@link ParleyClient.batch}. */
export interface BatchEntry {
  method: string;
  params?: Params;
  /** A notification: no answer, and its slot in the result is `undefined`. */
  notification?: boolean;
}

/** The answer to one batch entry: a result, a JSON-RPC error, or `undefined` for a notification. */
export type BatchResult = { ok: true; result: unknown } | { ok: false; error: RemoteError } | undefined;

/** A failure before the call was sealed that a later attempt may overcome: wait and try again. */
class RetryLater extends Error {}

const PLAIN = Symbol("plain");

/** One session: its channel, whether it was dropped, and whether it must be probed first (§13.4). */
class Session {
  dropped = false;
  /** A connection failed since the last verified answer: the server may have gone. */
  suspect = false;
  lastVerified = Date.now();
  probing: Promise<void> | null = null;
  private users = 0;

  constructor(readonly channel: SecureChannel, readonly sid: string) {}

  acquire(): boolean {
    if (this.dropped) return false;
    this.users++;
    return true;
  }

  release(): void {
    if (--this.users === 0 && this.dropped) this.channel.destroy();
  }

  /** Returns true for the one caller that dropped it. */
  drop(): boolean {
    const first = !this.dropped;
    this.dropped = true;
    if (this.users === 0) this.channel.destroy();
    return first;
  }

  needsProbe(idleMs: number): boolean {
    return this.suspect || (idleMs > 0 && Date.now() - this.lastVerified >= idleMs);
  }

  verified(): void {
    this.lastVerified = Date.now();
    this.suspect = false;
  }
}

/**
 * A client of one Parley module, plain or encrypted. Safe to share: concurrent calls run on one
 * session. In a browser it needs a secure context for encryption (https:// or http://localhost).
 *
 * @example
 * ```ts
 * import { ParleyClient } from "@parley/client";
 * const calc = new ParleyClient("https://api.example.com/calc", { secureKey: process.env.CALC_KEY });
 * const three = await calc.call<number>("add", { a: 1, b: 2 });
 * ```
 */
export class ParleyClient {
  /** The module's URL. */
  readonly url: string;
  private readonly route: string;
  private readonly key: Promise<SecureKey> | null;
  private readonly encryptionKey: number;
  private readonly force: boolean;
  private readonly autoRepost: boolean;
  private readonly waitForServer: boolean;
  private readonly timeoutMs: number;
  private readonly probeAfterIdleMs: number;
  private readonly compress: boolean;
  private readonly maxBody: number;
  private readonly fetchFn: typeof fetch;
  private readonly onEvent?: (event: ClientEvent) => void;
  private current: Promise<Session | typeof PLAIN> | null = null;
  /** The handshake state after the prologue and psk (§5, §6.1): computed once per client. */
  private prologue: Promise<Prologue> | null = null;
  /** The session {@link current} resolved to, while it is the one in use. */
  private live: Session | null = null;
  private fellBack = false;
  private plainSid: string | undefined;
  private nextId = 1;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  /** Checks every setting at once and throws a `TypeError` or `RangeError` that says what to change. */
  constructor(url: string | URL, options: ClientOptions = {}) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    let parsed: URL;
    try {
      parsed = new URL(url, base);
    } catch {
      throw new TypeError("the module URL is not a valid absolute URL (for example https://api.example.com/calc)");
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError("the module URL must be http:// or https://");
    if (parsed.username || parsed.password) throw new TypeError("the module URL must not carry user info: credentials in URLs end up in logs");
    if (parsed.search || parsed.hash) throw new TypeError("the module URL must not have a query or fragment: give only the module's address");
    this.url = parsed.href;
    this.route = parsed.pathname; // §5, §10.4: the module route, as the server module has it
    const o = options;
    const keyId = o.secureKeyId ?? 0;
    if (o.secureKeyId !== undefined && !o.secureKey) throw new TypeError("secureKeyId needs a secureKey");
    if (typeof o.secureKey === "string") {
      const bytes = decodeSecureKey(o.secureKey); // throws at once on a malformed key
      this.key = SecureKey.fromBytes(bytes, keyId).finally(() => bytes.fill(0));
      this.key.catch(() => {});
    } else if (o.secureKey instanceof SecureKey) {
      this.key = Promise.resolve(o.secureKey);
    } else if (o.secureKey !== undefined) {
      throw new TypeError("secureKey must be a SecureKey or its hex or base64 text");
    } else {
      this.key = null;
    }
    this.encryptionKey = o.encryptionKey ?? (this.key ? 32 : 0);
    if (!Number.isInteger(this.encryptionKey) || (this.encryptionKey !== 0 && (this.encryptionKey < 16 || this.encryptionKey > 64))) {
      throw new RangeError(`encryptionKey must be 0 or 16..64, was ${o.encryptionKey}`);
    }
    this.force = o.forceEncryption ?? !!this.key;
    if (this.key && (this.encryptionKey === 0 || !this.force)) {
      throw new TypeError("a SecureKey needs encryption: leave encryptionKey and forceEncryption unset (or 16..64 and true)");
    }
    if (this.force && this.encryptionKey === 0) throw new TypeError("forceEncryption needs encryptionKey 16..64");
    if (this.encryptionKey > 0 && !this.key && !o.allowUnauthenticated) {
      throw new TypeError("encryption without a SecureKey stops eavesdroppers but not an active man in the middle; give the module's secureKey, or set allowUnauthenticated: true");
    }
    this.autoRepost = o.autoRepost ?? true;
    this.waitForServer = o.waitForServer ?? true;
    this.timeoutMs = checkMs("timeoutMs", o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.probeAfterIdleMs = checkMs("probeAfterIdleMs", o.probeAfterIdleMs ?? DEFAULT_PROBE_AFTER_IDLE_MS);
    this.compress = o.compression ?? false;
    this.maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
    if (!Number.isInteger(this.maxBody) || this.maxBody < 1024) throw new RangeError("maxBodyBytes must be an integer of at least 1024");
    const f = o.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new TypeError("no fetch: give options.fetch");
    this.fetchFn = (input, init) => f(input, init);
    this.onEvent = o.onEvent;
  }

  /** True when calls to this module are sealed (it may still fall back to plain on a 415 when not forcing). */
  get encrypting(): boolean {
    return this.encryptionKey > 0 && !this.fellBack;
  }

  /** The current session id: the secure session's once a handshake completed, else one a plain module issued. */
  get sessionId(): string | undefined {
    return this.live?.sid ?? this.plainSid;
  }

  /**
   * Calls `method` and resolves with its result. Rejects with a {@link RemoteError} (the function
   * reported an error) or a {@link TransportError} whose `outcome` says whether it may have run.
   */
  async call<T = unknown>(method: string, params?: Params, options: CallOptions = {}): Promise<T> {
    const id = this.nextId++;
    const body = envelope(method, params, id);
    const answer = await this.exchange(body, `the call of ${method}`, method, options, false);
    if (answer === undefined) throw new TransportError(`${this.url} answered the call of ${method} with no content; a call needs a JSON-RPC response`, 204, "UNKNOWN");
    return readResponse(answer, id, this.url, method) as T;
  }

  /** Sends a notification: the server runs `method` and answers nothing. */
  async notify(method: string, params?: Params, options: CallOptions = {}): Promise<void> {
    await this.exchange(envelope(method, params), `the notification ${method}`, method, options, true);
  }

  /**
   * Sends several calls and notifications in one request (a JSON-RPC batch). Resolves with one
   * entry per input entry, in order; a notification's entry is `undefined`.
   */
  async batch(entries: BatchEntry[], options: CallOptions = {}): Promise<BatchResult[]> {
    if (!Array.isArray(entries) || entries.length === 0) throw new TypeError("a batch needs at least one entry");
    const ids = entries.map((e) => (e.notification ? undefined : this.nextId++));
    const body = "[" + entries.map((e, i) => envelope(e.method, e.params, ids[i])).join(",") + "]";
    const what = `a batch of ${entries.length}`;
    const allNotifications = ids.every((x) => x === undefined);
    const answer = await this.exchange(body, what, what, options, allNotifications);
    if (allNotifications) return entries.map(() => undefined);
    if (answer === undefined) throw new TransportError(`${this.url} answered ${what} with no content`, 204, "UNKNOWN");
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer);
    } catch {
      throw new TransportError(`invalid JSON-RPC answer from ${this.url} to ${what}: the body is not JSON`, 200, "UNKNOWN");
    }
    if (!Array.isArray(parsed)) {
      if (isObject(parsed) && isObject(parsed.error)) throw remoteError(parsed.error);
      throw new TransportError(`invalid JSON-RPC answer from ${this.url} to ${what}: not an array`, 200, "UNKNOWN");
    }
    const byId = new Map<unknown, Record<string, unknown>>();
    for (const r of parsed) if (isObject(r)) byId.set(r.id, r);
    return ids.map((id) => {
      if (id === undefined) return undefined;
      const r = byId.get(id);
      if (!r) throw new TransportError(`invalid JSON-RPC answer from ${this.url} to ${what}: no answer for id ${id}`, 200, "UNKNOWN");
      return isObject(r.error) ? { ok: false, error: remoteError(r.error) } : { ok: true, result: r.result };
    });
  }

  /** Forgets the session (its keys are wiped once no call uses it). The client stays usable. */
  close(): void {
    const c = this.current;
    this.current = null;
    this.live = null;
    c?.then((s) => s !== PLAIN && s.drop(), () => {});
  }

  // ------------------------------------------------------------------ one exchange

  /** Sends the JSON-RPC text plain or sealed; resolves with the answer's text, or undefined for none. */
  private async exchange(body: string, what: string, fn: string, options: CallOptions, notification: boolean): Promise<string | undefined> {
    const idempotent = !!options.idempotent;
    const budget = new Budget(checkMs("timeoutMs", options.timeoutMs ?? this.timeoutMs), options.signal, this.waitForServer);
    try {
      if (budget.signal.aborted) throw budget.stopped(`${what} at ${this.url}`, "NOT_RUN");
      if (this.encrypting) {
        await this.slot(budget, what);
        try {
          const json = await this.sealed(utf8(body), what, fn, idempotent, budget);
          if (json !== PLAIN) return json.length === 0 ? undefined : new TextDecoder().decode(json);
        } finally {
          this.freeSlot();
        }
      }
      return await this.plain(body, what, idempotent, budget, notification);
    } finally {
      budget.dispose();
    }
  }

  /** §11: at most 1024 sealed calls in flight per client; more wait for a slot (within their budget). */
  private async slot(budget: Budget, what: string): Promise<void> {
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return;
    }
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => (grant = resolve));
    this.waiting.push(grant);
    try {
      await budget.race(granted, what, () => "NOT_RUN");
    } catch (e) {
      const at = this.waiting.indexOf(grant);
      if (at >= 0) this.waiting.splice(at, 1);
      else this.freeSlot(); // the slot was handed over as the call gave up: pass it on
      throw e;
    }
  }

  private freeSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  private event(e: ClientEvent): void {
    try {
      this.onEvent?.(e);
    } catch {
      // a listener's failure is not the call's
    }
  }

  private async post(type: string, body: BodyInit, sid: string | undefined, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { "Content-Type": type, Accept: type };
    if (sid) headers[SESSION_HEADER] = sid;
    try {
      return await this.fetchFn(this.url, { method: METHOD, headers, body, signal, redirect: "manual", credentials: "same-origin", cache: "no-store" });
    } catch (e) {
      const failure = classify(e, signal);
      if (failure.kind !== "stopped") this.event({ type: "connectionLost", detail: failure.message });
      throw failure;
    }
  }

  /**
   * A send failed with `f` ("hopeless": the request cannot have left; "network": it may have reached
   * the server). Throws the TransportError for it, unless `resend` allows the call to be sent once
   * more (an idempotent call not yet re-sent): then it returns, and the call may have run.
   */
  private resendOrThrow(f: SendFailure, what: string, budget: Budget, resend: boolean): void {
    if (f.kind === "hopeless") throw new TransportError(`cannot reach ${this.url} for ${what}: ${f.message}; it was not sent, so it did not run`, 0, budget.notRun(), { cause: f.cause });
    if (!resend) {
      throw new TransportError(`the connection to ${this.url} failed during ${what} (${f.message}); it may have reached the server, so whether it ran is unknown`, 0, "UNKNOWN", { cause: f.cause });
    }
    budget.maybeRan = true;
  }

  // ------------------------------------------------------------------ plain calls (the Java PlainExchange)

  private async plain(body: string, what: string, idempotent: boolean, budget: Budget, notification: boolean): Promise<string | undefined> {
    let resent = false;
    for (;;) {
      if (budget.signal.aborted) throw budget.stopped(`${what} at ${this.url}`, budget.notRun());
      let response: Response;
      try {
        response = await this.post(JSON_TYPE, body, this.plainSid, budget.signal);
      } catch (e) {
        const f = e as SendFailure;
        if (f.kind === "stopped") throw budget.stopped(`${what} at ${this.url}`, "UNKNOWN");
        if (f.kind === "refused") {
          await budget.later(`${what} at ${this.url}`, `cannot reach ${this.url} (${f.message})`);
          continue;
        }
        this.resendOrThrow(f, what, budget, idempotent && !resent);
        resent = true;
        continue;
      }
      if (response.status === 503 && response.headers.get(DRAINING_HEADER) !== null) {
        // §15.7: the module is stopping and ran nothing; a plain answer proves nothing, so never "not run".
        await response.body?.cancel().catch(() => {});
        budget.maybeRan = true;
        await budget.later(`${what} at ${this.url}`, `${this.url} is stopping (HTTP 503, Parley-Draining)`);
        continue;
      }
      const sid = response.headers.get(SESSION_HEADER);
      if (sid && /^[\x21-\x7e]{1,256}$/.test(sid)) this.plainSid = sid;
      if (response.status === 204) {
        if (notification) return undefined;
        throw new TransportError(`${this.url} answered ${what} with HTTP 204 (no content); a call needs a JSON-RPC response`, 204, "UNKNOWN");
      }
      if (response.status !== 200) throw await this.statusFailure(response, what);
      let bytes: Bytes;
      try {
        bytes = await readBody(response, this.maxBody);
      } catch (e) {
        if (budget.signal.aborted) throw budget.stopped(`${what} at ${this.url}`, "UNKNOWN");
        throw new TransportError(`reading the answer to ${what} from ${this.url} failed (${(e as Error).message}); whether it ran is unknown`, 200, "UNKNOWN", { cause: e });
      }
      return new TextDecoder().decode(bytes);
    }
  }

  private async statusFailure(response: Response, what: string): Promise<TransportError> {
    const status = response.status;
    if (status === 412) {
      this.event({ type: "encryptionRequired" });
      return new EncryptionRequiredError(`${this.url} answered ${what} with HTTP 412 (encryption required): the module requires encryption and this client does not encrypt; give it the module's secureKey. A Parley module that forces encryption runs nothing for a plain call, but nothing authenticates a 412, so whether it ran is unknown`, 412, "UNKNOWN");
    }
    let snippet = "";
    try {
      snippet = clean(new TextDecoder().decode(await readBody(response, 4096)).slice(0, 121), 120);
    } catch {
      // no snippet
    }
    return new TransportError(`${this.url} answered ${what} with HTTP ${status}${snippet ? ": " + snippet : ""} (whether it ran is unknown)`, status, "UNKNOWN");
  }

  // ------------------------------------------------------------------ sealed calls (the Java SealedExchange)

  /** Sends the JSON-RPC bytes sealed; resolves with the answer's JSON bytes, or PLAIN after a fallback (§9). */
  private async sealed(json: Bytes, what: string, fn: string, idempotent: boolean, budget: Budget): Promise<Bytes | typeof PLAIN> {
    const at = `${what} at ${this.url}`;
    const plaintext = await sealedPlaintext(json, this.compress);
    let reposted = false;
    let resent = false;
    let allVerified = true;
    let sealRetries = 1;
    for (;;) {
      let session: Session | typeof PLAIN;
      try {
        session = await budget.race(this.session(), at, () => budget.notRun());
        if (session === PLAIN) return PLAIN;
        if (!session.acquire()) continue; // dropped meanwhile: the next session
        if (session.needsProbe(this.probeAfterIdleMs)) {
          // §13.4: check the session with a ping before sealing a call on it.
          session.release();
          await budget.race(this.probe(session), at, () => budget.notRun());
          continue;
        }
      } catch (e) {
        if (e instanceof RetryLater) {
          await budget.later(at, e.message);
          continue;
        }
        if (e instanceof TransportError && e.outcome === "NOT_RUN" && budget.maybeRan) {
          throw new TransportError(`${e.message}; an earlier attempt of ${what} may have run, so whether it ran is unknown`, e.httpStatus, "UNKNOWN", { cause: e });
        }
        throw e;
      }
      let sealed;
      try {
        sealed = await session.channel.sealRequest(METHOD, this.route, plaintext); // §10.5
      } catch (e) {
        session.release();
        // §12: LIMIT (counter, epoch or age): this session is used up; handshake anew.
        this.drop(session, false);
        if (sealRetries-- > 0) continue;
        throw new TransportError(`cannot seal ${what} for ${this.url} even on a new session (${(e as Error).message}); it was not sent`, 0, budget.notRun());
      }
      if (budget.signal.aborted) {
        session.release();
        throw budget.stopped(at, budget.notRun()); // sealed, never sent: the counter is simply skipped (§11)
      }
      const sealedAt = Date.now();
      let response: Response;
      try {
        response = await this.post(SEALED_TYPE, sealed.frame, session.sid, budget.signal);
      } catch (e) {
        session.suspect = true; // the server may have gone: probe before the next seal
        session.release();
        const f = e as SendFailure;
        if (f.kind === "stopped") throw budget.stopped(at, "UNKNOWN");
        if (f.kind === "refused") {
          await budget.later(at, `cannot reach ${this.url} (${f.message})`);
          continue; // nothing was sent; sealed anew next time (never a byte-identical resend, §11)
        }
        this.resendOrThrow(f, what, budget, idempotent && !resent);
        resent = true;
        continue;
      }
      let released = false;
      try {
        const status = response.status;
        if (status === 200) {
          const opened = await this.open(response, session, sealed.counter, 200, what, budget);
          session.verified();
          return opened.length === 0 ? opened : await this.inflate(opened, what);
        }
        if (status === 503 && hasMediaType(response.headers.get("Content-Type"), SEALED_TYPE)) {
          // §15.7: the session's instance is stopping; if the frame opens under status 503, the call did not run.
          try {
            await this.open(response, session, sealed.counter, 503, what, budget);
          } catch (e) {
            throw new TransportError(`${this.url} answered ${what} with an HTTP 503 whose sealed body does not authenticate; whether it ran is unknown`, 503, "UNKNOWN", { cause: e });
          }
          session.release();
          released = true;
          this.drop(session, true);
          await budget.later(at, `${this.url} is stopping (it answered an authenticated 503: not run)`);
          continue;
        }
        if (status === 410) {
          let check: RejectCheck = "INVALID";
          try {
            check = await session.channel.checkReject(await readBody(response, MAX_REJECT), sealed.counter, sealed.tag, this.route);
          } catch {
            // an unreadable reject proves nothing
          }
          const inTime = Date.now() - sealedAt < REJECT_HORIZON_MS;
          session.release();
          released = true;
          this.drop(session, true);
          // §13.3: what a 410 proves; at most one repost per call, never a loop.
          const verified = check === "VERIFIED" && inTime && this.key !== null;
          allVerified &&= verified;
          const outcome: CallOutcome = allVerified ? budget.notRun() : "UNKNOWN";
          const said = outcome === "NOT_RUN" ? "it did not run (the session's own server instance proved it)" : "whether it ran is unknown";
          if (reposted) throw new SessionLostError(`${this.url} did not know the new session either (HTTP 410 again after a new handshake) for ${what}; it was not sent a third time: ${said}`, 410, outcome);
          if (!this.autoRepost) throw new SessionLostError(`${this.url} no longer knows the session (HTTP 410) for ${what} and autoRepost is off, so it was not sent again: ${said}; the next call runs a new handshake`, 410, outcome);
          if (!verified && !idempotent) {
            throw new SessionLostError(`${this.url} answered ${what} with an HTTP 410 that ${this.unverifiedBecause(check, inTime)}, and it is not idempotent, so it was not sent again: whether it ran is unknown; the next call runs a new handshake`, 410, "UNKNOWN");
          }
          if (!verified) budget.maybeRan = true;
          reposted = true;
          this.event({ type: "repost", function: fn });
          continue; // re-sealed on a new session with a new counter
        }
        if (status === 400) {
          await response.body?.cancel().catch(() => {});
          throw new TransportError(`${this.url} answered the sealed request of ${what} with HTTP 400 (frame rejected: altered on the way, a copy of a request already accepted, or malformed); no key authenticates a 400, so whether it ran is unknown; the session is kept`, 400, "UNKNOWN");
        }
        throw await this.statusFailure(response, what);
      } finally {
        if (!released) session.release();
      }
    }
  }

  private unverifiedBecause(check: RejectCheck, inTime: boolean): string {
    if (this.key === null) return "proves nothing without a SecureKey";
    if (check === "OTHER_INSTANCE") return "comes from another server instance than the one that holds the session (a replica, or the server restarted), which cannot know whether the session's instance ran it";
    if (check === "VERIFIED" && !inTime) return `arrived more than ${REJECT_HORIZON_MS / 1000} s after the call was sealed (too late to prove anything, PROTOCOL.md §13.3)`;
    return "does not verify";
  }

  /** §10.5, client: the answer must be a response frame for this very request; its plaintext. */
  private async open(response: Response, session: Session, counter: number, status: number, what: string, budget: Budget): Promise<Bytes> {
    const type = response.headers.get("Content-Type");
    if (!hasMediaType(type, SEALED_TYPE)) {
      await response.body?.cancel().catch(() => {});
      throw new TransportError(`${this.url} answered the sealed request of ${what} with HTTP ${status} and content type ${type === null ? "none" : clean(type, 80)} instead of ${SEALED_TYPE}; whether it ran is unknown`, status, "UNKNOWN");
    }
    let frame: Bytes;
    try {
      frame = await readBody(response, this.maxBody + 1 + (Math.floor(this.maxBody / 65536) + 2) * 16 + 64);
    } catch (e) {
      if (budget.signal.aborted) throw budget.stopped(`${what} at ${this.url}`, "UNKNOWN");
      throw new TransportError(`reading the sealed answer to ${what} from ${this.url} failed (${(e as Error).message}); whether it ran is unknown`, status, "UNKNOWN", { cause: e });
    }
    try {
      return await session.channel.openResponse(frame, counter, status, METHOD, this.route);
    } catch (e) {
      throw new TransportError(`the sealed answer from ${this.url} to ${what} failed to open (altered on the way, or the answer to another call); whether it ran is unknown`, status, "UNKNOWN", { cause: e });
    }
  }

  private async inflate(plaintext: Bytes, what: string): Promise<Bytes> {
    try {
      return await jsonOf(plaintext, this.maxBody);
    } catch (e) {
      throw new TransportError(`invalid answer from ${this.url} to ${what}: ${(e as Error).message}`, 200, "UNKNOWN", { cause: e });
    }
  }

  private drop(session: Session, expired: boolean): void {
    if (session.drop() && expired) this.event({ type: "sessionExpired", sid: session.sid });
    if (this.live === session) {
      this.live = null;
      this.current = null;
    }
  }

  // ------------------------------------------------------------------ the session probe (§13.4, §15.4)

  /** One ping per session at a time, shared by every call that waits for it. */
  private probe(session: Session): Promise<void> {
    if (!session.probing) {
      const p = this.ping(session).finally(() => {
        if (session.probing === p) session.probing = null;
      });
      session.probing = p;
    }
    return session.probing;
  }

  private async ping(session: Session): Promise<void> {
    if (!session.acquire()) return;
    let verdict: "HELD" | "DROP" | "RETRY";
    try {
      verdict = await this.pingOnce(session);
    } finally {
      session.release();
    }
    if (verdict === "HELD") session.verified();
    else if (verdict === "DROP") this.drop(session, true);
    else throw new RetryLater(`the session's server at ${this.url} could not be reached to check the session`);
  }

  private async pingOnce(session: Session): Promise<"HELD" | "DROP" | "RETRY"> {
    let ping;
    try {
      ping = await session.channel.sealRequest(METHOD, this.route, new Uint8Array(0));
    } catch {
      return "DROP"; // the session is used up
    }
    let response: Response;
    try {
      response = await this.post(SEALED_TYPE, ping.frame, session.sid, AbortSignal.timeout(this.handshakeTimeout()));
    } catch (e) {
      // A ping runs nothing: whatever happened to it, try again later; a hopeless failure drops the session.
      return (e as SendFailure).kind === "hopeless" ? "DROP" : "RETRY";
    }
    const status = response.status;
    if (status === 200) {
      try {
        const budget = new Budget(this.handshakeTimeout());
        try {
          await this.open(response, session, ping.counter, 200, "the session check", budget);
        } finally {
          budget.dispose();
        }
        return "HELD";
      } catch {
        return "DROP";
      }
    }
    await response.body?.cancel().catch(() => {});
    const sealedType = hasMediaType(response.headers.get("Content-Type"), SEALED_TYPE);
    if (status === 502 || status === 504 || (status === 503 && response.headers.get(DRAINING_HEADER) === null && !sealedType)) {
      return "RETRY"; // a proxy without a reachable server: it may come back
    }
    return "DROP"; // 410, 400, a draining 503, anything else: the session is not usable
  }

  // ------------------------------------------------------------------ the handshake (§6, §15.2)

  private handshakeTimeout(): number {
    return this.timeoutMs > 0 ? this.timeoutMs : 30_000;
  }

  /** Single flight: one handshake shared by every call that needs a session, cleared when it fails. */
  private session(): Promise<Session | typeof PLAIN> {
    if (this.fellBack) return Promise.resolve(PLAIN);
    let c = this.current;
    if (!c) {
      c = this.handshake();
      const mine = c;
      this.current = c;
      c.then(
        (s) => {
          if (s !== PLAIN && this.current === mine) this.live = s;
        },
        () => {
          if (this.current === mine) this.current = null;
        },
      );
    }
    return c;
  }

  private async handshake(): Promise<Session | typeof PLAIN> {
    if (!this.prologue) {
      const p = this.key ? this.key.then((k) => Prologue.cached(k, this.route, this.encryptionKey)) : Prologue.of(null, this.route, this.encryptionKey);
      this.prologue = p;
      p.catch(() => {
        if (this.prologue === p) this.prologue = null;
      });
    }
    const hs = await ClientHandshake.start(await this.prologue);
    const sid = hs.sidText;
    try {
      const r1 = await this.handshakePost(hs.message1(), sid);
      const status = r1.status;
      if (status === 403) {
        await r1.body?.cancel().catch(() => {});
        this.event({ type: "wrongSecureKey" });
        throw new WrongSecureKeyError(`${this.url} rejected the handshake (HTTP 403): this client's SecureKey or secureKeyId differs from the server module's (or only one side has a SecureKey), or the URL names another module; the call was not sent`, 403, "NOT_RUN");
      }
      if (status === 415) {
        await r1.body?.cancel().catch(() => {});
        if (!this.force) {
          this.fellBack = true; // §9: only a client that does not force encryption
          return PLAIN;
        }
        this.event({ type: "encryptionNotSupported" });
        throw new EncryptionNotSupportedError(`${this.url} does not encrypt (HTTP 415 to the handshake) and this client forces encryption, so nothing was sent in clear and the call was not sent; enable encryption on the server module`, 415, "NOT_RUN");
      }
      await this.retryIfUnavailable(r1);
      if (status === 404 || status >= 500) throw this.notSent(await this.statusFailure(r1, "the handshake"));
      const msg2 = await this.handshakeBody(r1, "the handshake");
      let msg3: Bytes;
      try {
        msg3 = await hs.message3(msg2); // §6.6, client msg2
      } catch (e) {
        if (e instanceof CryptoError && e.reason === "AUTHENTICATION") {
          this.event({ type: "wrongSecureKey" });
          throw new WrongSecureKeyError(`the handshake answer from ${this.url} failed to authenticate: this client's SecureKey differs from the server module's, or the answer was altered; the call was not sent`, 200, "NOT_RUN");
        }
        this.event({ type: "encryptionNotSupported" });
        throw new EncryptionNotSupportedError(`the handshake answer from ${this.url} is not a valid Parley handshake message (${(e as Error).message}); the call was not sent`, 200, "NOT_RUN");
      }
      const r3 = await this.handshakePost(msg3, sid);
      if (r3.status === 403) {
        await r3.body?.cancel().catch(() => {});
        // The token expired, msg3 reached another process than msg1, or the server restarted meanwhile.
        throw new RetryLater(`${this.url} rejected the second handshake message (HTTP 403)`);
      }
      await this.retryIfUnavailable(r3);
      if (r3.status !== 200) throw this.notSent(await this.statusFailure(r3, "the handshake"));
      const msg4 = await this.handshakeBody(r3, "the second handshake message");
      try {
        const keys = await hs.finish(msg4); // §6.6, client msg4
        const session = new Session(new SecureChannel(keys), keys.sidText);
        this.event({ type: "sessionOpen", sid: keys.sidText });
        return session;
      } catch (e) {
        throw new TransportError(`the last handshake message from ${this.url} failed to verify (altered on the way?); the call was not sent, and the next call starts a new handshake`, 200, "NOT_RUN", { cause: e });
      }
    } finally {
      hs.destroy();
    }
  }

  private async handshakePost(message: Bytes, sid: string): Promise<Response> {
    try {
      // §15.2: Parley-Session routes msg1 and msg3 to one process. Shared by every caller waiting
      // for this handshake: no caller's abort cancels it; it has its own time limit.
      return await this.post(HANDSHAKE_TYPE, message, sid, AbortSignal.timeout(this.handshakeTimeout()));
    } catch (e) {
      const f = e as SendFailure;
      if (f.kind === "hopeless") throw new TransportError(`cannot reach ${this.url} for the handshake: ${f.message}; the call was not sent, so it did not run`, 0, "NOT_RUN", { cause: f.cause });
      // Handshake messages run nothing: every other failure is worth another attempt.
      throw new RetryLater(`cannot reach ${this.url} for the handshake (${f.message})`);
    }
  }

  /** §15.5, §15.7: a stopping server, or a proxy with no server behind it: try again later. */
  private async retryIfUnavailable(response: Response): Promise<void> {
    const status = response.status;
    if (status === 502 || status === 503 || status === 504) {
      await response.body?.cancel().catch(() => {});
      const draining = status === 503 && response.headers.get(DRAINING_HEADER) !== null;
      throw new RetryLater(`${this.url} answered the handshake with HTTP ${status}${draining ? " (Parley-Draining: it is stopping)" : ""}`);
    }
  }

  private notSent(e: TransportError): TransportError {
    return new TransportError(e.message.replace(" (whether it ran is unknown)", "") + "; the call was not sent", e.httpStatus, "NOT_RUN");
  }

  /** A 200 with the handshake content type and a short body; anything else is no handshake answer (§9). */
  private async handshakeBody(response: Response, what: string): Promise<Bytes> {
    const type = response.headers.get("Content-Type");
    if (response.status !== 200 || !hasMediaType(type, HANDSHAKE_TYPE)) {
      await response.body?.cancel().catch(() => {});
      this.event({ type: "encryptionNotSupported" });
      throw new EncryptionNotSupportedError(`${this.url} did not answer ${what} as a Parley module that encrypts (HTTP ${response.status}, content type ${type === null ? "none" : clean(type, 80)}); nothing was sent in clear and the call was not sent`, response.status, "NOT_RUN");
    }
    try {
      return await readBody(response, MAX_HANDSHAKE_ANSWER);
    } catch (e) {
      if (e instanceof RangeError) {
        this.event({ type: "encryptionNotSupported" });
        throw new EncryptionNotSupportedError(`${this.url} answered ${what} with a body too long for a handshake message; the call was not sent`, 200, "NOT_RUN");
      }
      throw new RetryLater(`reading the handshake answer from ${this.url} failed (${(e as Error).message})`);
    }
  }
}

function checkMs(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be 0 (no limit) or a positive number of milliseconds, was ${ms}`);
  return ms;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A JSON-RPC 2.0 request (with `id`) or notification (without). */
function envelope(method: string, params: Params | undefined, id?: number): string {
  if (typeof method !== "string" || method.length === 0) throw new TypeError("a method name must be a non-empty string");
  if (params !== undefined && params !== null && typeof params !== "object") {
    throw new TypeError(`params of ${method} must be an object (by name) or an array (by position)`);
  }
  const request: Record<string, unknown> = { jsonrpc: "2.0" };
  if (id !== undefined) request.id = id;
  request.method = method;
  if (params !== undefined && params !== null) request.params = params;
  return JSON.stringify(request);
}

function remoteError(e: Record<string, unknown>): RemoteError {
  const code = typeof e.code === "number" ? e.code : -32603;
  return new RemoteError(code, typeof e.message === "string" ? e.message : "error", e.data);
}

function readResponse(text: string, id: number, url: string, method: string): unknown {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    throw new TransportError(`invalid JSON-RPC answer from ${url} to the call of ${method}: the body is not JSON`, 200, "UNKNOWN");
  }
  if (!isObject(r) || r.jsonrpc !== "2.0") {
    throw new TransportError(`invalid JSON-RPC answer from ${url} to the call of ${method}: not a JSON-RPC 2.0 response`, 200, "UNKNOWN");
  }
  if (isObject(r.error)) throw remoteError(r.error);
  if (r.id !== id) throw new TransportError(`invalid JSON-RPC answer from ${url} to the call of ${method}: the answer to another id`, 200, "UNKNOWN");
  if (!("result" in r)) throw new TransportError(`invalid JSON-RPC answer from ${url} to the call of ${method}: no result`, 200, "UNKNOWN");
  return r.result;
}
