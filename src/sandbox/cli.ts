/**
 * `node dist/sandbox/cli.js [--port N] [--seed N] [--chats N | --open-chats N] [--rate-limit N] [--dialect names|codes]`:
 * the HelpCrunch sandbox on its own, for poking at it with curl. `--open-chats N` seeds a large
 * queue of exactly N open chats plus a closed history (100,000 in about 2 s). `--dialect codes` filters statuses
 * by randomStatusCodes(seed) (printed at start) instead of names. Prints where it listens on stderr; stops on
 * SIGINT/SIGTERM.
 */
import { randomStatusCodes } from "./dialect.js";
import { startSandbox } from "./server.js";

/** The integer after `--name`, undefined when the flag is absent; a bad value ends the process. */
function intFlag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(process.argv[i + 1]);
  if (Number.isInteger(value) && value >= 0) return value;
  process.stderr.write(`${name} needs a whole number, got ${JSON.stringify(process.argv[i + 1] ?? "")}\n`);
  process.exit(2);
}

/** `--dialect names|codes`: status filters by name (default) or by seeded random codes. */
function dialectFlag(seed: number) {
  const i = process.argv.indexOf("--dialect");
  const value = i < 0 ? "names" : process.argv[i + 1];
  if (value === "names") return { statusFilter: "names" as const };
  if (value === "codes") return { statusFilter: { codes: randomStatusCodes(seed) } };
  process.stderr.write(`--dialect needs names or codes, got ${JSON.stringify(value ?? "")}\n`);
  process.exit(2);
}

const seed = intFlag("--seed");
const sandbox = await startSandbox({
  port: intFlag("--port"),
  seed,
  chatCount: intFlag("--chats"),
  openChats: intFlag("--open-chats"),
  rateLimitPerMinute: intFlag("--rate-limit"),
  dialect: dialectFlag(seed ?? 42),
});
process.stderr.write(
  `HelpCrunch sandbox (fictional demo data) at ${sandbox.url}\nAPI key: ${sandbox.apiKey}\nDialect: ${JSON.stringify(sandbox.dialect)}\nTry: curl -H "Authorization: Bearer ${sandbox.apiKey}" ${sandbox.url}/agents\n`,
);
const stop = () => void sandbox.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
