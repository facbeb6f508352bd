// Reads the golden vectors of docs/PROTOCOL.md Appendix A from the document itself: every ```text
// block of the appendix, `key = value` lines, named by its `# vector: NAME` line (the unnamed block
// of A.4 is the session the frame vectors are chained on, named "frame-session" here).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROTOCOL_MD = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/PROTOCOL.md");

export function readVectors(path = PROTOCOL_MD) {
  const text = readFileSync(path, "utf8");
  const start = text.indexOf("## Appendix A");
  const end = text.indexOf("## Appendix B");
  if (start < 0 || end < start) throw new Error(`no Appendix A in ${path}`);
  const appendix = text.slice(start, end);
  const vectors = new Map();
  for (const block of appendix.matchAll(/```text\n([\s\S]*?)```/g)) {
    const values = {};
    let name = "frame-session";
    for (const line of block[1].split("\n")) {
      const named = /^# vector: (\S+)/.exec(line);
      if (named) name = named[1];
      if (line.startsWith("#")) continue;
      const kv = /^(\S+)\s*= ?(.*)$/.exec(line);
      if (kv) values[kv[1]] = kv[2].trim();
    }
    if (vectors.has(name)) throw new Error(`vector ${name} appears twice`);
    vectors.set(name, values);
  }
  return vectors;
}
