package dev.parley.bench.load;

/**
 * One contender's client side, shared by all caller threads of a cell (one ClientModule, one
 * OkHttpClient or one ManagedChannel, as an application would hold it). Thread-safe.
 */
interface Endpoint extends AutoCloseable {
  int add(int a, int b) throws Exception;

  byte[] echo(byte[] data) throws Exception;

  @Override
  void close();
}
