import { describe, expect, it } from 'vitest';
import { KafkaSource } from './kafka-source.js';
import { JsonDeserializationSchema, SimpleStringSchema } from './deserialization.js';
import { OffsetsInitializer } from './offsets-initializer.js';

const base = () => KafkaSource.builder<string>().setBootstrapServers('127.0.0.1:9092').setTopics('t').setValueOnlyDeserializer(new SimpleStringSchema());

describe('KafkaSource.builder', () => {
  it('builds an unbounded source by default and a bounded one with setBounded', () => {
    expect(base().build().getBoundedness()).toBe('CONTINUOUS_UNBOUNDED');
    const bounded = base().setBounded(OffsetsInitializer.latest()).build();
    expect(bounded.getBoundedness()).toBe('BOUNDED');
    expect(bounded.config.stoppingOffsets).toEqual({ kind: 'latest' });
    expect(bounded.config.startingOffsets).toEqual({ kind: 'earliest' });
  });

  it('names the missing or bad option in build()', () => {
    expect(() => KafkaSource.builder().setTopics('t').setValueOnlyDeserializer(new JsonDeserializationSchema()).build()).toThrow(/setBootstrapServers/);
    expect(() => KafkaSource.builder().setBootstrapServers('localhost').setTopics('t').build()).toThrow(/'localhost' is not host:port/);
    expect(() => KafkaSource.builder().setBootstrapServers('h:1').setValueOnlyDeserializer(new SimpleStringSchema()).build()).toThrow(/setTopics or setTopicPattern/);
    expect(() => KafkaSource.builder().setBootstrapServers('h:1').setTopics('t').build()).toThrow(/setValueOnlyDeserializer or setDeserializer/);
    expect(() => base().setTopicPattern(/x/).build()).toThrow(/either setTopics or setTopicPattern/);
    expect(() => KafkaSource.builder<string>().setBootstrapServers('h:1').setTopics('bad topic').setValueOnlyDeserializer(new SimpleStringSchema()).build()).toThrow(/'bad topic' is not a valid topic name/);
    expect(() => base().setStartingOffsets(OffsetsInitializer.committedOffsets()).build()).toThrow(/committedOffsets\(\)\) needs setGroupId/);
    expect(() => base().setProperty('bogus.option', 1).build()).toThrow(/unknown property 'bogus.option'/);
    expect(() => base().setProperty('request.timeout.ms', 'soon').build()).toThrow(/'request.timeout.ms' must be a positive integer/);
    expect(() => base().setBounded(OffsetsInitializer.earliest()).build()).toThrow(/setBounded\(OffsetsInitializer.earliest\(\)\)/);
    expect(() => OffsetsInitializer.offsets(new Map([['t-0', -1]]))).toThrow(/offset of t-0 must be a non-negative integer/);
  });

  it('keeps client properties and turns discovery off for bounded sources', () => {
    const s = base().setProperty('client.id', 'me').setGroupId('g').setPartitionDiscoveryInterval(1000).build();
    expect(s.config.client.properties).toEqual({ 'client.id': 'me' });
    expect(s.config.partitionDiscoveryIntervalMs).toBe(1000);
    expect(s.config.commitOffsetsOnCheckpoint).toBe(true);
    const b = base().setPartitionDiscoveryInterval(1000).setBounded(OffsetsInitializer.latest()).build();
    expect(b.config.partitionDiscoveryIntervalMs).toBe(-1);
    expect(b.config.client.bootstrapServers).toEqual(['127.0.0.1:9092']);
  });
});
