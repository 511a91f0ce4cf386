/** `npm run docs`: regenerates docs/tools.md from the registry. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../version.js";
import { renderToolsDoc } from "./tools-doc.js";

const target = join(packageRoot(), "docs", "tools.md");
writeFileSync(target, renderToolsDoc());
process.stderr.write(`wrote ${target}\n`);
