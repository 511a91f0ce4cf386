/**
 * `node dist/sandbox/cli.js [--port N] [--seed N] [--chats N] [--rate-limit N]`: the HelpCrunch
 * sandbox on its own, for poking at it with curl. Prints where it listens on stderr; stops on
 * SIGINT/SIGTERM.
 */
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

const sandbox = await startSandbox({ port: intFlag("--port"), seed: intFlag("--seed"), chatCount: intFlag("--chats"), rateLimitPerMinute: intFlag("--rate-limit") });
process.stderr.write(
  `HelpCrunch sandbox (fictional demo data) at ${sandbox.url}\nAPI key: ${sandbox.apiKey}\nTry: curl -H "Authorization: Bearer ${sandbox.apiKey}" ${sandbox.url}/agents\n`,
);
const stop = () => void sandbox.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
