/**
 * Test support for Parley: serve modules on a real Jetty and call them with real client modules
 * from JUnit 5 tests, with manual clocks instead of sleeps, fresh test keys, and an in-memory
 * session for unit tests of functions. Add {@code dev.parley:rpc-testing} with test scope.
 *
 * <ul>
 *   <li>{@link dev.parley.testing.ParleyServer}: the JUnit extension; starts an {@code RpcServer}
 *       on 127.0.0.1 and a free port with the given modules (optionally encrypted with a generated
 *       SecureKey), injects matching {@code ClientModule}s and generated stubs
 *       ({@link dev.parley.testing.ModulePath} names the module when there are several);
 *   <li>{@link dev.parley.testing.ManualTicker} and {@link dev.parley.testing.ManualClock}: the
 *       clocks of session expiry and of dates, advanced by the test;
 *   <li>{@link dev.parley.testing.TestKey}: a random SecureKey, as a key, hex text and a 0600 file;
 *   <li>{@link dev.parley.testing.TestSession}: a {@link dev.parley.Session} in memory.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParleyServer server = ParleyServer.builder()
 *     .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(new CalculatorImpl())))
 *     .encrypted()
 *     .build();
 *
 * @Test void adds(CalculatorClient calc) {
 *   assertEquals(3, calc.add(1, 2));
 * }
 * }</pre>
 *
 * <p>See docs/TESTING.md.
 */
package dev.parley.testing;
