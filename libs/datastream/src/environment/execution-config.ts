import { ParameterTool } from './parameter-tool.js';

/**
 * Job-wide settings that are not about the graph's shape (Flink's `ExecutionConfig`), from
 * `env.getConfig()`. Read when the StreamGraph is generated.
 */
export class ExecutionConfig {
  private autoWatermarkIntervalMs = 200;

  constructor(private readonly jobParameters: ParameterTool) {}

  /** Interval of periodic watermark emission, ms (default 200); 0 disables periodic watermarks. */
  setAutoWatermarkInterval(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`setAutoWatermarkInterval: the interval must be a non-negative number of ms, got ${ms}`);
    this.autoWatermarkIntervalMs = ms;
    return this;
  }

  getAutoWatermarkInterval(): number {
    return this.autoWatermarkIntervalMs;
  }

  /** The job's parameters (the arguments after `--`), as the runner set them. */
  getGlobalJobParameters(): ParameterTool {
    return this.jobParameters;
  }
}
