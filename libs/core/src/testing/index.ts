/** Test doubles for connector tests (`@riffle/core/testing`): drive Sink V2 writers and committers by hand. */
export { TestingCommitRequest, testingSinkInitContext, testingWriterContext, type TestingCommitOutcome } from './sink-testing.js';
