/** A task's world: the sandbox it starts from, and the end state that is hashed (what a person would check). */
import { createHash } from "node:crypto";
import { type SandboxHandle, type SandboxState, startSandbox } from "../src/sandbox/index.js";
import type { World, WorldClock } from "./types.js";

export async function startWorld(world: World): Promise<{ sandbox: SandboxHandle; clock: WorldClock; initial: SandboxState }> {
  // The server reads the real clock (durations like "3d", "must be in the future"), so the world runs
  // on it too, from a whole minute: seeded times and ISO times in trajectories are relative to t0.
  const t0 = Math.floor(Date.now() / 60_000) * 60_000;
  const started = Date.now();
  const sandbox = await startSandbox({ seed: world.seed, openChats: world.openChats, now: () => t0 + (Date.now() - started) });
  const clock: WorldClock = { t0, iso: (ms) => new Date(t0 + ms).toISOString() };
  world.setup?.(sandbox, clock);
  return { sandbox, clock, initial: structuredClone(sandbox.state) };
}

/** One line per thing that matters, sorted: what the hash covers and what a diff shows. */
export function project(state: SandboxState, t0: number, since: SandboxState): string[] {
  const lines: string[] = [];
  for (const chat of state.chats.values()) {
    // A snooze that has ended is no snooze; a set one counts in whole minutes from the world's start.
    const snooze = chat.snoozedUntil === null || chat.snoozedUntil <= t0 ? "-" : `+${Math.round((chat.snoozedUntil - t0) / 60_000)}m`;
    lines.push(`chat ${chat.id}: ${chat.status} · agent ${chat.assigneeId ?? "-"} · dept ${chat.departmentId ?? "-"} · snooze ${snooze}`);
  }
  for (const customer of state.customers.values())
    lines.push(
      `customer ${customer.id}: tags ${
        [...(customer.tags ?? [])]
          .map((t) => t.toLowerCase())
          .sort()
          .join(",") || "-"
      }`,
    );
  // Messages written after the start: ids grow, and the seeded queue makes a chat's messages only
  // when they are first read, so a count per chat before and after would see reads as writes.
  for (const messages of state.messages.values()) {
    for (const message of messages.filter((m) => m.id >= since.nextMessageId))
      lines.push(
        `message in ${message.chatId}: ${message.type} from ${message.from} ${message.agentId ?? "-"}: ${JSON.stringify(message.text)}`,
      );
  }
  return lines.sort();
}

export const hashOf = (lines: string[]) => createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);

/** What changed from `before` to `after`, as lines (- removed, + added): the readable half of a gold end state. */
export function diff(before: string[], after: string[]): string[] {
  const was = new Set(before);
  const is = new Set(after);
  return [...before.filter((l) => !is.has(l)).map((l) => `- ${l}`), ...after.filter((l) => !was.has(l)).map((l) => `+ ${l}`)];
}

/** The chats and customers a change list touches that `mayChange` does not allow (none when the task sets no limit). */
export function touchedBeyond(changes: string[], mayChange: number[] | undefined): number[] {
  if (!mayChange) return [];
  const touched = changes.map((line) => Number(/(?:chat|customer|message in) (\d+)/.exec(line)?.[1]));
  return [...new Set(touched.filter((id) => !Number.isNaN(id) && !mayChange.includes(id)))];
}
