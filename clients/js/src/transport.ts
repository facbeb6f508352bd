// One call's time budget across its attempts, and fetch failures sorted by what they prove
// (docs/CLIENT.md "Outcomes and re-sends"; the Java client's CallBudget, Resend and Transport).
import { type Bytes, readAll } from "./bytes.js";
import { CallAbortedError, type CallOutcome, RpcTimeoutError, TransportError } from "./errors.js";

const FIRST_WAIT_MS = 50;
const MAX_WAIT_MS = 1000;
/** With timeoutMs 0 (no limit), a call still stops waiting for an unreachable server after this long. */
const UNLIMITED_RETRY_WINDOW_MS = 60_000;

/**
 * One call's budget: its deadline, an AbortSignal that fires at the deadline or when the caller's
 * own signal aborts, and whether an attempt may have run. Call {@link dispose} when the call ends.
 */
export class Budget {
  readonly signal: AbortSignal;
  /** True once an attempt may have reached a server without a verdict: the call may have run. */
  maybeRan = false;
  private readonly controller = new AbortController();
  private readonly start = Date.now();
  private readonly windowMs: number;
  private readonly limited: boolean;
  private readonly timer?: ReturnType<typeof setTimeout>;
  private readonly onAbort?: () => void;
  private readonly userSignal?: AbortSignal;
  private timedOut = false;
  private waits = 0;

  /** `wait`: false when the client does not wait for a server (`waitForServer: false`). */
  constructor(timeoutMs: number, userSignal?: AbortSignal, private readonly wait = true) {
    this.limited = timeoutMs > 0;
    this.windowMs = this.limited ? timeoutMs : UNLIMITED_RETRY_WINDOW_MS;
    this.signal = this.controller.signal;
    if (this.limited) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
    }
    if (userSignal) {
      this.userSignal = userSignal;
      this.onAbort = () => this.controller.abort();
      if (userSignal.aborted) this.controller.abort();
      else userSignal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  /** The call's budget ran out (rather than the caller aborting). */
  get timedOutNow(): boolean {
    return this.timedOut;
  }

  /** Describes the budget for messages. */
  describe(): string {
    return this.limited ? `the call timeout (${this.windowMs} ms)` : `the ${UNLIMITED_RETRY_WINDOW_MS} ms a call with no timeout waits for a server`;
  }

  /** The outcome of a call whose last attempt was proven not run: unknown if an earlier one may have run. */
  notRun(): CallOutcome {
    return this.maybeRan ? "UNKNOWN" : "NOT_RUN";
  }

  /** The error for a call that ended because its signal fired, with the given outcome. */
  stopped(what: string, outcome: CallOutcome): TransportError {
    const verdict = outcome === "NOT_RUN" ? "it did not run" : "whether it ran is unknown";
    if (this.timedOut) return new RpcTimeoutError(`${what} timed out (${this.describe()}); ${verdict}`, 0, outcome);
    return new CallAbortedError(`${what} was aborted by the caller; ${verdict}`, 0, outcome, { cause: this.userSignal?.reason });
  }

  /**
   * Waits before the next attempt: 50 ms doubling to 1 s, ±20 % jitter. Rejects, with the outcome
   * {@link notRun}, when the budget leaves no room for it or the signal fires, and at once when the
   * client does not wait for the server.
   */
  async later(what: string, why: string): Promise<void> {
    if (!this.wait) {
      const verdict = this.maybeRan ? "an earlier attempt may have run, so whether it ran is unknown" : "it did not run";
      throw new TransportError(`${what}: ${why}; ${verdict} (this client does not wait for the server: waitForServer is off)`, 0, this.notRun());
    }
    const base = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(this.waits, 10));
    const wait = Math.max(1, Math.round(base * (0.8 + 0.4 * Math.random())));
    if (this.signal.aborted) throw this.stopped(what, this.notRun());
    if (Date.now() + wait - this.start >= this.windowMs) {
      const verdict = this.maybeRan ? "an earlier attempt may have run, so whether it ran is unknown" : "it did not run";
      throw new RpcTimeoutError(`${what} gave up within ${this.describe()}: ${why}; ${verdict}`, 0, this.notRun());
    }
    this.waits++;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.stopped(what, this.notRun()));
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener("abort", onAbort);
        resolve();
      }, wait);
      this.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Waits for `p` unless the budget's signal fires first (the work behind `p` goes on for others). */
  race<T>(p: Promise<T>, what: string, outcome: () => CallOutcome): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.stopped(what, outcome()));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.stopped(what, outcome()));
      this.signal.addEventListener("abort", onAbort, { once: true });
      p.then(
        (v) => {
          this.signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e) => {
          this.signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort) this.userSignal?.removeEventListener("abort", this.onAbort);
  }
}

/**
 * What a failed fetch proves (docs/JS.md "What a failed call can know"):
 * - `refused`: the connection could not be made (Node reports ECONNREFUSED and the like); nothing
 *   was sent. Browsers never say this: their fetch rejects with a bare `TypeError`.
 * - `hopeless`: nothing was sent and trying again will not help (unknown host, bad certificate, a
 *   connect timeout), again only where the platform says so.
 * - `network`: anything else: the request may have been written, so the outcome is unknown.
 * - `stopped`: the call's own signal fired (timeout or the caller's abort).
 */
export type FailureKind = "refused" | "hopeless" | "network" | "stopped";

const REFUSED = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const HOPELESS = new Set(["ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN"]);

/** A fetch that failed without an HTTP answer. */
export class SendFailure extends Error {
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, cause: unknown) {
    super(message, { cause });
    this.kind = kind;
  }
}

function codeOf(e: unknown): string | undefined {
  for (let c: any = e, depth = 0; c && depth < 4; c = c.cause, depth++) {
    if (typeof c.code === "string") return c.code;
    if (Array.isArray(c.errors)) {
      const inner = c.errors.map(codeOf).find((x: string | undefined) => x);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Sorts a fetch rejection (§ "What a failed call can know" in docs/JS.md). */
export function classify(e: unknown, signal: AbortSignal): SendFailure {
  if (signal.aborted) return new SendFailure("stopped", "stopped", e);
  const code = codeOf(e);
  const detail = code ?? (e instanceof Error ? e.message : String(e));
  if (code && REFUSED.has(code)) return new SendFailure("refused", detail, e);
  if (code && HOPELESS.has(code)) return new SendFailure("hopeless", detail, e);
  return new SendFailure("network", detail, e);
}

/** Reads a body of at most `max` bytes; longer bodies are refused without being read on. */
export async function readBody(response: Response, max: number): Promise<Bytes> {
  const declared = Number(response.headers.get("content-length") ?? "-1");
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new RangeError(`the answer is larger than ${max} bytes`);
  }
  if (!response.body) return new Uint8Array(0);
  return readAll(response.body, max, `the answer is larger than ${max} bytes`);
}

/** True when a Content-Type header names the media type `type` (compared case-insensitively, parameters ignored). */
export function hasMediaType(header: string | null, type: string): boolean {
  return !!header && header.split(";")[0].trim().toLowerCase() === type;
}

/** Collapses whitespace and replaces control characters, so a body cannot forge log lines. */
export function clean(text: string, max: number): string {
  const s = text.replace(/\s+/g, " ").trim().replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, "?");
  return s.length > max ? s.slice(0, max) + "…" : s;
}
