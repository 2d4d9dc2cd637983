import type Anthropic from "@anthropic-ai/sdk";
import type { Prompt } from "./prompt/build-prompt.js";
import type { TokenUsage } from "./usage-ledger.js";
import { isAuthFailure } from "./model-health.js";

export type ModelMessage = Anthropic.MessageParam;
export type ModelReply = Anthropic.Message;

export interface ModelRequest {
  model: string;
  maxTokens: number;
  prompt: Pick<Prompt, "system" | "tools">;
  messages: ModelMessage[];
  signal?: AbortSignal;
}

/** The only way the turn talks to a model; one Messages API call per `send`. */
export interface ModelClient {
  /** A full turn step, streamed (a stalled or cut stream fails instead of hanging). */
  send(request: ModelRequest): Promise<ModelReply>;
  /** A short, non-streaming call (triage, critic). */
  ask(request: ModelRequest): Promise<ModelReply>;
}

export interface AnthropicClientOptions {
  env?: NodeJS.ProcessEnv;
  /** The SDK retries 429, 5xx and 529 (honouring retry-after) this many times per call. */
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * Key and base URL come from the SDK's own variables, so any Messages-API server can stand in.
 * The SDK (a thousand modules) is imported on the first call or `warmUp`, not at process start.
 */
export function createAnthropicClient(options: AnthropicClientOptions = {}): ModelClient & { warmUp(): Promise<void> } {
  let loading: Promise<Anthropic> | undefined;
  const sdk = () => (loading ??= _createSdk(options));
  const body = (request: ModelRequest) => ({
    model: request.model,
    max_tokens: request.maxTokens,
    ...(request.prompt.tools.length ? { tools: request.prompt.tools } : {}),
    ...(request.prompt.system.length ? { system: request.prompt.system } : {}),
    messages: request.messages,
  });
  return {
    send: async (request) => (await sdk()).messages.stream(body(request), { signal: request.signal }).finalMessage(),
    ask: async (request) => (await sdk()).messages.create({ ...body(request), stream: false }, { signal: request.signal }),
    warmUp: async () => void (await sdk()),
  };
}

/**
 * Is the key accepted? One `GET /v1/models` (free, authenticated). `unknown` when the answer
 * says nothing about the key: the network is down, or a compatible server has no such route.
 */
export async function checkAnthropicKey(options: AnthropicClientOptions = {}): Promise<{ verdict: "accepted" | "refused" | "unknown"; error?: Error }> {
  try {
    await (await _createSdk({ maxRetries: 0, timeoutMs: 5_000, ...options })).models.list({ limit: 1 });
    return { verdict: "accepted" };
  } catch (error) {
    return { verdict: isAuthFailure(error) ? "refused" : "unknown", error: error as Error };
  }
}

async function _createSdk({ env = process.env, maxRetries = 2, timeoutMs = 120_000 }: AnthropicClientOptions): Promise<Anthropic> {
  const { default: Sdk } = await import("@anthropic-ai/sdk");
  return new Sdk({
    apiKey: env.ANTHROPIC_API_KEY ?? null,
    authToken: env.ANTHROPIC_AUTH_TOKEN ?? null,
    baseURL: env.ANTHROPIC_BASE_URL || undefined,
    maxRetries,
    timeout: timeoutMs,
  });
}

export function usageOf(reply: ModelReply): TokenUsage {
  return {
    calls: 1,
    input: reply.usage.input_tokens,
    output: reply.usage.output_tokens,
    cacheRead: reply.usage.cache_read_input_tokens ?? 0,
    cacheWrite: reply.usage.cache_creation_input_tokens ?? 0,
  };
}
