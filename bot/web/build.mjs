// Builds dist/widget.js (widget + socket.io-client in one IIFE) and dist/widget.css.
// `npm ci && npm run build`; no network at run time, nothing loaded from a CDN.
import { build } from "esbuild";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const pkg = JSON.parse(await readFile(join(here, "package.json"), "utf8"));
await mkdir(dist, { recursive: true });

await build({
  entryPoints: [join(here, "widget", "widget.ts")],
  outfile: join(dist, "widget.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020", "chrome90", "firefox88", "safari14"],
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  banner: { js: `/* ${pkg.name} ${pkg.version}: Pårørende-guiden chat widget (bundles socket.io-client, MIT) */` },
  logLevel: "warning",
});
await copyFile(join(here, "widget", "widget.css"), join(dist, "widget.css"));
console.log("built dist/widget.js and dist/widget.css");
