// The live scenarios under Node's test runner, against the Java server whose address the
// integration test passes in PARLEY_BASE_URL (with the module's SecureKey in PARLEY_SECURE_KEY).
import { test } from "node:test";
import * as lib from "../../dist/parley.min.js";
import { scenarios } from "./scenarios.mjs";

const base = process.env.PARLEY_BASE_URL;
if (!base) {
  test("the live scenarios need a Java server: run them from mvn verify (integration-tests, JsClientTest)", { skip: true }, () => {});
} else {
  for (const s of scenarios(lib, { base, secureKey: process.env.PARLEY_SECURE_KEY, runtime: "node" })) {
    test(s.name, s.run);
  }
}
