/**
 * Parley's server: {@link dev.parley.server.RpcServer} runs Jetty 12 and hosts
 * {@link dev.parley.server.ServerModule}s, each a Jetty {@code Handler} serving a group of remote
 * functions at one path, plain (JSON-RPC 2.0) or encrypted (the Parley secure channel, with the
 * handshake, sessions, expiry and rejects handled by the module).
 *
 * <pre>{@code
 * try (RpcServer server = RpcServer.builder()
 *     .port(8080)
 *     .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(new CalculatorImpl())).build())
 *     .build()
 *     .start()) {
 *   server.join();
 * }
 * }</pre>
 *
 * <p>Two helpers serve functions: {@link dev.parley.server.DelayedCalls} parks calls that server code
 * answers later (server push by long poll), and {@link dev.parley.server.Login} keeps a session's
 * login and refuses sessions without one. Everything else in this package is package-private. See
 * docs/SERVER.md and docs/ERRORS.md.
 */
package dev.parley.server;
