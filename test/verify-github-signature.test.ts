import { createHmac } from "node:crypto";
import { Webhooks } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import { verifyGithubSignature } from "../daemon/http/verify-github-signature.js";

const SECRET = "webhook-secret-for-tests-0123";
const webhooks = new Webhooks({ secret: SECRET });

describe("verifyGithubSignature says what @octokit/webhooks' verify says", () => {
  const body = JSON.stringify({ action: "opened", text: "ünïcödé ✓ and \\u0000 escapes", n: 1 });
  const hex = createHmac("sha256", SECRET).update(body).digest("hex");
  const cases: Array<[string, string]> = [
    ["the right signature", `sha256=${hex}`],
    ["another secret's", `sha256=${createHmac("sha256", "other").update(body).digest("hex")}`],
    ["upper-case hex", `sha256=${hex.toUpperCase()}`],
    ["no sha256= prefix", hex],
    ["a sha1= prefix", `sha1=${hex}`],
    ["one hex digit short", `sha256=${hex.slice(0, -1)}`],
    ["one hex digit more", `sha256=${hex}0`],
    ["a trailing space", `sha256=${hex} `],
    ["empty", ""],
  ];
  for (const [what, signature] of cases) {
    it(`${what}`, async () => {
      const octokit = await webhooks.verify(body, signature).catch(() => false);
      expect(verifyGithubSignature(SECRET, Buffer.from(body), signature)).toBe(octokit);
    });
  }

  it("an empty secret is refused, never used as a key", () => {
    expect(() => verifyGithubSignature("", Buffer.from(body), `sha256=${createHmac("sha256", "").update(body).digest("hex")}`)).toThrow(/secret is empty/);
  });
});
