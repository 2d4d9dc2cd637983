import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface WebhookExample {
  name: string;
  payload: Record<string, any>;
}

/** Every example payload GitHub documents for `names`, from @octokit/webhooks-examples. */
export function githubExamples(names: readonly string[]): WebhookExample[] {
  const all = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: Array<Record<string, any>> }>;
  return all.filter((group) => names.includes(group.name)).flatMap((group) => group.examples.map((payload) => ({ name: group.name, payload })));
}
