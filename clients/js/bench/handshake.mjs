// The Node half of rpc-bench's JsHandshakeRatio (docs/BENCHMARKS.md "JavaScript client: handshake
// and first call"): for each line "N" read from stdin, runs N set-ups one after another, each a new
// ParleyClient whose first call runs the full handshake and then one sealed add(1, 2); for a line
// "plain N", N plain add(1, 2) calls on one client of the plain module. Prints "ns <total nanoseconds>".
// Usage: PARLEY_SECURE_KEY=<hex> node handshake.mjs <encrypted module URL> <plain module URL>
import { createInterface } from "node:readline";
import { ParleyClient, SecureKey } from "../dist/parley.min.js";

const url = process.argv[2];
const plain = new ParleyClient(process.argv[3]);
const key = await SecureKey.parse(process.env.PARLEY_SECURE_KEY);

async function setUp() {
  const client = new ParleyClient(url, { secureKey: key });
  const sum = await client.call("add", { a: 1, b: 2 });
  if (sum !== 3) throw new Error(`add(1, 2) answered ${sum}`);
  client.close();
}

console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const words = line.trim().split(" ");
  const n = Number(words[words.length - 1]);
  if (!Number.isInteger(n) || n <= 0) break;
  const start = process.hrtime.bigint();
  if (words[0] === "plain") {
    for (let i = 0; i < n; i++) if ((await plain.call("add", { a: 1, b: 2 })) !== 3) throw new Error("add(1, 2) failed");
  } else {
    for (let i = 0; i < n; i++) await setUp();
  }
  console.log(`ns ${process.hrtime.bigint() - start}`);
}
