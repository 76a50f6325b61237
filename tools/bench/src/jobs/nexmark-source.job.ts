import { NexmarkSource, type NexmarkEvent } from '@riffle/connector-datagen';
import { DiscardingSink, defineJob } from '@riffle/datastream';

/** The Nexmark source (`--records` events, seed 42, unthrottled) straight into a discarding sink. */
export default defineJob((env, params) => {
  const source = NexmarkSource.builder().setSeed(42).setMaxEvents(params.getNumber('records', 10_000_000)).build();
  env.fromSource(source, NexmarkSource.watermarkStrategy(), 'Nexmark').sinkTo(new DiscardingSink<NexmarkEvent>());
});
