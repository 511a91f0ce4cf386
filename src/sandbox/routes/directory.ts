/** The team and the workspace: agents, departments (with their agents), applications. */
import { slicePage } from "../search.js";
import { agentJson, departmentJson } from "../serialize.js";
import type { Route } from "./route.js";

export const DIRECTORY_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/agents$/,
    handle: ({ state, query }) => {
      const page = slicePage([...state.agents.values()], query);
      return [200, { data: page.data.map(agentJson), meta: { total: page.total } }];
    },
  },
  {
    method: "GET",
    pattern: /^\/departments$/,
    handle: ({ state, query }) => {
      const page = slicePage([...state.departments.values()], query);
      return [200, { data: page.data.map((d) => departmentJson(state, d)), meta: { total: page.total } }];
    },
  },
  {
    // No paging and no meta: the only source for this endpoint is third-party client code.
    method: "GET",
    pattern: /^\/applications$/,
    handle: ({ state }) => [200, { data: [...state.applications.values()].map(({ id, name, type }) => ({ id, name, type })) }],
  },
];
