/**
 * Building the views' DOM. Every string (most of them typed by customers into HelpCrunch) goes in as
 * a text node: there is no innerHTML in the views, so a name like `<img onerror=…>` shows as text.
 */
type Child = Node | string | number | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** One line, whatever the customer typed: line breaks and runs of spaces become one space. */
export const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** A setting of the server's written into the page when it is served (src/mcp/views.ts), or "". */
export function serverSetting(name: "time-zone" | "default-agent"): string {
  return document.querySelector(`meta[name="helpcrunch-${name}"]`)?.getAttribute("content") ?? "";
}

/** A value read from structuredContent, checked: the host passes whatever the server sent. */
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
export const obj = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
