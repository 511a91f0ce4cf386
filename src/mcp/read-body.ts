/** Reading a request body with a size bound, for every HTTP route that takes one. */
import type { IncomingMessage } from "node:http";

/**
 * The raw body, or undefined once it passes `maxBytes` (a declared Content-Length over it is not
 * read at all; past it, reading stops and the caller should close the connection after answering).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("error", reject);
    req.once("end", () => resolve(Buffer.concat(chunks)));
  });
}
