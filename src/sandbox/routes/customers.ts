/** Customers: one by id, the list (whose envelope has a top-level `total`, as its doc page shows), and search. */
import { notFound, objectBody } from "../api-error.js";
import { CUSTOMER_SEARCH, listPage, searchPage } from "../search.js";
import { customerJson } from "../serialize.js";
import type { Route } from "./route.js";

export const CUSTOMER_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/customers\/(\d+)$/,
    handle: ({ state, params }) => {
      const customer = state.customers.get(Number(params[0]));
      if (!customer) throw notFound("entity_not_found", "Customer not found");
      return [200, customerJson(customer)];
    },
  },
  {
    method: "GET",
    pattern: /^\/customers$/,
    handle: ({ state, query }) => {
      const page = listPage(state.customers.values(), query, CUSTOMER_SEARCH);
      return [200, { data: page.data.map(customerJson), total: page.total }];
    },
  },
  {
    method: "POST",
    pattern: /^\/customers\/search$/,
    handle: ({ state, body }) => {
      const page = searchPage(state.customers.values(), state, objectBody(body), CUSTOMER_SEARCH);
      return [200, { data: page.data.map(customerJson), meta: { total: page.total } }];
    },
  },
];
