// Runs Lighthouse (mobile, its default) on each address given, in ONE Chromium: the Node API
// instead of one CLI run (and one browser start) per page. Writes <output-dir>/<name>.json
// for each "name=address" argument; exits non-zero if any run fails.
// Usage: node lighthouse.mjs CHROMIUM OUTPUT_DIR name=http://127.0.0.1:PORT/page/ ...
import fs from "node:fs";
import path from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [chromePath, outputDir, ...pages] = process.argv.slice(2);
// The same closed-network flags as the Python tests' Chromium (sitebuild/browser.py).
const chromeFlags = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];
const categories = ["performance", "accessibility", "best-practices", "seo"];

const chrome = await chromeLauncher.launch({ chromePath, chromeFlags });
let failed = false;
try {
  fs.mkdirSync(outputDir, { recursive: true });
  for (const page of pages) {
    const [name, url] = page.split(/=(.*)/s);
    const result = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories,
    });
    if (!result || result.lhr.runtimeError) {
      console.error(`${url}: ${result ? result.lhr.runtimeError.message : "no result"}`);
      failed = true;
      continue;
    }
    fs.writeFileSync(path.join(outputDir, `${name}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
