// Builds the library and the console page (docs/JS.md "Building"):
//   dist/parley.min.js        the library: one minified ES module, no dependencies
//   dist/types/               TypeScript declarations
//   dist/console/             the console page (index.html, console.js, console.css)
// With --update-console, also copies dist/console/console.js into rpc-server's resources, where the
// server serves it from (the copy is committed, so building rpc-server needs no Node; the unit test
// build.test.mjs fails when the committed copy differs from a fresh build). index.html and
// console.css need no build: rpc-server's jar takes them from console/ itself.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
export const CONSOLE_RESOURCES = join(root, "../../rpc-server/src/main/resources/dev/parley/server/console");
export const CONSOLE_BUILT_FILES = ["console.js"];

rmSync(dist, { recursive: true, force: true });
const common = { bundle: true, format: "esm", target: "es2022", minify: true, legalComments: "none", charset: "utf8", logLevel: "warning" };
await build({ ...common, entryPoints: [join(root, "src/index.ts")], outfile: join(dist, "parley.min.js") });
await build({ ...common, minify: false, entryPoints: [join(root, "src/testing.ts")], outfile: join(dist, "testing.js") });
await build({ ...common, entryPoints: [join(root, "console/console.ts")], outfile: join(dist, "console/console.js") });
copyFileSync(join(root, "console/index.html"), join(dist, "console/index.html"));
copyFileSync(join(root, "console/console.css"), join(dist, "console/console.css"));
const tsc = join(root, "node_modules/typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" }); // declarations, and type checks src/
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.console.json")], { stdio: "inherit" }); // type checks console/

const lib = readFileSync(join(dist, "parley.min.js"));
const gz = gzipSync(lib, { level: 9 }).length;
writeFileSync(join(dist, "size.json"), JSON.stringify({ minified: lib.length, gzipped: gz }) + "\n");
console.log(`dist/parley.min.js: ${lib.length} bytes minified, ${gz} bytes gzipped (gzip -9)`);

if (process.argv.includes("--update-console")) {
  mkdirSync(CONSOLE_RESOURCES, { recursive: true });
  for (const f of CONSOLE_BUILT_FILES) copyFileSync(join(dist, "console", f), join(CONSOLE_RESOURCES, f));
  console.log(`copied the console page to ${CONSOLE_RESOURCES}`);
}
