/**
 * Parley's JSON-RPC 2.0 codec: reading and writing requests, notifications, batches and responses
 * with Jackson's streaming API. Not API: anything in this package can change or disappear in any
 * release.
 */
package dev.parley.internal.jsonrpc;
