// Parses every ```mermaid block of the Markdown files named on the command line
// with Mermaid itself (in a jsdom window, as a browser would), and prints one
// line per diagram Mermaid refuses. Exit 1 when any is refused.
// Install once: npm install --prefix tests/mermaid
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let failed = 0, count = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
  for (const block of blocks) {
    count++;
    try {
      await mermaid.parse(block);
    } catch (error) {
      failed++;
      console.log(`${file}: ${String(error.message || error).split("\n").slice(0, 3).join(" ")}`);
    }
  }
}
console.log(`${count} diagrams, ${failed} failed`);
process.exit(failed ? 1 : 0);
