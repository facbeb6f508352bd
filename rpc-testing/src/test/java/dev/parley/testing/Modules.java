package dev.parley.testing;

import dev.parley.server.ServerModule;

/** The module builders the tests serve. */
final class Modules {
  static final String COUNTER = "/counter";
  static final String ECHO = "/echo";

  private Modules() {}

  /** A new {@link Counter} module at {@link #COUNTER}. */
  static ServerModule.Builder counter() {
    return ServerModule.builder(COUNTER).functions(new CounterFunctions(new CounterImpl()));
  }

  /** A new {@link Echo} module at {@link #ECHO}. */
  static ServerModule.Builder echo() {
    return ServerModule.builder(ECHO).functions(new EchoFunctions(new EchoImpl()));
  }
}
