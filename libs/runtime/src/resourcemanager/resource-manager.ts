import { getLogger } from '@riffle/core';
import type {
  ResourceManagerGateway,
  SlotReport,
  TaskExecutorGateway,
  TaskExecutorRegistration,
} from '../rpc/gateways.js';
import type { SlotAllocation } from '../rpc/messages.js';

const log = getLogger('ResourceManager');

interface SlotEntry {
  readonly taskExecutorId: string;
  readonly slotIndex: number;
  allocation?: SlotAllocation;
}

interface PendingRequest {
  readonly jobId: string;
  readonly count: number;
  readonly resolve: (slots: SlotAllocation[]) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Keeps the slots of all registered TaskExecutors and hands them to jobs, all-or-nothing per
 * request, first come first served. When a request cannot be served now it waits, until slots
 * are released or TaskExecutors register, or until its timeout.
 */
export class ResourceManager implements ResourceManagerGateway {
  private readonly executors = new Map<string, { registration: TaskExecutorRegistration; gateway: TaskExecutorGateway }>();
  private readonly slots: SlotEntry[] = [];
  private readonly pending: PendingRequest[] = [];
  private nextAllocation = 0;

  async registerTaskExecutor(registration: TaskExecutorRegistration, gateway: TaskExecutorGateway): Promise<void> {
    if (this.executors.has(registration.taskExecutorId)) {
      throw new Error(`TaskExecutor ${registration.taskExecutorId} is already registered`);
    }
    this.executors.set(registration.taskExecutorId, { registration, gateway });
    for (let i = 0; i < registration.numberOfSlots; i++) this.slots.push({ taskExecutorId: registration.taskExecutorId, slotIndex: i });
    log.info(`registered TaskExecutor ${registration.taskExecutorId} with ${registration.numberOfSlots} slots`);
    this.servePending();
  }

  async unregisterTaskExecutor(taskExecutorId: string): Promise<void> {
    this.executors.delete(taskExecutorId);
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]!.taskExecutorId === taskExecutorId) this.slots.splice(i, 1);
  }

  /** The gateway of a registered TaskExecutor. */
  getTaskExecutor(taskExecutorId: string): TaskExecutorGateway {
    const entry = this.executors.get(taskExecutorId);
    if (!entry) throw new Error(`TaskExecutor ${taskExecutorId} is not registered`);
    return entry.gateway;
  }

  requestSlots(jobId: string, count: number, timeoutMs: number): Promise<SlotAllocation[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const idx = this.pending.findIndex((p) => p.timer === timer);
        if (idx >= 0) this.pending.splice(idx, 1);
        const free = this.slots.filter((s) => !s.allocation).length;
        reject(
          new Error(
            `Could not allocate ${count} task slots for job ${jobId} within ${timeoutMs} ms: ${free} of ${this.slots.length} slots are free. ` +
              'Start more TaskManagers, give them more slots, or lower the parallelism.',
          ),
        );
      }, timeoutMs);
      this.pending.push({ jobId, count, resolve, reject, timer });
      this.servePending();
    });
  }

  async releaseSlots(jobId: string): Promise<void> {
    for (const slot of this.slots) if (slot.allocation?.jobId === jobId) slot.allocation = undefined;
    this.servePending();
  }

  async slotReport(): Promise<SlotReport[]> {
    return [...this.executors.keys()].map((id) => {
      const own = this.slots.filter((s) => s.taskExecutorId === id);
      return { taskExecutorId: id, total: own.length, free: own.filter((s) => !s.allocation).length };
    });
  }

  private servePending(): void {
    while (this.pending.length > 0) {
      const request = this.pending[0]!;
      const free = this.slots.filter((s) => !s.allocation);
      if (free.length < request.count) return;
      this.pending.shift();
      clearTimeout(request.timer);
      // Spread a job over TaskExecutors the way Flink's default does: fill one before the next.
      const allocations = free.slice(0, request.count).map((slot) => {
        slot.allocation = {
          allocationId: `alloc-${++this.nextAllocation}`,
          slotId: { taskExecutorId: slot.taskExecutorId, slotIndex: slot.slotIndex },
          jobId: request.jobId,
        };
        return slot.allocation;
      });
      request.resolve(allocations);
    }
  }
}
