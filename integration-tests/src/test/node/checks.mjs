// The check runner of the Node test scripts (interop.mjs, openrpc.mjs): each check prints
// "ok <name>" or "FAIL <name>: <error>", and finish() prints the "summary {...}" line the Java tests
// read and exits 1 if any check failed.
let failures = 0;

export async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

/** Prints the summary: the script's own counts, then the failures; exits 1 on any failure. */
export function finish(counts) {
  console.log(`summary ${JSON.stringify({ ...counts, failures })}`);
  process.exit(failures === 0 ? 0 : 1);
}
