/**
 * Micrometer metrics for Parley: {@link dev.parley.micrometer.ParleyServerMetrics} for server modules
 * (calls, latency, errors by code, handshakes, refused handshakes and frames by reason, live sessions)
 * and {@link dev.parley.micrometer.ParleyClientMetrics} for client modules. Add rpc-micrometer next to
 * rpc-server, rpc-client or both; it brings neither of them itself. See docs/OPERATIONS.md "Metrics".
 *
 * <pre>{@code
 * ParleyServerMetrics metrics = ParleyServerMetrics.of(registry);
 * ServerModule calc = metrics.instrument(ServerModule.builder("/calc").functions(functions)).build();
 * }</pre>
 */
package dev.parley.micrometer;
