/** The one bounded body reader: the whole body under the bound, null and a destroyed stream over it. */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBounded } from "../src/bounded-read.js";

const body = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));

describe("readBounded", () => {
  it("reads a body of up to maxBytes whole", async () => {
    expect((await readBounded(body("ab", "cd"), 4))?.toString()).toBe("abcd");
    expect((await readBounded(body(), 4))?.length).toBe(0);
  });

  it("gives null past maxBytes and destroys the body, so the rest is not read", async () => {
    const stream = body("ab", "cde", "never read");
    expect(await readBounded(stream, 4)).toBeNull();
    expect(stream.destroyed).toBe(true);
  });
});
