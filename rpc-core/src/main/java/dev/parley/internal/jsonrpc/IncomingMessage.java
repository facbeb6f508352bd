package dev.parley.internal.jsonrpc;

/**
 * One element of a request body as the server reads it: a well-formed {@link ServerRequest} (a call
 * or a notification) or an {@link InvalidRequest} that is answered with -32600.
 */
public sealed interface IncomingMessage permits ServerRequest, InvalidRequest {}
