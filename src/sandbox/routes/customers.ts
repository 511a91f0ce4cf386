/**
 * Customers: one by id, the list (whose envelope has a top-level `total`, as its doc page shows),
 * search, updates (the newest docs: PUT replaces the whole object, fields not sent become null;
 * PATCH changes only the fields sent), tags (PUT adds, creating unknown tags with the default
 * colour; DELETE with a body removes), and the organization.
 */
import { notFound, objectBody, SAYS, Violations } from "../api-error.js";
import { CUSTOMER_SEARCH, listPage, searchPage } from "../search.js";
import { customerJson, DEFAULT_TAG_COLOR } from "../serialize.js";
import type { SandboxState, StoredCustomer } from "../state.js";
import type { Route } from "./route.js";

function customerOf(state: SandboxState, param: string | undefined): StoredCustomer {
  const customer = state.customers.get(Number(param));
  if (!customer) throw notFound("entity_not_found", "Customer not found");
  return customer;
}

/** `{"tags":[{"name":…, "color"?:…}]}`: every entry an object with a non-empty string name. */
function tagsBody(body: unknown): Array<{ name: string; color?: string }> {
  const tags = objectBody(body).tags;
  const violations = new Violations();
  if (!Array.isArray(tags) || tags.length === 0) violations.add("tags", Array.isArray(tags) ? SAYS.blank : SAYS.array);
  const list = Array.isArray(tags) ? tags : [];
  list.forEach((tag, i) => {
    const name = (tag as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") violations.add(`tags[${i}].name`, SAYS.blank);
    const color = (tag as { color?: unknown } | null)?.color;
    if (color !== undefined && typeof color !== "string") violations.add(`tags[${i}].color`, SAYS.string);
  });
  violations.check();
  return list as Array<{ name: string; color?: string }>;
}

const WRITABLE_FIELDS = ["name", "email", "phone", "company", "userId"] as const;

/** The fields of an update body; `replace` sets every field not sent to null (PUT). */
function update(customer: StoredCustomer, body: unknown, replace: boolean): void {
  const fields = objectBody(body);
  const violations = new Violations();
  for (const key of WRITABLE_FIELDS) {
    const value = fields[key];
    if (value !== undefined && value !== null && typeof value !== "string") violations.add(key, SAYS.string);
  }
  violations.check();
  for (const key of WRITABLE_FIELDS) {
    const value = fields[key] as string | null | undefined;
    if (value !== undefined) customer[key] = value;
    else if (replace) customer[key] = null;
  }
}

/** PUT replaces the customer (fields not sent become null); PATCH changes the fields sent. */
function updateRoute(method: "PUT" | "PATCH", replace: boolean): Route {
  return {
    method,
    pattern: /^\/customers\/(\d+)$/,
    handle: ({ state, params, body }) => {
      const customer = customerOf(state, params[0]);
      update(customer, body, replace);
      return [200, customerJson(state, customer)];
    },
  };
}

export const CUSTOMER_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/customers\/(\d+)$/,
    handle: ({ state, params }) => [200, customerJson(state, customerOf(state, params[0]))],
  },
  updateRoute("PUT", true),
  updateRoute("PATCH", false),
  {
    method: "PUT",
    pattern: /^\/customers\/(\d+)\/tags$/,
    handle: ({ state, params, body }) => {
      const customer = customerOf(state, params[0]);
      const tags = tagsBody(body);
      const names = new Set(customer.tags ?? []);
      for (const { name, color } of tags) {
        // Names match case-insensitively, as HelpCrunch's tag list does; the account's spelling wins.
        const known = [...state.tagColors.keys()].find((k) => k.toLowerCase() === name.trim().toLowerCase());
        const spelled = known ?? name.trim();
        if (!known) state.tagColors.set(spelled, color ?? DEFAULT_TAG_COLOR);
        names.add(spelled);
      }
      customer.tags = [...names];
      return [200, customerJson(state, customer)];
    },
  },
  {
    method: "DELETE",
    pattern: /^\/customers\/(\d+)\/tags$/,
    handle: ({ state, params, body }) => {
      const customer = customerOf(state, params[0]);
      const removed = new Set(tagsBody(body).map((t) => t.name.trim().toLowerCase()));
      customer.tags = (customer.tags ?? []).filter((name) => !removed.has(name.toLowerCase()));
      return [200, customerJson(state, customer)];
    },
  },
  {
    method: "GET",
    pattern: /^\/customers$/,
    handle: ({ state, query }) => {
      const page = listPage(state.customers, query, CUSTOMER_SEARCH);
      return [200, { data: page.data.map((c) => customerJson(state, c)), total: page.total }];
    },
  },
  {
    method: "POST",
    pattern: /^\/customers\/search$/,
    handle: ({ state, body }) => {
      const page = searchPage(state.customers, state, objectBody(body), CUSTOMER_SEARCH);
      return [200, { data: page.data.map((c) => customerJson(state, c)), meta: { total: page.total } }];
    },
  },
  {
    method: "GET",
    pattern: /^\/organization$/,
    // Wrapped in `data`, unlike the other single objects.
    handle: ({ state }) => [200, { data: { ...state.organization } }],
  },
];
