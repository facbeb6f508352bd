package dev.parley.it.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteFunction;

/**
 * The functions the Node interop clients call: the JSON-RPC 2.0 specification's example methods
 * (its {@code sum} is a rest parameter: {@code sum(1, 2, 4)} by position) plus an application error
 * and a throwing function.
 */
public interface InteropService {
  @RemoteFunction
  int subtract(int minuend, int subtrahend);

  @RemoteFunction
  int sum(int... numbers);

  @RemoteFunction(idempotent = true)
  String echo(String text);

  @RemoteFunction(name = "notify_hello")
  void notifyHello(int value);

  @RemoteFunction(name = "get_data", idempotent = true)
  JsonNode getData();

  /** Always fails with application code 4001 and {@code data: {"reason": reason}}. */
  @RemoteFunction
  int fail(String reason);

  @RemoteFunction
  int divide(int a, int b);
}
