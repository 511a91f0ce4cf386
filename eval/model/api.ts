/**
 * Two ways to talk to a model, over plain fetch: Anthropic's Messages API and the OpenAI-compatible
 * chat completions most other providers (and local servers) speak. Each keeps its own conversation
 * shape; the lane sees turns (text, tool calls, tokens) and hands back tool results.
 */

export interface ToolSpec {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}
export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ModelTurn {
  text: string;
  calls: ToolCall[];
  inputTokens: number;
  outputTokens: number;
}
export interface ToolAnswer {
  id: string;
  text: string;
  isError: boolean;
}
export interface Conversation {
  /** The model's next turn, given everything so far. */
  next(): Promise<ModelTurn>;
  /** The results of the last turn's tool calls, in its order. */
  answer(results: ToolAnswer[]): void;
}
export type ApiKind = "anthropic" | "openai";
export interface Endpoint {
  api: ApiKind;
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Tokens a turn may write. */
  maxTokens?: number;
}

/** POST JSON, retrying what a provider asks to retry (429, 5xx, Anthropic's 529) with its Retry-After or a growing pause. */
async function post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as unknown;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= 4) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    const after = Number(response.headers.get("retry-after"));
    await new Promise((resolve) => setTimeout(resolve, Number.isFinite(after) && after > 0 ? after * 1000 : 1000 * 2 ** attempt));
  }
}

interface AnthropicBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: Record<string, unknown>;
}
interface AnthropicResponse {
  content: AnthropicBlock[];
  usage?: { input_tokens?: number; output_tokens?: number };
}

function anthropic(endpoint: Endpoint, system: string, request: string, tools: ToolSpec[]): Conversation {
  const messages: Array<{ role: "user" | "assistant"; content: unknown }> = [{ role: "user", content: request }];
  return {
    async next() {
      const response = (await post(
        `${endpoint.baseUrl.replace(/\/$/, "")}/v1/messages`,
        { "x-api-key": endpoint.apiKey, "anthropic-version": "2023-06-01" },
        { model: endpoint.model, max_tokens: endpoint.maxTokens ?? 2048, system, tools, messages },
      )) as AnthropicResponse;
      messages.push({ role: "assistant", content: response.content });
      return {
        text: response.content.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join(""),
        calls: response.content
          .filter((block) => block.type === "tool_use")
          .map((block) => ({ id: block.id ?? "", name: block.name ?? "", input: block.input ?? {} })),
        inputTokens: response.usage?.input_tokens ?? 0,
        outputTokens: response.usage?.output_tokens ?? 0,
      };
    },
    answer(results) {
      messages.push({
        role: "user",
        content: results.map((r) => ({ type: "tool_result", tool_use_id: r.id, content: r.text, is_error: r.isError })),
      });
    },
  };
}

interface OpenAiMessage {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}
interface OpenAiResponse {
  choices: Array<{ message: OpenAiMessage }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function openai(endpoint: Endpoint, system: string, request: string, tools: ToolSpec[]): Conversation {
  const messages: unknown[] = [
    { role: "system", content: system },
    { role: "user", content: request },
  ];
  const functions = tools.map((t) => ({
    type: "function",
    function: { name: t.name, description: t.description, parameters: t.input_schema },
  }));
  return {
    async next() {
      const response = (await post(
        `${endpoint.baseUrl.replace(/\/$/, "")}/chat/completions`,
        { authorization: `Bearer ${endpoint.apiKey}` },
        { model: endpoint.model, max_tokens: endpoint.maxTokens ?? 2048, tools: functions, messages },
      )) as OpenAiResponse;
      const message = response.choices[0]?.message ?? { role: "assistant", content: "" };
      messages.push(message);
      const parse = (text: string): Record<string, unknown> => {
        try {
          return JSON.parse(text || "{}") as Record<string, unknown>;
        } catch {
          return {};
        }
      };
      return {
        text: message.content ?? "",
        calls: (message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, input: parse(c.function.arguments) })),
        inputTokens: response.usage?.prompt_tokens ?? 0,
        outputTokens: response.usage?.completion_tokens ?? 0,
      };
    },
    answer(results) {
      for (const r of results) messages.push({ role: "tool", tool_call_id: r.id, content: r.text });
    },
  };
}

export function startConversation(endpoint: Endpoint, system: string, request: string, tools: ToolSpec[]): Conversation {
  return endpoint.api === "anthropic" ? anthropic(endpoint, system, request, tools) : openai(endpoint, system, request, tools);
}
