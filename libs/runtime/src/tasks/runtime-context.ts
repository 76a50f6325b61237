import type { RuntimeContext } from '@riffle/core';

/** The RuntimeContext of one operator in one subtask. */
export class StreamingRuntimeContext implements RuntimeContext {
  constructor(
    private readonly operatorName: string,
    private readonly subtaskIndex: number,
    private readonly parallelism: number,
    private readonly maxParallelism: number,
    private readonly attemptNumber: number,
    private readonly jobId: string,
  ) {}

  getIndexOfThisSubtask(): number {
    return this.subtaskIndex;
  }
  getNumberOfParallelSubtasks(): number {
    return this.parallelism;
  }
  getMaxNumberOfParallelSubtasks(): number {
    return this.maxParallelism;
  }
  getAttemptNumber(): number {
    return this.attemptNumber;
  }
  getTaskName(): string {
    return this.operatorName;
  }
  getTaskNameWithSubtasks(): string {
    return `${this.operatorName} (${this.subtaskIndex + 1}/${this.parallelism})`;
  }
  getJobId(): string {
    return this.jobId;
  }
}
