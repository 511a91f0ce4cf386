/**
 * SLA clocks: response targets a team sets for itself (HelpCrunch stores none), computed from the
 * chat object alone. Off unless a target is configured.
 *
 * - first reply: a chat no agent has written in yet; the clock starts when the chat was created.
 * - next reply: any later unanswered customer message; the clock starts at the customer's last
 *   message. The chat object does not say which unanswered message came first, so a customer who
 *   writes three times in a row restarts this clock: lenient, and said in the README.
 * Elapsed time is business time when business hours are set (in the configured zone), wall time otherwise.
 */
import type { Chat } from "../helpcrunch/index.js";
import { addBusinessMinutes, type BusinessHours, businessMinutesBetween, describeBusinessHours } from "./business-hours.js";
import { isAwaitingReply } from "./conversation.js";
import { humanDuration } from "./time.js";

export type SlaKind = "first_reply" | "next_reply";
export type SlaState = "breached" | "at_risk" | "ok";

/** At risk: less than this share of the target is left. */
export const AT_RISK_SHARE = 0.2;

export interface SlaSettings {
  /** Minutes. */
  firstReply?: number;
  nextReply?: number;
  businessHours?: BusinessHours;
  timeZone: string;
}

export interface SlaClock {
  kind: SlaKind;
  /** Epoch ms. */
  dueAt: number;
  /** Business (or wall) minutes until due; negative when overdue. */
  minutesLeft: number;
  state: SlaState;
}

export class SlaPolicy {
  constructor(private readonly settings: SlaSettings = { timeZone: "UTC" }) {}

  get enabled(): boolean {
    return this.settings.firstReply !== undefined || this.settings.nextReply !== undefined;
  }

  /** Minutes of the kind's target, if one is set. */
  target(kind: SlaKind): number | undefined {
    return kind === "first_reply" ? this.settings.firstReply : this.settings.nextReply;
  }

  /** The running clock of an open chat that owes the customer a reply; undefined otherwise. */
  clockFor(chat: Chat, now: number): SlaClock | undefined {
    if (!this.enabled || !isAwaitingReply(chat)) return undefined;
    const kind: SlaKind = chat.agents.length === 0 && chat.lastCommunicatedAgentId === null ? "first_reply" : "next_reply";
    const target = this.target(kind);
    const start = kind === "first_reply" ? (chat.createdAt ?? chat.lastCustomerMessageAt) : chat.lastCustomerMessageAt;
    if (target === undefined || start === null) return undefined;
    const dueAt = this.addMinutes(start, target);
    const minutesLeft = now < dueAt ? this.minutesBetween(now, dueAt) : -this.minutesBetween(dueAt, now);
    const state: SlaState = minutesLeft <= 0 ? "breached" : minutesLeft < AT_RISK_SHARE * target ? "at_risk" : "ok";
    return { kind, dueAt, minutesLeft: Math.round(minutesLeft), state };
  }

  /** Was a reply `from` → `to` within the kind's target? undefined when no target is set. */
  met(kind: SlaKind, from: number, to: number): boolean | undefined {
    const target = this.target(kind);
    return target === undefined ? undefined : this.minutesBetween(from, to) <= target;
  }

  /** Elapsed SLA minutes between two instants: business minutes when business hours are set. */
  minutesBetween(from: number, to: number): number {
    const { businessHours, timeZone } = this.settings;
    return businessHours ? businessMinutesBetween(from, to, businessHours, timeZone) : Math.max(0, (to - from) / 60_000);
  }

  private addMinutes(start: number, minutes: number): number {
    const { businessHours, timeZone } = this.settings;
    return businessHours ? addBusinessMinutes(start, minutes, businessHours, timeZone) : start + minutes * 60_000;
  }

  describe(): string {
    const { firstReply, nextReply, businessHours, timeZone } = this.settings;
    const targets = [
      firstReply !== undefined ? `first reply ${firstReply}m` : "",
      nextReply !== undefined ? `next reply ${nextReply}m` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return `${targets}${businessHours ? ` in business hours (${describeBusinessHours(businessHours, timeZone)})` : ""}`;
  }
}

/** "first reply overdue by 12m", "next reply due in 3m". */
export function slaPhrase(clock: SlaClock): string {
  const what = clock.kind === "first_reply" ? "first reply" : "next reply";
  const minutes = (m: number) => humanDuration(Math.max(m, 1) * 60_000);
  return clock.minutesLeft <= 0 ? `${what} overdue by ${minutes(-clock.minutesLeft)}` : `${what} due in ${minutes(clock.minutesLeft)}`;
}
