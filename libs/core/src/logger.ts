/**
 * Logging for libraries (no `console` in libraries). The default logger writes warnings and
 * errors to stderr; `setLoggerFactory` replaces it (tests, the CLI's `--log-level`, a
 * structured logger). Set `RIFFLE_LOG_LEVEL=debug|info|warn|error|silent` to change the level.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function envLevel(): LogLevel {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.RIFFLE_LOG_LEVEL;
  return raw && raw in ORDER ? (raw as LogLevel) : 'warn';
}

function writeLine(line: string): void {
  const proc = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process;
  proc?.stderr?.write(line + '\n');
}

class StderrLogger implements Logger {
  constructor(
    private readonly name: string,
    private readonly level: LogLevel,
  ) {}
  private log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const extra = fields ? ' ' + JSON.stringify(fields, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : '';
    writeLine(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${this.name} - ${message}${extra}`);
  }
  debug(m: string, f?: Record<string, unknown>): void {
    this.log('debug', m, f);
  }
  info(m: string, f?: Record<string, unknown>): void {
    this.log('info', m, f);
  }
  warn(m: string, f?: Record<string, unknown>): void {
    this.log('warn', m, f);
  }
  error(m: string, f?: Record<string, unknown>): void {
    this.log('error', m, f);
  }
}

let factory: (name: string) => Logger = (name) => new StderrLogger(name, envLevel());
let generation = 0;

/**
 * A component's logger that follows {@link setLoggerFactory}: modules take their logger once, at
 * load time, and a factory set later (the CLI's log level, a test capturing logs) still applies.
 */
class FactoryLogger implements Logger {
  private inner: Logger | undefined;
  private generation = -1;

  constructor(private readonly name: string) {}

  private current(): Logger {
    if (this.generation !== generation) {
      this.inner = factory(this.name);
      this.generation = generation;
    }
    return this.inner!;
  }
  debug(m: string, f?: Record<string, unknown>): void {
    this.current().debug(m, f);
  }
  info(m: string, f?: Record<string, unknown>): void {
    this.current().info(m, f);
  }
  warn(m: string, f?: Record<string, unknown>): void {
    this.current().warn(m, f);
  }
  error(m: string, f?: Record<string, unknown>): void {
    this.current().error(m, f);
  }
}

/** Returns the logger for a component name, e.g. `getLogger('JobMaster')`. */
export function getLogger(name: string): Logger {
  return new FactoryLogger(name);
}

/** Replaces how loggers are made; applies to every logger, also those obtained before. */
export function setLoggerFactory(f: (name: string) => Logger): void {
  factory = f;
  generation++;
}
