/** `node dist/sandbox/cli.js [--port N] [--seed N]`: the HelpCrunch sandbox on its own, for manual poking. */
import { startSandbox } from "./server.js";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};

const sandbox = await startSandbox({ port: arg("--port"), seed: arg("--seed") });
process.stderr.write(`HelpCrunch sandbox at ${sandbox.url}\nAPI key: ${sandbox.apiKey}\nTry: curl -H "Authorization: Bearer ${sandbox.apiKey}" ${sandbox.url}/agents\n`);
const stop = () => void sandbox.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
