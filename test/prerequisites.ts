/**
 * What the tests need beyond `npm ci`, provisioned by the test run itself so that `npm test` passes
 * on a fresh machine: redis-server for test/redis and Debian's chromium for the MCP Apps views'
 * browser tests in test/apps (apt-get, as root or with password-less sudo; Playwright's own browser
 * downloads are not used) and the Python MCP client for test/compat (a venv in .venv-compat/ with `mcp` from the machine's
 * package index). Where that is impossible (no apt-get, no root, offline), exactly those tests skip
 * with a loud reason; under CI=true nothing may be skipped and a missing prerequisite fails the run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Why a group of tests cannot run here; absent when it can. */
export interface Prerequisites {
  redis?: string;
  chromium?: string;
  python?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    prerequisites: Prerequisites;
  }
}

const INSTALL_TIMEOUT_MS = 5 * 60_000;
/** The package index this kind of machine is set up with, when pip has no other. */
const LOCAL_PYPI = "/opt/pypi/simple";

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: INSTALL_TIMEOUT_MS, env });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`.trim();
  return { ok: result.status === 0, output };
}

const lastLine = (text: string) => text.split("\n").at(-1)?.slice(0, 300) ?? "";
const has = (command: string) => run("sh", ["-c", `command -v ${command}`]).ok;

/** Installs Debian `pkg` when `command` is missing; why it could not, or undefined. */
function provisionApt(pkg: string, command: string, why: string): string | undefined {
  if (has(command)) return undefined;
  if (!has("apt-get")) return `${command} is not installed and there is no apt-get to install it`;
  const root = process.getuid?.() === 0;
  const sudo = !root && has("sudo") && run("sudo", ["-n", "true"]).ok;
  if (!root && !sudo) return `${command} is not installed, and installing it needs root or password-less sudo`;
  process.stderr.write(`test prerequisites: installing ${pkg} with apt-get (${why})\n`);
  const apt = (args: string[]) =>
    sudo
      ? run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
      : run("apt-get", args, { ...process.env, DEBIAN_FRONTEND: "noninteractive" });
  const update = apt(["update", "-qq"]);
  if (!update.ok) return `apt-get update failed: ${lastLine(update.output)}`;
  const install = apt(["install", "-y", "-qq", "--no-install-recommends", pkg]);
  if (!install.ok || !has(command)) return `apt-get install ${pkg} failed: ${lastLine(install.output)}`;
  return undefined;
}

/** Debian's chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const PYTHON_PROBE = "import mcp.client.stdio, mcp.client.session; from importlib.metadata import version; print(version('mcp'))";

/** The interpreter the compatibility tests use: COMPAT_PYTHON, or the project's venv. */
export function compatPython(root: string): string {
  return process.env.COMPAT_PYTHON || join(root, ".venv-compat", "bin", "python");
}

function provisionPython(root: string): string | undefined {
  const python = compatPython(root);
  if (existsSync(python) && run(python, ["-c", PYTHON_PROBE]).ok) return undefined;
  if (process.env.COMPAT_PYTHON) return `COMPAT_PYTHON=${python} cannot import mcp`;
  if (!has("python3")) return "python3 is not installed";
  process.stderr.write("test prerequisites: creating .venv-compat/ with the Python MCP client (test/compat needs it)\n");
  const venv = join(root, ".venv-compat");
  rmSync(venv, { recursive: true, force: true });
  const made = run("python3", ["-m", "venv", venv]);
  if (!made.ok) return `python3 -m venv failed: ${lastLine(made.output)}`;
  const index = !process.env.PIP_INDEX_URL && existsSync(LOCAL_PYPI) ? { PIP_INDEX_URL: `file://${LOCAL_PYPI}` } : {};
  const pip = run(python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "mcp"], { ...process.env, ...index });
  if (!pip.ok) return `pip install mcp failed: ${lastLine(pip.output)}`;
  return run(python, ["-c", PYTHON_PROBE]).ok ? undefined : "mcp was installed but cannot be imported";
}

function shout(lines: string[]): void {
  const bar = "#".repeat(80);
  process.stderr.write(["", bar, ...lines.map((l) => `WARNING: ${l}`), bar, ""].join("\n"));
}

/** Provisions what it can; throws under CI=true when anything is missing, else warns loudly. */
export function provisionPrerequisites(root: string): Prerequisites {
  const found: Prerequisites = {};
  const redis = provisionApt("redis-server", "redis-server", "test/redis needs a real Redis");
  if (redis) found.redis = redis;
  const chromium = provisionApt("chromium", CHROMIUM_PATH, "test/apps drives the MCP Apps views in a real browser");
  if (chromium) found.chromium = chromium;
  const python = provisionPython(root);
  if (python) found.python = python;
  const missing = Object.entries(found).map(([what, reason]) => `${what}: ${reason}`);
  if (missing.length === 0) return found;
  if (process.env.CI === "true")
    throw new Error(`test prerequisites missing under CI=true (nothing may be skipped): ${missing.join("; ")}`);
  shout([
    ...missing,
    ...(found.redis ? ["the shared-state tests (test/redis) WILL BE SKIPPED"] : []),
    ...(found.chromium ? ["the MCP Apps browser tests (test/apps/*.browser.test.ts) WILL BE SKIPPED"] : []),
    ...(found.python ? ["the Python client compatibility tests (test/compat) WILL BE SKIPPED"] : []),
  ]);
  return found;
}
