package dev.parley.bench.load;

import dev.parley.RemoteFunction;

/**
 * The service every contender of the load comparison serves: add two ints, echo a byte payload
 * (JSON carries it as base64). Parley's processor generates {@code BenchApiClient} and
 * {@code BenchApiFunctions} from it.
 */
public interface BenchApi {
  /** Returns {@code a + b}. */
  @RemoteFunction
  int add(int a, int b);

  /** Returns {@code data} unchanged. */
  @RemoteFunction
  byte[] echo(byte[] data);
}
