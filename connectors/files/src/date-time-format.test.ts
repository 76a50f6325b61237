import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time-format.js';
import { DateTimeBucketAssigner } from './bucket-assigner.js';

const at = (ts: number | undefined, now = 0) => ({ timestamp: () => ts, currentProcessingTime: () => now, currentWatermark: () => 0 });

describe('date-time bucket ids', () => {
  it("formats 'yyyy-MM-dd--HH' in UTC by default", () => {
    const a = new DateTimeBucketAssigner();
    expect(a.getBucketId('x', at(Date.UTC(2024, 11, 31, 23, 59, 59, 999)))).toBe('2024-12-31--23');
    expect(a.getBucketId('x', at(Date.UTC(2025, 0, 1, 0, 0, 0)))).toBe('2025-01-01--00');
    // The cache must not leak across hours when going backwards.
    expect(a.getBucketId('x', at(Date.UTC(2024, 11, 31, 22, 0, 0)))).toBe('2024-12-31--22');
  });

  it('falls back to processing time for records without a timestamp', () => {
    expect(new DateTimeBucketAssigner().getBucketId('x', at(undefined, Date.UTC(2001, 1, 3, 4)))).toBe('2001-02-03--04');
  });

  it('supports other patterns, quoted literals and time zones', () => {
    const t = Date.UTC(2024, 6, 1, 22, 5, 9, 7);
    expect(formatDateTime(t, "yyyy/MM/dd/'hour='HH", 'UTC')).toBe('2024/07/01/hour=22');
    expect(formatDateTime(t, 'yy-MM-dd HH:mm:ss.SSS', 'UTC')).toBe('24-07-01 22:05:09.007');
    expect(formatDateTime(t, 'yyyy-MM-dd--HH', 'Europe/Berlin')).toBe('2024-07-02--00');
    expect(formatDateTime(t, 'yyyy-MM-dd--HH:mm', 'Asia/Kolkata')).toBe('2024-07-02--03:35');
    const kolkata = new DateTimeBucketAssigner('HH', 'Asia/Kolkata');
    expect(kolkata.getBucketId('x', at(Date.UTC(2024, 0, 1, 0, 29)))).toBe('05');
    expect(kolkata.getBucketId('x', at(Date.UTC(2024, 0, 1, 0, 30)))).toBe('06');
  });
});
