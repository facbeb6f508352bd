// The live scenarios in a real headless Chromium (Debian's, PARLEY_CHROMIUM; no browser is ever
// downloaded), in a page of the Java server's own origin, and the console page driven like a user
// would, with a screenshot saved to PARLEY_ARTIFACTS/console.png.
//
// The scenario page and the library are answered by Playwright's request interception under
// /__jstest/ on the server's origin, so that the page is a secure context (http://127.0.0.1) whose
// calls really go to the Java server.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import * as lib from "../../dist/parley.min.js";
import { scenarios } from "./scenarios.mjs";

const base = process.env.PARLEY_BASE_URL;
const secureKey = process.env.PARLEY_SECURE_KEY;
const executablePath = process.env.PARLEY_CHROMIUM ?? "/usr/bin/chromium";
const artifacts = process.env.PARLEY_ARTIFACTS;
const here = fileURLToPath(new URL(".", import.meta.url));

if (!base) {
  test("the browser scenarios need a Java server: run them from mvn verify (integration-tests, JsClientTest)", { skip: true }, () => {});
} else if (!existsSync(executablePath)) {
  test(`the browser scenarios need Debian's Chromium at ${executablePath} (apt-get install chromium; .ci/run does)`, { skip: true }, () => {});
} else {
  let browser;
  let page;
  const served = {
    "/__jstest/index.html": ["text/html", "<!doctype html><title>parley scenarios</title>"],
    "/__jstest/parley.min.js": ["text/javascript", readFileSync(join(here, "../../dist/parley.min.js"))],
    "/__jstest/scenarios.mjs": ["text/javascript", readFileSync(join(here, "scenarios.mjs"))],
  };
  // The names, read in Node from the same module the page runs (making the clients sends nothing).
  const names = scenarios(lib, { base, secureKey, runtime: "chromium" }).map((s) => s.name);

  before(async () => {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Playwright gives every launch a fresh, empty profile directory of its own.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage();
    await page.route(`${base}/__jstest/**`, (route) => {
      const [type, body] = served[new URL(route.request().url()).pathname] ?? ["text/plain", "not found"];
      return route.fulfill({ status: type === "text/plain" ? 404 : 200, contentType: type, body });
    });
    await page.goto(`${base}/__jstest/index.html`);
    assert.equal(await page.evaluate(() => window.isSecureContext), true, "the page is a secure context");
    await page.evaluate(async ({ base, secureKey }) => {
      const lib = await import("/__jstest/parley.min.js");
      const { scenarios } = await import("/__jstest/scenarios.mjs");
      window.__scenarios = new Map(scenarios(lib, { base, secureKey, runtime: "chromium" }).map((s) => [s.name, s.run]));
    }, { base, secureKey });
  });

  after(async () => {
    await browser?.close();
  });

  test("Chromium offers WebCrypto X25519 and CompressionStream('deflate-raw')", async () => {
    const support = await page.evaluate(async () => {
      const pair = await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
      const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
      new CompressionStream("deflate-raw");
      return { x25519: raw.byteLength, userAgent: navigator.userAgent };
    });
    assert.equal(support.x25519, 32, support.userAgent);
  });

  for (const name of names) {
    test(name, async () => {
      const error = await page.evaluate(async (n) => {
        try {
          await window.__scenarios.get(n)();
          return null;
        } catch (e) {
          return String(e && e.stack ? e.stack : e);
        }
      }, name);
      assert.equal(error, null);
    });
  }

  test("the console page lists the encrypted module's functions, shows their schemas and calls one sealed", async () => {
    const console = await browser.newPage({ viewport: { width: 1100, height: 1300 } });
    const sent = [];
    console.on("request", (r) => sent.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postDataBuffer() }));
    await console.goto(`${base}/console`);
    assert.equal(new URL(console.url()).pathname, "/console/", "redirected to the page");
    await console.waitForFunction(() => document.querySelectorAll("#module option").length > 0);
    await console.selectOption("#module", "/secure-calc");
    await console.fill("#secureKey", secureKey);
    await console.click("#open");
    await console.waitForSelector("article.function[data-function='add']");
    assert.equal(await console.inputValue("#secureKey"), "", "the key field is cleared once read");
    const functions = await console.$$eval("article.function", (cards) => cards.map((c) => c.dataset.function).sort());
    assert.deepEqual(functions, ["accumulate", "add", "divide", "sum", "table", "total"]);
    const schema = await console.$eval("article[data-function='add'] tbody", (t) => t.textContent);
    assert.match(schema, /a.*yes.*"type":"integer"/s);

    await console.fill("article[data-function='add'] .input", '{"a": 20, "b": 22}');
    await console.click("article[data-function='add'] .call");
    await console.waitForFunction(() => document.querySelector("article[data-function='add'] .output").classList.contains("ok"));
    assert.match(await console.textContent("article[data-function='add'] .output"), /^42\n\(sealed\)/);

    await console.fill("article[data-function='divide'] .input", '{"a": 1, "b": 0}');
    await console.click("article[data-function='divide'] .call");
    await console.waitForFunction(() => document.querySelector("article[data-function='divide'] .output").classList.contains("error"));
    assert.match(await console.textContent("article[data-function='divide'] .output"), /RemoteError 1001: division by zero/);

    await console.fill("article[data-function='table'] .input", '{"n": 3}');
    await console.click("article[data-function='table'] .call");
    await console.waitForFunction(() => document.querySelector("article[data-function='table'] .output").classList.contains("ok"));
    if (artifacts) await console.screenshot({ path: join(artifacts, "console.png"), fullPage: true });

    const keyBytes = Buffer.from(secureKey, "hex");
    for (const r of sent) {
      const everything = Buffer.concat([Buffer.from(r.url + r.headers), r.body ?? Buffer.alloc(0)]);
      assert.equal(everything.includes(secureKey) || everything.includes(keyBytes), false, `the SecureKey travelled in ${r.url}`);
    }
    assert.ok(sent.some((r) => r.headers.includes("application/vnd.parley.sealed")), "calls were sealed");
    const stored = await console.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
    assert.equal(stored, 0, "nothing stored");
    await console.close();
  });

  test("the console page calls a plain module without a key", async () => {
    const console = await browser.newPage();
    await console.goto(`${base}/console/`);
    await console.waitForFunction(() => document.querySelectorAll("#module option").length > 0);
    await console.selectOption("#module", "/calc");
    assert.equal(await console.isHidden("#keyRow"), true, "no key field for a plain module");
    await console.click("#open");
    await console.fill("article[data-function='total'] .input", '{"numbers": [1, 2, 3, 4]}');
    await console.click("article[data-function='total'] .call");
    await console.waitForFunction(() => document.querySelector("article[data-function='total'] .output").classList.contains("ok"));
    assert.equal(await console.textContent("article[data-function='total'] .output"), "10");
    await console.close();
  });
}

