package dev.parley.bench.load;

/** The server side of {@link BenchApi}. */
final class BenchApiImpl implements BenchApi {
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public byte[] echo(byte[] data) {
    return data;
  }
}
