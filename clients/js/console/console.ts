// The console page (docs/SERVER.md "The console page"): lists a module's functions from
// rpc.discover, shows their parameter schemas and calls them, plain or encrypted, with this
// package's client. The SecureKey typed into the page lives only in this page's memory (as the
// derived psk inside a SecureKey); it is never stored and never sent.
import { ParleyClient, RemoteError, SecureKey, TransportError } from "../src/index.js";

interface ModuleInfo {
  path: string;
  encrypts: boolean;
  forcesEncryption: boolean;
}

interface OpenRpcMethod {
  name: string;
  description?: string;
  params?: { name: string; required?: boolean; schema?: unknown }[];
  result?: { schema?: unknown };
  "x-idempotent"?: boolean;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const moduleSelect = $<HTMLSelectElement>("module");
const keyRow = $<HTMLDivElement>("keyRow");
const keyInput = $<HTMLInputElement>("secureKey");
const keyIdInput = $<HTMLInputElement>("keyId");
const openButton = $<HTMLButtonElement>("open");
const status = $<HTMLSpanElement>("status");
const mode = $<HTMLSpanElement>("mode");
const list = $<HTMLElement>("functions");
let modules: ModuleInfo[] = [];
let client: ParleyClient | null = null;

function say(text: string, error = false): void {
  status.textContent = text;
  status.className = error ? "error" : "";
}

function describeError(e: unknown): string {
  if (e instanceof RemoteError) {
    return `${e.name} ${e.code}: ${e.message}` + (e.data !== undefined ? `\ndata: ${JSON.stringify(e.data, null, 2)}` : "");
  }
  if (e instanceof TransportError) {
    const outcome = e.outcome === "NOT_RUN" ? "it did not run" : "whether it ran is unknown";
    return `${e.name}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ""}: ${e.message}\noutcome: ${e.outcome} (${outcome})`;
  }
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function selected(): ModuleInfo | undefined {
  return modules[moduleSelect.selectedIndex];
}

function showMode(): void {
  const m = selected();
  keyRow.hidden = !m?.encrypts;
  mode.textContent = !m ? "" : m.encrypts ? "encrypted" : "plain JSON-RPC";
  mode.className = m?.encrypts ? "badge sealed" : "badge";
}

/** Shows the page's context: encryption needs WebCrypto, which browsers give secure contexts only. */
function showContext(): void {
  const context = $<HTMLParagraphElement>("context");
  context.textContent = window.isSecureContext
    ? `Served by ${location.host}. Calls go from this browser to the module directly.`
    : "This page is not a secure context (https:// or http://localhost), so the browser offers no WebCrypto: only plain modules can be called.";
}

async function loadModules(): Promise<void> {
  const response = await fetch("modules.json", { cache: "no-store" });
  modules = ((await response.json()) as { modules: ModuleInfo[] }).modules;
  moduleSelect.replaceChildren(
    ...modules.map((m) => {
      const option = document.createElement("option");
      option.textContent = m.path;
      return option;
    }),
  );
  showMode();
}

async function connect(): Promise<void> {
  const m = selected();
  if (!m) return;
  client?.close();
  client = null;
  list.replaceChildren();
  openButton.disabled = true;
  try {
    let secureKey: SecureKey | undefined;
    if (m.encrypts) {
      const text = keyInput.value;
      keyInput.value = ""; // read once, never left in the page
      if (!text.trim()) throw new TypeError("type the module's SecureKey first");
      secureKey = await SecureKey.parse(text, Number(keyIdInput.value || "0"));
    }
    client = new ParleyClient(new URL(m.path, location.href), { secureKey, timeoutMs: 30_000 });
    say("asking rpc.discover …");
    const doc = await client.call<{ methods: OpenRpcMethod[]; components?: unknown }>("rpc.discover", undefined, { idempotent: true });
    render(doc.methods, m, (doc.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {});
    say(`${doc.methods.length} function(s)${client.sessionId && m.encrypts ? `, session ${client.sessionId.slice(0, 6)}…` : ""}`);
  } catch (e) {
    say(describeError(e), true);
  } finally {
    openButton.disabled = false;
  }
}

function template(params: OpenRpcMethod["params"]): string {
  if (!params || params.length === 0) return "{}";
  return JSON.stringify(Object.fromEntries(params.map((p) => [p.name, null])));
}

/** The schema with its `$ref`s to `#/components/schemas/…` replaced by what they name (a few levels deep). */
function resolve(schema: unknown, components: Record<string, unknown>, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolve(s, components, depth));
  if (typeof schema !== "object" || schema === null) return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/") && depth < 4) {
    const target = components[ref.slice("#/components/schemas/".length)];
    if (target !== undefined) return resolve(target, components, depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v, components, depth)]));
}

function render(methods: OpenRpcMethod[], m: ModuleInfo, components: Record<string, unknown>): void {
  const show = (schema: unknown) => JSON.stringify(resolve(schema ?? {}, components));
  const tpl = $<HTMLTemplateElement>("functionTemplate");
  list.replaceChildren(
    ...methods.map((method) => {
      const card = tpl.content.firstElementChild!.cloneNode(true) as HTMLElement;
      card.dataset.function = method.name;
      card.querySelector(".name")!.textContent = method.name;
      card.querySelector(".description")!.textContent = method.description ?? "";
      (card.querySelector(".idempotent") as HTMLElement).hidden = !method["x-idempotent"];
      const rows = (method.params ?? []).map((p) => {
        const tr = document.createElement("tr");
        for (const text of [p.name, p.required === false ? "no" : "yes", show(p.schema)]) {
          const td = document.createElement("td");
          const code = document.createElement("code");
          code.textContent = text;
          td.append(code);
          tr.append(td);
        }
        return tr;
      });
      card.querySelector("tbody")!.replaceChildren(...rows);
      card.querySelector(".result")!.textContent = show(method.result?.schema);
      const input = card.querySelector(".input") as HTMLTextAreaElement;
      input.value = template(method.params);
      const output = card.querySelector(".output") as HTMLPreElement;
      const button = card.querySelector(".call") as HTMLButtonElement;
      button.addEventListener("click", () => void call(method, input, output, button, m));
      return card;
    }),
  );
}

async function call(method: OpenRpcMethod, input: HTMLTextAreaElement, output: HTMLPreElement, button: HTMLButtonElement, m: ModuleInfo) {
  if (!client) return;
  let params: unknown;
  try {
    params = JSON.parse(input.value || "{}");
  } catch {
    output.className = "output error";
    output.textContent = "params are not JSON: give an object (by name) or an array (by position)";
    return;
  }
  button.disabled = true;
  output.className = "output";
  output.textContent = "…";
  try {
    const result = await client.call(method.name, params as Record<string, unknown>, { idempotent: !!method["x-idempotent"] });
    output.className = "output ok";
    output.textContent = JSON.stringify(result, null, 2) + (m.encrypts ? "\n(sealed)" : "");
  } catch (e) {
    output.className = "output error";
    output.textContent = describeError(e);
  } finally {
    button.disabled = false;
  }
}

moduleSelect.addEventListener("change", showMode);
openButton.addEventListener("click", () => void connect());
showContext();
loadModules().catch((e) => say(`cannot list the modules: ${describeError(e)}`, true));
