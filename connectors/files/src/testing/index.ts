export { SourceTestDriver, type SourceTestDriverOptions } from './source-test-driver.js';
