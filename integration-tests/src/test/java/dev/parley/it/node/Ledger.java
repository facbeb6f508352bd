package dev.parley.it.node;

import dev.parley.RemoteFunction;

/** The remote API of the multi-process tests: one non-idempotent function that leaves a record. */
public interface Ledger {
  /** Not idempotent: appends {@code id} to the node's ledger file; a transfer that ran twice shows twice. */
  @RemoteFunction String transfer(String id);
}
