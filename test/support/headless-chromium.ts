import { chromium, type Browser } from "playwright-core";
import { afterEach } from "vitest";

const _browsers: Browser[] = [];
afterEach(async () => {
  for (const browser of _browsers.splice(0)) await browser.close();
});

/** Debian's Chromium (the `chromium` package), headless; playwright-core downloads no browser. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  _browsers.push(browser);
  return browser;
}
