/**
 * Privacy mode (HELPCRUNCH_REDACT): what leaves the server shows stable pseudonyms instead of
 * customers' contact details (`contact`: emails and phone numbers, wherever they appear, message
 * text included) and, with `all`, their names and custom data values too. A pseudonym is a keyed
 * hash of the value (keyed with the API key, so every process of one account shows the same one and
 * nobody without the key can recompute it), and a customer's name becomes `customer <id>`, the id
 * tools take. Only outputs are rewritten: tools accept real ids and emails, and nothing sent to
 * HelpCrunch changes.
 */
import type * as Crypto from "node:crypto";
import { createRequire } from "node:module";
import type { RedactMode } from "../domain/redact-modes.js";
import { customDataText } from "./customer.js";

// node:crypto is loaded on first use: only privacy mode needs it, and a plain start should not pay for it.
const load = createRequire(import.meta.url);
let crypto: typeof Crypto | undefined;
const createHmac = (algorithm: string, key: string) => {
  crypto ??= load("node:crypto") as typeof Crypto;
  return crypto.createHmac(algorithm, key);
};

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * An international number (+ and 7–15 digits, single spaces, dots or dashes between groups), or three
 * or four groups of digits split that way or by a parenthesised area code. Bare digit runs (chat ids, UNIX
 * seconds) and dates are not phones.
 */
const PHONE = /(?<![\w#+])(?:\+\d{1,4}(?:[ .-]?\(?\d{1,5}\)?){1,6}|\(?\d{2,4}\)?[ .-]\d{2,4}[ .-]\d{2,5}(?:[ .-]\d{2,5})?)(?!\w)/g;
const DATE_START = /^\d{4}-\d{2}-\d{2}/;
const TIME_LIKE = /^\d{1,2}[:.]\d{2}/;

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "").length;
  return digits >= 7 && digits <= 15 && !DATE_START.test(candidate) && !TIME_LIKE.test(candidate);
}

const NAME_FENCE = /<customer_name>([^<]*)<\/customer_name>/g;
const CUSTOM_DATA_LINE = /(Custom data: <customer_data>)([^<]*)(<\/customer_data>)/g;

/** What a result's structuredContent hid, for finding it in the text: real name → pseudonym, custom-data line → hidden line. */
interface Hidden {
  names: Map<string, string>;
  customData: Map<string, string>;
}

export class Pseudonyms {
  constructor(
    readonly mode: RedactMode,
    private readonly key: string,
  ) {}

  private tag(kind: string, value: string): string {
    return `${kind}#${createHmac("sha256", this.key).update(`${kind}:${value.trim().toLowerCase()}`).digest("hex").slice(0, 6)}`;
  }

  /** Emails and phone numbers in any text replaced by their pseudonyms. */
  contacts(text: string): string {
    if (this.mode === "off") return text;
    return text
      .replace(EMAIL, (email) => this.tag("email", email))
      .replace(PHONE, (phone) => (isPhone(phone) ? this.tag("phone", phone.replace(/[^\d+]/g, "")) : phone));
  }

  /**
   * A tool result with every string rewritten: contacts always; with `all`, customers' names
   * (`customer <id>`, in structuredContent and in the name fences of text) and custom data values.
   */
  result<T extends { text: string; structured: unknown }>(out: T): T {
    if (this.mode === "off") return out;
    const hidden: Hidden = { names: new Map(), customData: new Map() };
    const structured = this.walk(out.structured, undefined, hidden);
    let text = out.text;
    if (this.mode === "all") {
      text = text
        .replace(NAME_FENCE, (_, name: string) => `<customer_name>${hidden.names.get(name) ?? "customer (name hidden)"}</customer_name>`)
        // The line as structuredContent's hidden values render it; a line that matches none is hidden whole.
        .replace(
          CUSTOM_DATA_LINE,
          (_, open: string, line: string, close: string) => `${open}${hidden.customData.get(line) ?? "(values hidden)"}${close}`,
        );
    }
    return { ...out, text: this.contacts(text), structured };
  }

  private walk(value: unknown, key: string | undefined, hidden: Hidden): unknown {
    if (typeof value === "string") return this.contacts(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, key === "customers" ? "customer" : key, hidden));
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const isCustomer = key === "customer" && typeof (value as { id?: unknown }).id === "number";
    return Object.fromEntries(
      entries.map(([k, v]) => {
        if (this.mode === "all" && isCustomer && k === "name" && typeof v === "string") {
          const pseudonym = `customer ${(value as { id: number }).id}`;
          hidden.names.set(v, pseudonym);
          return [k, pseudonym];
        }
        if (this.mode === "all" && k === "custom_data" && typeof v === "object" && v !== null) {
          const shown = Object.fromEntries(Object.entries(v).map(([ck, cv]) => [ck, this.tag("value", String(cv))]));
          hidden.customData.set(customDataText(v as Record<string, unknown>), customDataText(shown));
          return [k, shown];
        }
        return [k, this.walk(v, k, hidden)];
      }),
    );
  }
}
