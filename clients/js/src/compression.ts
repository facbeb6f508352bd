// PROTOCOL.md §15.4: the sealed plaintext is u8 flag ‖ payload; flag 0x01 is raw DEFLATE
// (RFC 1951), done by the platform's CompressionStream('deflate-raw'). Its level cannot be chosen.
import { type Bytes, concat, readAll } from "./bytes.js";

/** §15.4: JSON shorter than this is never compressed. */
export const MIN_COMPRESS = 256;

/** True when this platform can compress and inflate raw DEFLATE (Chrome 103+, Firefox 113+, Safari 16.4+, Node 20). */
export function deflateRawAvailable(): boolean {
  try {
    new DecompressionStream("deflate-raw");
    new CompressionStream("deflate-raw");
    return true;
  } catch {
    return false;
  }
}

function through(data: Uint8Array, transform: CompressionStream | DecompressionStream): ReadableStream<Uint8Array> {
  const writer = transform.writable.getWriter();
  writer.write(data as Bytes).catch(() => {});
  writer.close().catch(() => {});
  return transform.readable as ReadableStream<Uint8Array>;
}

/** The sealed plaintext for JSON-RPC bytes: compressed (flag 0x01) when asked, long enough and supported. */
export async function sealedPlaintext(json: Bytes, compress: boolean): Promise<Bytes> {
  if (compress && json.length >= MIN_COMPRESS && deflateRawAvailable()) {
    const deflated = await readAll(through(json, new CompressionStream("deflate-raw")));
    return concat(Uint8Array.of(0x01), deflated);
  }
  return concat(Uint8Array.of(0x00), json);
}

/**
 * The JSON-RPC bytes of an opened, non-empty sealed plaintext: either flag is accepted whatever this
 * client's own setting; inflating stops at `max` bytes.
 */
export async function jsonOf(plaintext: Bytes, max: number): Promise<Bytes> {
  const flag = plaintext[0];
  if (flag === 0x00) return plaintext.subarray(1);
  if (flag !== 0x01) throw new RangeError(`the sealed answer has an unknown compression flag ${flag}`);
  if (!deflateRawAvailable()) {
    throw new RangeError("the sealed answer is compressed and this platform has no DecompressionStream('deflate-raw')");
  }
  return readAll(through(plaintext.subarray(1), new DecompressionStream("deflate-raw")), max,
    `the answer inflates past maxBodyBytes (${max} bytes)`);
}
