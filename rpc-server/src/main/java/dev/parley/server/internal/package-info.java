/**
 * NOT API: rpc-server's hooks for Parley's own test kit (rpc-testing) and benchmarks (rpc-bench).
 * Nothing here is stable; applications must not use it.
 */
package dev.parley.server.internal;
