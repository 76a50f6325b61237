import { describe, expect, it } from 'vitest';
import { missingBrokerBanner, planKafkaBroker, type KafkaBrokerPlan } from '@riffle/connector-kafka/testing';

/**
 * The Kafka broker plan of a suite, with the project's rule for a missing broker: outside CI the
 * suite is skipped (`describe.skipIf(plan.kind === 'missing')`) after a loud banner; in CI a
 * failing test named after `suite` says why. Call it once at the top level of the test file.
 */
export function planKafkaSuite(suite: string): KafkaBrokerPlan {
  const plan = planKafkaBroker();
  if (plan.kind !== 'missing') return plan;
  if (!process.env.CI) {
    console.warn(missingBrokerBanner(plan.reason));
  } else {
    describe(suite, () => {
      it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
    });
  }
  return plan;
}
