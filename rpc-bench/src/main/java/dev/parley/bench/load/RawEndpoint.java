package dev.parley.bench.load;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** The raw contender's client: OkHttp + Jackson straight against {@link RawEchoHandler}. */
final class RawEndpoint implements Endpoint {
  private static final MediaType JSON = MediaType.get("application/json");
  private final OkHttpClient client;
  private final String addUrl;
  private final String echoUrl;

  RawEndpoint(OkHttpClient client, String baseUrl) {
    this.client = client;
    this.addUrl = baseUrl + "/raw/add";
    this.echoUrl = baseUrl + "/raw/echo";
  }

  private <T> T post(String url, Object body, Class<T> type) throws IOException {
    Request request = new Request.Builder().url(url)
        .post(RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON)).build();
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("HTTP " + response.code());
      }
      ResponseBody answer = response.body();
      return Json.MAPPER.readValue(answer.byteStream(), type);
    }
  }

  @Override
  public int add(int a, int b) throws IOException {
    return post(addUrl, new Json.AddRequest(a, b), Json.AddResult.class).result();
  }

  @Override
  public byte[] echo(byte[] data) throws IOException {
    return post(echoUrl, new Json.Bytes(data), Json.Bytes.class).data();
  }

  @Override
  public void close() {
    client.connectionPool().evictAll();
  }
}
