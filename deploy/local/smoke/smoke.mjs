#!/usr/bin/env node
// Smoke test for the local Kafka (kafkajs 2.2.4) and Apicurio Registry
// (@kafkajs/confluent-schema-registry via the Confluent-compatible API).
//
// Usage: node smoke.mjs [all|kafka|registry]
// Env:   MOSY_KAFKA_BROKERS          (default 127.0.0.1:9092)
//        MOSY_SCHEMA_REGISTRY_URL    (default http://127.0.0.1:8081/apis/ccompat/v7)
//
// Exits non-zero on the first failed check; prints one line per check.
// kafkajs is CommonJS: only some names are detected as ESM named exports (not ConfigResourceTypes).
import kafkajs from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes } = kafkajs;

const BROKERS = (process.env.MOSY_KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const REGISTRY = process.env.MOSY_SCHEMA_REGISTRY_URL || 'http://127.0.0.1:8081/apis/ccompat/v7';
const what = process.argv[2] || 'all';

let failures = 0;
let passes = 0;

function ok(msg) {
  passes += 1;
  console.log(`ok   ${msg}`);
}

function fail(msg, err) {
  failures += 1;
  console.log(`FAIL ${msg}: ${err && err.stack ? err.stack : err}`);
}

async function check(name, fn) {
  try {
    const r = await fn();
    ok(r ? `${name} (${r})` : name);
    return true;
  } catch (err) {
    fail(name, err);
    return false;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

function withTimeout(promise, ms, label) {
  let t;
  const timeout = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}

async function kafkaSmoke() {
  const kafka = new Kafka({
    clientId: 'mosy-smoke',
    brokers: BROKERS,
    logLevel: logLevel.WARN,
    retry: { retries: 5 },
  });
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const topic = `mosy-smoke-${suffix}`;
  const groupId = `mosy-smoke-group-${suffix}`;
  const partitions = 4;
  const perPartition = 25;
  const total = partitions * perPartition;

  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });

  try {
    if (!(await check('kafka admin connect', () => admin.connect()))) return;

    await check('kafka admin describeCluster', async () => {
      const c = await admin.describeCluster();
      assert(c.brokers.length >= 1, 'at least one broker');
      return `brokers=${c.brokers.map((b) => `${b.host}:${b.port}`).join(',')} controller=${c.controller}`;
    });

    if (
      !(await check(`kafka admin createTopics numPartitions=${partitions}`, async () => {
        const created = await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        });
        assert(created === true, `createTopics returned ${created}`);
        const md = await admin.fetchTopicMetadata({ topics: [topic] });
        const n = md.topics[0].partitions.length;
        assert(n === partitions, `expected ${partitions} partitions, got ${n}`);
        return `topic=${topic}`;
      }))
    ) {
      return;
    }

    await check('kafka admin listTopics', async () => {
      const topics = await admin.listTopics();
      assert(topics.includes(topic), 'created topic listed');
    });

    if (!(await check('kafka producer connect (idempotent: true)', () => producer.connect()))) return;

    await check(`kafka producer send acks=-1 (${total} messages, gzip batch)`, async () => {
      const messages = [];
      for (let p = 0; p < partitions; p += 1) {
        for (let i = 0; i < perPartition; i += 1) {
          messages.push({
            partition: p,
            key: `k-${p}-${i}`,
            value: JSON.stringify({ p, i }),
            headers: { h: 'v' },
          });
        }
      }
      // Half uncompressed via sendBatch, half gzip via send, both with acks: -1.
      const half = messages.length / 2;
      const r1 = await producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: messages.slice(0, half) }],
      });
      const r2 = await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: messages.slice(half),
      });
      assert(r1.length > 0 && r2.length > 0, 'record metadata returned');
      const errs = [...r1, ...r2].filter((m) => m.errorCode !== 0);
      assert(errs.length === 0, `producer error codes ${JSON.stringify(errs)}`);
    });

    await check('kafka admin fetchTopicOffsets', async () => {
      const offs = await admin.fetchTopicOffsets(topic);
      const sum = offs.reduce((acc, o) => acc + Number(o.high), 0);
      assert(offs.length === partitions, `offsets for ${offs.length} partitions`);
      assert(sum === total, `high watermarks sum ${sum} != ${total}`);
      return `high=${offs.map((o) => o.high).join(',')}`;
    });

    if (
      !(await check('kafka consumer connect + subscribe', async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
      }))
    )
      return;

    await check(`kafka consumer run eachBatch + commitOffsets (${total} messages)`, async () => {
      let seen = 0;
      let resolveDone;
      const done = new Promise((resolve) => {
        resolveDone = resolve;
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            seen += 1;
            resolveOffset(message.offset);
          }
          await consumer.commitOffsets([
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: String(Number(batch.lastOffset()) + 1),
            },
          ]);
          await heartbeat();
          if (seen >= total) resolveDone();
        },
      });
      await withTimeout(done, 60000, 'consume all messages');
      assert(seen === total, `consumed ${seen} != ${total}`);
    });

    await check('kafka admin fetchOffsets (committed == high watermark)', async () => {
      const high = await admin.fetchTopicOffsets(topic);
      const res = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = res[0].partitions;
      for (const h of high) {
        const c = committed.find((x) => x.partition === h.partition);
        assert(
          c && c.offset === h.high,
          `partition ${h.partition}: committed ${c && c.offset} != high ${h.high}`,
        );
      }
      return `committed=${committed.map((c) => c.offset).join(',')}`;
    });

    await check('kafka admin describeGroups', async () => {
      const g = await admin.describeGroups([groupId]);
      return `state=${g.groups[0].state}`;
    });

    await consumer.disconnect();

    await check('kafka transactional producer (send + sendOffsets + commit)', async () => {
      const tp = kafka.producer({
        transactionalId: `mosy-smoke-tx-${suffix}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await tp.connect();
      try {
        const tx = await tp.transaction();
        await tx.send({ topic, acks: -1, messages: [{ partition: 0, value: 'tx' }] });
        await tx.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition: 0, offset: String(perPartition) }] }],
        });
        await tx.commit();
      } finally {
        await tp.disconnect();
      }
    });

    await check('kafka admin listGroups', async () => {
      const { groups } = await admin.listGroups();
      assert(
        groups.some((g) => g.groupId === groupId),
        'group listed',
      );
    });

    await check('kafka admin setOffsets + resetOffsets (group inactive)', async () => {
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '5' }] });
      let res = await admin.fetchOffsets({ groupId, topics: [topic] });
      const p1 = res[0].partitions.find((p) => p.partition === 1);
      assert(p1.offset === '5', `partition 1 offset ${p1.offset} after setOffsets`);
      await admin.resetOffsets({ groupId, topic, earliest: true });
      res = await admin.fetchOffsets({ groupId, topics: [topic] });
      return `after reset: ${res[0].partitions.map((p) => p.offset).join(',')}`;
    });

    await check('kafka admin fetchTopicOffsetsByTimestamp', async () => {
      const offs = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 3600_000);
      assert(offs.length === partitions, `offsets for ${offs.length} partitions`);
      return offs.map((o) => o.offset).join(',');
    });

    await check('kafka admin describeConfigs + alterConfigs', async () => {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
      });
      const d = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
      });
      const v = d.resources[0].configEntries.find((e) => e.configName === 'retention.ms');
      assert(v && v.configValue === '3600000', `retention.ms=${v && v.configValue}`);
    });

    await check('kafka admin deleteTopicRecords', async () => {
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 2, offset: '10' }] });
      const offs = await admin.fetchTopicOffsets(topic);
      const p2 = offs.find((o) => o.partition === 2);
      assert(p2.low === '10', `partition 2 low watermark ${p2.low}`);
    });

    await check('kafka admin createPartitions (4 -> 6)', async () => {
      await admin.createPartitions({ topicPartitions: [{ topic, count: 6 }] });
      const md = await admin.fetchTopicMetadata({ topics: [topic] });
      assert(md.topics[0].partitions.length === 6, `partitions ${md.topics[0].partitions.length}`);
    });

    await check('kafka admin deleteTopics', async () => {
      await admin.deleteTopics({ topics: [topic], timeout: 10000 });
      // deletion is asynchronous in KRaft; wait until it disappears from listTopics
      for (let i = 0; i < 50; i += 1) {
        const topics = await admin.listTopics();
        if (!topics.includes(topic)) return undefined;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('topic still listed after deleteTopics');
    });

    await check('kafka admin deleteGroups', async () => {
      await admin.deleteGroups([groupId]);
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

async function http(method, path, body) {
  const res = await fetch(`${REGISTRY}${path}`, {
    method,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

async function registrySmoke() {
  const registry = new SchemaRegistry({ host: REGISTRY });
  const subject = 't-value';

  const v1 = {
    type: 'record',
    name: 'SmokeEvent',
    namespace: 'mosy.smoke',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'n', type: 'long' },
    ],
  };
  // BACKWARD-incompatible: new required field without default (new reader cannot read old data).
  const vBad = { ...v1, fields: [...v1.fields, { name: 'required_new', type: 'string' }] };
  // BACKWARD-compatible: new optional field with default null.
  const vGood = { ...v1, fields: [...v1.fields, { name: 'opt', type: ['null', 'string'], default: null }] };

  // Start from a clean subject so the test is repeatable (soft then hard delete).
  await http('DELETE', `/subjects/${subject}`);
  await http('DELETE', `/subjects/${subject}?permanent=true`);

  let id1;
  if (
    !(await check(`registry register Avro schema subject=${subject}`, async () => {
      const r = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
      id1 = r.id;
      assert(Number.isInteger(id1), `id ${id1}`);
      return `id=${id1}`;
    }))
  )
    return;

  await check('registry getLatestSchemaId', async () => {
    const id = await registry.getLatestSchemaId(subject);
    assert(id === id1, `latest id ${id} != ${id1}`);
    return `id=${id}`;
  });

  await check('registry encode/decode record', async () => {
    const payload = { id: 'abc', n: 42 };
    const buf = await registry.encode(id1, payload);
    assert(buf[0] === 0 && buf.readInt32BE(1) === id1, 'confluent wire format header');
    const registry2 = new SchemaRegistry({ host: REGISTRY }); // fresh cache: forces GET /schemas/ids/{id}
    const decoded = await registry2.decode(buf);
    assert(decoded.id === 'abc' && Number(decoded.n) === 42, `decoded ${JSON.stringify(decoded)}`);
    return `${buf.length} bytes`;
  });

  await check('registry PUT /config/t-value {"compatibility":"BACKWARD"}', async () => {
    const r = await http('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
    assert(r.status === 200, `status ${r.status} ${JSON.stringify(r.json)}`);
    const g = await http('GET', `/config/${subject}`);
    const level = g.json && (g.json.compatibilityLevel || g.json.compatibility);
    assert(level === 'BACKWARD', `GET /config/${subject} -> ${g.status} ${JSON.stringify(g.json)}`);
    return `GET -> ${JSON.stringify(g.json)}`;
  });

  await check('registry compatibility check endpoint says incompatible', async () => {
    const r = await http('POST', `/compatibility/subjects/${subject}/versions/latest`, {
      schema: JSON.stringify(vBad),
    });
    assert(r.status === 200 && r.json.is_compatible === false, `${r.status} ${JSON.stringify(r.json)}`);
  });

  await check('registry refuses BACKWARD-incompatible schema (required field, no default)', async () => {
    let err;
    try {
      await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(vBad) }, { subject });
    } catch (e) {
      err = e;
    }
    assert(err, 'incompatible schema was accepted');
    const status = err.status || (err.originalError && err.originalError.status);
    assert(status === 409, `expected HTTP 409, got ${status}: ${err.message}`);
    return `HTTP ${status}: ${err.message}`;
  });

  await check('registry accepts BACKWARD-compatible schema (optional field default null)', async () => {
    const r = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(vGood) }, { subject });
    assert(Number.isInteger(r.id) && r.id !== id1, `id ${r.id}`);
    const versions = await http('GET', `/subjects/${subject}/versions`);
    assert(
      versions.status === 200 && versions.json.length === 2,
      `versions ${JSON.stringify(versions.json)}`,
    );
    return `id=${r.id} versions=${JSON.stringify(versions.json)}`;
  });

  await check('registry delete subject (soft + permanent)', async () => {
    const soft = await http('DELETE', `/subjects/${subject}`);
    assert(soft.status === 200, `soft delete ${soft.status} ${JSON.stringify(soft.json)}`);
    const hard = await http('DELETE', `/subjects/${subject}?permanent=true`);
    assert(hard.status === 200, `permanent delete ${hard.status} ${JSON.stringify(hard.json)}`);
  });
}

const started = Date.now();
if (what === 'all' || what === 'kafka') await kafkaSmoke();
if (what === 'all' || what === 'registry') await registrySmoke();
console.log(`${passes} passed, ${failures} failed`);
console.log(`smoke finished in ${Date.now() - started} ms`);
process.exit(failures === 0 && passes > 0 ? 0 : 1);
