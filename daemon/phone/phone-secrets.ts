import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The two values phone approvals rest on, made once and kept under VIGIL_HOME, the user's alone
 * (0600): the HMAC key that signs each button's token (it never leaves the machine), and the
 * reply topic the buttons publish to (192 random bits, unless config names one).
 */
export function readPhoneSecrets(home: string, configuredTopic: string): { key: Buffer; replyTopic: string } {
  const key = Buffer.from(_readOrCreate(path.join(home, "approval.key"), () => randomBytes(32).toString("hex")), "hex");
  const replyTopic = configuredTopic || _readOrCreate(path.join(home, "ntfy-reply-topic"), () => `vigil-reply-${randomBytes(24).toString("base64url")}`);
  return { key, replyTopic };
}

function _readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = make();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // wx: two processes making it at once cannot both win; the loser reads the winner's.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
  return value;
}
