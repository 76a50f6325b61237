/** The sink test doubles live in `@riffle/core/testing`; re-exported here for existing imports. */
export { TestingCommitRequest, testingSinkInitContext, testingWriterContext } from '@riffle/core/testing';
