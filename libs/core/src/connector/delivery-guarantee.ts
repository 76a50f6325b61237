/**
 * What a sink promises about each record after failures and restarts (Flink's `DeliveryGuarantee`).
 *
 * - `NONE`: records may be lost or written more than once.
 * - `AT_LEAST_ONCE`: nothing is lost; records written since the last completed checkpoint may be
 *   written again after a recovery.
 * - `EXACTLY_ONCE`: each record is visible exactly once; output becomes visible only when the
 *   checkpoint that covers it completes (two-phase commit), so it requires checkpointing.
 */
export const DeliveryGuarantee = {
  NONE: 'NONE',
  AT_LEAST_ONCE: 'AT_LEAST_ONCE',
  EXACTLY_ONCE: 'EXACTLY_ONCE',
} as const;

/** One of the {@link DeliveryGuarantee} values. */
export type DeliveryGuarantee = (typeof DeliveryGuarantee)[keyof typeof DeliveryGuarantee];

/** True when `value` is one of the {@link DeliveryGuarantee} values. */
export function isDeliveryGuarantee(value: unknown): value is DeliveryGuarantee {
  return value === 'NONE' || value === 'AT_LEAST_ONCE' || value === 'EXACTLY_ONCE';
}
