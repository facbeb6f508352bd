package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.Compression;
import dev.parley.client.internal.Bodies;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import okio.Buffer;

/** The state of one logical call of a {@link SealedExchange} across its attempts. */
final class SealedCall {
  final boolean sync;
  /** The JSON-RPC bytes: emptied once sealed, refilled if the call falls back to plain JSON-RPC. */
  final Buffer json;
  /** The sealed plaintext, kept for a re-seal (repost, resend) until an answer arrives. */
  private byte[] plaintext;
  final ClientCall outgoing;
  final String function;
  final String what;
  final boolean expectsAnswer;
  final CallBudget budget;
  final CompletableFuture<Answer> result = new CompletableFuture<>();
  final Consumer<okhttp3.Call> current = this::current;
  volatile okhttp3.Call call;
  boolean reposted;
  /** A login call: sealed on this session only, and never waits for a login itself. */
  ClientSession pinned;
  /** The session this call last checked with a ping: it is not pinged again for this call. */
  ClientSession probed;
  boolean allVerified = true;

  SealedCall(boolean sync, Buffer json, ClientCall call, String what, boolean expectsAnswer) {
    this.sync = sync;
    this.json = json;
    this.outgoing = call;
    this.function = call.function();
    this.what = what;
    this.budget = call.newBudget();
    this.expectsAnswer = expectsAnswer;
    result.whenComplete((r, e) -> {
      okhttp3.Call c = this.call;
      if (result.isCancelled() && c != null) {
        c.cancel();
      }
    });
  }

  private void current(okhttp3.Call c) {
    call = c;
    if (result.isCancelled()) {
      c.cancel();
    }
  }

  /** The plaintext to seal, made from (and emptying) the JSON-RPC bytes on the first attempt. */
  byte[] plaintext(Compression compression) {
    if (plaintext == null) {
      plaintext = Bodies.sealedPlaintext(json, compression);
    }
    return plaintext;
  }

  /** An answer arrived: no attempt follows, so the plaintext need not stay reachable. */
  void answered() {
    plaintext = null;
  }

  /** The call goes plain after all (a new handshake met a module that no longer encrypts). */
  CompletableFuture<Answer> plain(PlainExchange plainExchange) {
    if (plaintext != null) {
      Bodies.restoreJson(plaintext, json);
      plaintext = null;
    }
    CompletableFuture<Answer> sent = plainExchange.send(json, outgoing, what, expectsAnswer, sync);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        sent.cancel(false);
      }
    });
    return sent;
  }

  /** The outcome of this call when an attempt was proven not run: unknown if an earlier one may have run. */
  CallOutcome notRun() {
    return Resend.notRun(budget);
  }
}
