/**
 * A response body read whole, but never past a bound: a server that ignores `limit`, or a "page"
 * that is a video, must not fill this process's memory. The HelpCrunch client and the help-center
 * crawler both read their bodies here and each says in its own words what "too large" means.
 */

/** A streamed body (undici's, or any Node readable) that can be read chunk by chunk and dropped. */
export type StreamedBody = AsyncIterable<Buffer> & { destroy(): unknown };

/** The whole body, or null when it is over `maxBytes`: the rest is then not read and the body is destroyed. */
export async function readBounded(body: StreamedBody, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
