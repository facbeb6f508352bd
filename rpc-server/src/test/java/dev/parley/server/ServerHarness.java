package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A real server on 127.0.0.1:0 and a real OkHttp client that sends raw bodies to it. */
final class ServerHarness implements AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");
  static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  /** What came back: status, headers of interest and the body text. */
  record Answer(int status, String contentType, String session, String allow, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  final RpcServer server;
  final ServerModule module;

  ServerHarness(ServerModule module) {
    this.module = module;
    this.server = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
  }

  String url() {
    return server.uri() + module.path();
  }

  Answer post(String json) {
    return send(new Request.Builder().url(url()).post(RequestBody.create(json, JSON)).build());
  }

  Answer post(String json, Map<String, String> headers) {
    Request.Builder request = new Request.Builder().url(url()).post(RequestBody.create(json, JSON));
    headers.forEach(request::header);
    return send(request.build());
  }

  static Answer send(Request request) {
    try (Response response = HTTP.newCall(request).execute()) {
      return new Answer(response.code(), response.header("Content-Type"), response.header(ServerModule.SESSION_HEADER),
          response.header("Allow"), response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
