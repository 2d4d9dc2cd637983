import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const PAGE_SECRET_FILE = "page.secret";

/**
 * The key behind the page's session cookies and CSRF tokens, made once at the first start and
 * kept as a 0600 file under VIGIL_HOME. Deleting the file logs every browser out.
 */
export function loadPageSecret(home: string): Buffer {
  const file = path.join(home, PAGE_SECRET_FILE);
  try {
    // `wx`: two processes starting at once never overwrite each other's key.
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    chmodSync(file, 0o600);
  }
  const text = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} is not a page secret (64 hex digits): delete it and restart the daemon to make a new one`);
  return Buffer.from(text, "hex");
}
