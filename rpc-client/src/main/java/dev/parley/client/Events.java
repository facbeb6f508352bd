package dev.parley.client;

import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a {@link ClientListener}, logging and swallowing whatever it throws. */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);
  static final Events NONE = new Events(new ClientListener() {});

  private final ClientListener listener;

  Events(ClientListener listener) {
    this.listener = listener;
  }

  private void fire(String event, Consumer<ClientListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException | Error e) {
      LOG.warn("ClientListener.{} threw; ignored", event, e);
    }
  }

  void sessionOpen(String sid) {
    fire("onSessionOpen", l -> l.onSessionOpen(sid));
  }

  void sessionExpired(String sid) {
    fire("onSessionExpired", l -> l.onSessionExpired(sid));
  }

  void wrongSecureKey() {
    fire("onWrongSecureKey", ClientListener::onWrongSecureKey);
  }

  void encryptionNotSupported() {
    fire("onEncryptionNotSupported", ClientListener::onEncryptionNotSupported);
  }

  void encryptionRequired() {
    fire("onEncryptionRequired", ClientListener::onEncryptionRequired);
  }

  void repost(String function) {
    fire("onRepost", l -> l.onRepost(function));
  }

  void connectionLost(IOException e) {
    fire("onConnectionLost", l -> l.onConnectionLost(e));
  }

  void ping(String sid) {
    fire("onPing", l -> l.onPing(sid));
  }

  void login(String sid) {
    fire("onLogin", l -> l.onLogin(sid));
  }

  void loginFailed(String sid, dev.parley.RpcException failure) {
    fire("onLoginFailed", l -> l.onLoginFailed(sid, failure));
  }
}
