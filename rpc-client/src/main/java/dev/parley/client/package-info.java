/**
 * Parley's client: {@link dev.parley.client.ClientModule} calls the functions of one remote module
 * over HTTP (OkHttp), in plain JSON-RPC 2.0 or through the secure channel (handshake, sealed calls,
 * transparent re-handshake and repost). Generated stubs call through it.
 *
 * <pre>{@code
 * try (ClientModule calc = ClientModule.builder("https://api.example.com/calc")
 *     .secureKeyFile(Path.of("/run/secrets/calc.key"))
 *     .build()) {
 *   int sum = calc.call("add", Map.of("a", 1, "b", 2), Integer.class);
 * }
 * }</pre>
 *
 * <p>Failures are {@link dev.parley.RemoteException} (the function answered an error) or
 * {@link dev.parley.TransportException}; encryption adds {@link dev.parley.client.WrongSecureKeyException},
 * {@link dev.parley.client.EncryptionRequiredException},
 * {@link dev.parley.client.EncryptionNotSupportedException},
 * {@link dev.parley.client.SessionLostException} and, with an auto-login,
 * {@link dev.parley.client.LoginFailedException}. {@link dev.parley.client.ClientListener} receives
 * session, connection, ping and login events. See docs/CLIENT.md.
 */
package dev.parley.client;
