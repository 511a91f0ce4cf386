/** Shared by the client's integration tests: a distinctive key, and a failure catcher that checks it never leaks. */
import { expect } from "vitest";
import { type CallOptions, HelpCrunchError, type PreparedWrite } from "../../src/helpcrunch/index.js";

/** Distinctive so a leak anywhere in an error is unmistakable. */
export const KEY = "hc-test-key-DISTINCTIVE-42f1";

/** Every HelpCrunchError a test provoked, for the suite-wide "the key never leaks" check. */
export const errorsSeen: HelpCrunchError[] = [];

/** Awaits a rejection, checks it is a HelpCrunchError that carries no trace of the key, returns it. */
export async function failure(promise: Promise<unknown>): Promise<HelpCrunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HelpCrunchError);
  const hc = error as HelpCrunchError;
  errorsSeen.push(hc);
  expectNoKey(hc);
  return hc;
}

/** The key appears in no message, detail, stack or serialisation of the error. */
export function expectNoKey(error: HelpCrunchError): void {
  const everything = [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(error.details), String(error.request)].join(
    "\n",
  );
  expect(everything).not.toContain(KEY);
}

/** Resolves after `ms`. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prepares and sends one write, as the tools do (prepare, then execute that very object): its result. */
export async function send<T>(
  client: { execute<R>(write: PreparedWrite<R>, opts?: CallOptions): Promise<{ result: R }> },
  write: PreparedWrite<T>,
  opts?: CallOptions,
): Promise<T> {
  return (await client.execute(write, opts)).result;
}
