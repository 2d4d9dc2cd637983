import { styleText } from "node:util";

export type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/**
 * Colour only for a person at a terminal: a TTY, not NO_COLOR, not TERM=dumb; FORCE_COLOR forces
 * it (as most tools agree). Pipes and files get plain text.
 */
export function choosePaint(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Paint {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const on = forced || (Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb");
  // validateStream off: the decision is made here (Node 22 would look at process.stdout instead).
  return on ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}
