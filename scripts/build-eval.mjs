// `npm run eval`: bundles the evaluation (eval/run.ts with its tasks and the sandbox) and the raw-JSON
// baseline server into dist-eval/, packages left as imports from node_modules. `npm run typecheck`
// type-checks eval/ (tsconfig.json includes it); esbuild only strips the types, in well under a second.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [join(root, "eval", "run.ts"), join(root, "eval", "baseline-server.ts")],
  outdir: join(root, "dist-eval"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
