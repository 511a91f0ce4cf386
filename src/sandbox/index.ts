export { DEFAULT_API_KEY, startSandbox } from "./server.js";
export { AGENTS, APPLICATIONS, DEPARTMENTS } from "./seed-data.js";
export type { SandboxState, StoredAgent, StoredChat, StoredCustomer, StoredDepartment, StoredMessage } from "./state.js";
export type * from "./types.js";
