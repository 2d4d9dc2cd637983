import { describe, expect, it } from "vitest";
import { checkSystemTools } from "./support/system-tools.js";

const tools = { Xvfb: "xvfb", dunst: "dunst", dunstctl: "dunst" };
const onlyDunst = (program: string) => program.startsWith("dunst");

describe("tests that need system packages", () => {
  it("run where the programs exist", () => {
    const gate = checkSystemTools(tools, {}, () => true);
    expect(gate.skip).toBe(false);
    expect(gate.title("desktop")).toBe("desktop");
    expect(() => gate.assertPresent()).not.toThrow();
  });

  it("elsewhere report themselves skipped, with the reason and the apt-get line", () => {
    const gate = checkSystemTools(tools, { CI: "false" }, onlyDunst);
    expect(gate.skip).toBe(true);
    expect(gate.title("desktop")).toBe("desktop [skipped: needs Xvfb (apt-get install -y xvfb)]");
  });

  it("are required in CI: a missing package fails them with the install line", () => {
    const gate = checkSystemTools(tools, { CI: "true" }, () => false);
    expect(gate.skip).toBe(false);
    expect(() => gate.assertPresent()).toThrow("this test needs Xvfb, dunst, dunstctl (apt-get install -y xvfb dunst); CI=true requires it, so .ci/run must install it");
  });
});
