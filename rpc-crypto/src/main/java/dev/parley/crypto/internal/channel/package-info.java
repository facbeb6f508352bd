/**
 * Internals of {@link dev.parley.crypto.ClientChannel} and {@link dev.parley.crypto.ServerChannel}:
 * frame layouts, per-direction counters and epoch keys, chunked sealing and opening, the
 * unknown-session reject MAC (PROTOCOL.md §10–§13). Anything in this package can be changed or
 * removed at any time; it is not API.
 */
package dev.parley.crypto.internal.channel;
