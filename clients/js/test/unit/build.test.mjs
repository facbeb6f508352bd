// What the build promises: a small library with no imports, and a console script in rpc-server's
// resources that is exactly the one this package builds (so the committed copy cannot drift). The
// page and its style sheet are not copied by hand: rpc-server's jar takes them from console/.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const resources = join(root, "../../rpc-server/src/main/resources/dev/parley/server/console");

test("the minified library is at most 15 KB gzipped", () => {
  const gzipped = gzipSync(readFileSync(join(root, "dist/parley.min.js")), { level: 9 }).length;
  assert.ok(gzipped <= 15 * 1024, `${gzipped} bytes gzipped`);
});

test("the library imports nothing: zero runtime dependencies", () => {
  const lib = readFileSync(join(root, "dist/parley.min.js"), "utf8");
  assert.doesNotMatch(lib, /\bimport\s*["'{*(]|\bfrom\s*["']|\brequire\(/);
});

test("rpc-server's console.js is this package's build of it (npm run build -- --update-console refreshes it)", () => {
  assert.ok(readFileSync(join(root, "dist/console/console.js")).equals(readFileSync(join(resources, "console.js"))),
    "rpc-server/src/main/resources/dev/parley/server/console/console.js differs from clients/js/dist/console/console.js");
});

for (const file of ["index.html", "console.css"]) {
  test(`rpc-server keeps no copy of the console's ${file}: its build takes console/${file}`, () => {
    assert.ok(!existsSync(join(resources, file)), `remove rpc-server/src/main/resources/dev/parley/server/console/${file}`);
  });
}
