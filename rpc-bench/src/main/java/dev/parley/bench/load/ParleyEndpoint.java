package dev.parley.bench.load;

import dev.parley.client.ClientModule;

/** A Parley contender's client: one ClientModule and the generated stub over it. */
final class ParleyEndpoint implements Endpoint {
  private final ClientModule module;
  private final BenchApiClient stub;

  ParleyEndpoint(ClientModule module) {
    this.module = module;
    this.stub = new BenchApiClient(module);
  }

  @Override
  public int add(int a, int b) {
    return stub.add(a, b);
  }

  @Override
  public byte[] echo(byte[] data) {
    return stub.echo(data);
  }

  @Override
  public void close() {
    module.close();
  }
}
