/**
 * One page of a HelpCrunch list, read through the HTTP transport: never more items than asked for
 * (an API that ignores `limit` must not flood the model's context), with one warning per request
 * line when it sends more.
 */
import type { z } from "zod";
import type { HttpTransport, RequestSpec } from "./http-transport.js";
import { MAX_PAGE_SIZE } from "./paginate.js";
import type { Page } from "./schemas.js";
import type { CallOptions } from "./types.js";

/** HelpCrunch caps pages at 100; a NaN or fractional limit must not reach it. */
export const clampLimit = (limit: number | undefined) =>
  Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number.isFinite(limit) ? (limit as number) : MAX_PAGE_SIZE)));
export const clampOffset = (offset: number | undefined) => Math.max(0, Math.floor(Number.isFinite(offset) ? (offset as number) : 0));

export class Pager {
  /** Request lines already warned about returning more items than asked (once each, not per page). */
  private readonly overLimitWarned = new Set<string>();

  constructor(
    readonly http: HttpTransport,
    private readonly warn: (message: string) => void,
  ) {}

  async page<T>(
    spec: RequestSpec,
    schema: z.ZodType<{ data: T[]; total: number; totalReported: boolean }>,
    opts?: CallOptions,
  ): Promise<Page<T>> {
    const { data, total, totalReported } = await this.http.send(spec, schema, opts);
    const asked = Number(spec.query?.limit ?? (spec.body as { limit?: number } | undefined)?.limit ?? MAX_PAGE_SIZE);
    if (data.length <= asked) return { data, total, rawCount: data.length, totalReported };
    const line = `${spec.method} ${spec.path}`;
    if (!this.overLimitWarned.has(line))
      this.warn(`HelpCrunch returned ${data.length} items to ${line} with limit ${asked}; only the first ${asked} were used.`);
    this.overLimitWarned.add(line);
    return { data: data.slice(0, asked), total, rawCount: asked, totalReported };
  }
}
