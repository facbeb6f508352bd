package dev.parley.testing;

/** The server side of {@link Echo}. */
public final class EchoImpl implements Echo {
  @Override
  public String echo(String text) {
    return text;
  }
}
