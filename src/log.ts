/**
 * The only logger: leveled, to stderr, because stdout belongs to the MCP protocol.
 * Every line passes through redaction so a secret registered here, or a URL's password, can never be printed.
 */
import { redact } from "./redact.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel,
  secrets: string[] = [],
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: Exclude<LogLevel, "silent">, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`${redact(`[helpcrunch-mcp] ${at}: ${message}${suffix}`, secrets)}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

/**
 * A warning anyone can cause as often as they like (an unauthenticated route's refusals): the first
 * is written at once; the ones after it within `windowMs` are counted and written as one summary line
 * when the window ends (or on `flush`), so a flood costs two lines a window, not one per request.
 */
export class RepeatedWarning {
  private repeats = 0;
  private window?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly warn: (message: string) => void,
    private readonly message: string,
    private readonly windowMs = 60_000,
  ) {}

  note(): void {
    if (this.window) {
      this.repeats++;
      return;
    }
    this.warn(this.message);
    this.openWindow();
  }

  /** Writes the summary of the open window, if anything repeated in it, and closes it. */
  flush(): void {
    clearTimeout(this.window);
    this.window = undefined;
    this.summarise();
  }

  private openWindow(): void {
    this.window = setTimeout(() => {
      // A flood that goes on keeps one window after another, each summarised once.
      if (this.summarise()) this.openWindow();
      else this.window = undefined;
    }, this.windowMs);
    this.window.unref();
  }

  private summarise(): boolean {
    if (this.repeats === 0) return false;
    const seconds = Math.round(this.windowMs / 1000);
    this.warn(`${this.message} (${this.repeats} more in the last ${seconds} s)`);
    this.repeats = 0;
    return true;
  }
}
