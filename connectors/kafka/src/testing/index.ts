export { TestKafka, planKafkaBroker, missingBrokerBanner, type KafkaBrokerPlan } from './kafka-test-broker.js';
export { TestingReaderOutput, testingReaderContext, driveReader, type EmittedRecord } from './reader-driver.js';
export { TestingCommitRequest, testingSinkInitContext, testingWriterContext } from './sink-driver.js';
export type { ConsumedRecord } from './kafka-test-broker.js';
