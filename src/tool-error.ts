/**
 * A caller mistake or a refusal the model can fix: its message is one sentence, shown as is. Any
 * layer may throw it (a time spec out of range, an unknown agent, a refused reply); the runtime turns
 * it into an error result.
 */
export class ToolError extends Error {
  override name = "ToolError";
}
