import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as BuildInterfaces from 'azure-devops-node-api/interfaces/BuildInterfaces';
import * as ReleaseInterfaces from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { fromBase64url, toBase64url } from '../../src/annotations/base64url';
import { sha256Hex } from '../../src/annotations/sha256';
import { tagText } from '../../src/annotations/tag-text';
import { gateMarks, parseGateMark } from '../../src/gate/gate-marks';
import { gatePropertyName } from '../../src/gate/gate-record';
import { ledgerPropertyName, readRollbackMark, rollbackMarks } from '../../src/rollback/ledger-marks';
import * as wire from '../../src/runs/wire-enums';
import { allButPullRequests } from '../../src/runs/match-mode';
import { readWaitRecordFromTags, waitRecordTags, endedWaitTag } from '../../src/waits/wait-tags';
import type { WaitRecord } from '../../src/waits/wait-record';

/**
 * The mark and record readers the train view shares with the tasks, made safe for a browser: SHA-256 and base64url
 * written without node:crypto and Buffer must give exactly what those gave (the names of properties already on runs,
 * the wait tags already on releases), and the enum tables must be node-api's numbers.
 */
const texts = [
  '',
  'a',
  'abc',
  'prod\u00002.3.0',
  '3f2a9c1e5b7d4f60a8e2c9b1d3f5a7c9e1b3d5f7',
  'ünïcode ✓ 列车 🚂',
  '\u{1F600}\u{1F680}',
  'x'.repeat(55),
  'x'.repeat(56),
  'x'.repeat(63),
  'x'.repeat(64),
  'x'.repeat(65),
  'é'.repeat(500),
  'lockstep:<script>alert(1)</script>',
];

describe('the shared readers, without node:crypto or Buffer', () => {
  it('computes SHA-256 of a string exactly as node:crypto does, for block edges, multi-byte UTF-8 and random text', () => {
    const random = Array.from({ length: 200 }, (_, i) => randomBytes(i * 3).toString('latin1') + String.fromCodePoint(0x80 + i * 997));
    for (const text of [...texts, ...random]) assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'), JSON.stringify(text));
  });

  it('names gate records and the rollback ledger as before (the sha256 of node:crypto)', () => {
    assert.equal(gatePropertyName('prod', '2.3.0'), `Lockstep.Gate.${createHash('sha256').update('prod\u00002.3.0').digest('hex').slice(0, 20)}`);
    assert.equal(ledgerPropertyName('2.3.0'), `Lockstep.Rollback.${createHash('sha256').update('2.3.0').digest('hex').slice(0, 20)}`);
  });

  it('encodes base64url as Buffer does and reads back what Buffer wrote, UTF-8 included', () => {
    const random = Array.from({ length: 200 }, (_, i) => randomBytes(i).toString('utf8'));
    for (const text of [...texts, ...random]) {
      assert.equal(toBase64url(text), Buffer.from(text, 'utf8').toString('base64url'), JSON.stringify(text));
      assert.equal(fromBase64url(Buffer.from(text, 'utf8').toString('base64url')), text);
    }
    for (const odd of ['A', 'AB', 'ABC', 'AB==', 'A+/_-B', '!!QUJD', '_-_-']) assert.equal(fromBase64url(odd), Buffer.from(odd, 'base64url').toString('utf8'), odd);
  });

  it('reads a wait record from release tags written as before, and one that says how it ended', () => {
    const record: WaitRecord = { task: 'WaitForDependency', kind: 'release', project: 'Shop', definitionId: 3, definitionName: 'Légacy Wéb', stage: 'Production', since: '2026-03-02T09:00:00.000Z', waitsFor: [{ label: 'api@Prod', kind: 'yaml', project: 'Shop', definitionId: 11, definitionName: 'api', stage: 'Prod' }] };
    const before = Buffer.from(JSON.stringify(record), 'utf8').toString('base64url');
    assert.deepEqual(waitRecordTags(record).map((t) => t.split('.').slice(4).join('.')).join(''), before);
    assert.deepEqual(readWaitRecordFromTags(waitRecordTags(record)), record);
    const ended = endedWaitTag({ ...record, ended: { at: '2026-03-02T09:05:00.000Z', outcome: 'met' } });
    assert.match(ended, /^lockstep\.waiting\.ended\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(readWaitRecordFromTags([...waitRecordTags(record), ended])?.ended, { at: '2026-03-02T09:05:00.000Z', outcome: 'met' });
    const other = endedWaitTag({ ...record, since: '2026-03-01T00:00:00.000Z', ended: { at: '2026-03-01T00:01:00.000Z', outcome: 'failed' } });
    assert.equal(readWaitRecordFromTags([...waitRecordTags(record), other])?.ended, undefined, 'an ended tag of an earlier wait says nothing of this one');
  });

  it('compares the enum numbers node-api uses, each to its name', () => {
    const tables: Array<[Record<number, string>, Record<string, string | number>]> = [
      [wire.BuildStatus, BuildInterfaces.BuildStatus],
      [wire.BuildResult, BuildInterfaces.BuildResult],
      [wire.TaskResult, BuildInterfaces.TaskResult],
      [wire.TimelineRecordState, BuildInterfaces.TimelineRecordState],
      [wire.EnvironmentStatus, ReleaseInterfaces.EnvironmentStatus],
      [wire.ReleaseStatus, ReleaseInterfaces.ReleaseStatus],
    ];
    for (const [ours, theirs] of tables) {
      const names = Object.entries(theirs).filter(([, v]) => typeof v === 'number');
      assert.deepEqual(Object.fromEntries(names.map(([name, value]) => [value, name])), { ...ours });
    }
    for (const [name, value] of Object.entries(wire.BuildReasonFlags)) assert.equal(value, BuildInterfaces.BuildReason[(name.charAt(0).toUpperCase() + name.slice(1)) as keyof typeof BuildInterfaces.BuildReason], name);
    assert.equal(allButPullRequests, BuildInterfaces.BuildReason.All & ~BuildInterfaces.BuildReason.PullRequest);
    assert.equal(wire.activeReleaseStatus, ReleaseInterfaces.ReleaseStatus.Active);
  });

  it('finds any gate mark and rollback mark among tags, whatever the gate and train, in both spellings', () => {
    const awkward = 'release/2.3 #4?.';
    for (const [gate, train] of [['prod', '2.3.0'], [awkward, 'ünï:@']]) {
      const build = gateMarks(gate, train);
      assert.deepEqual(parseGateMark(build.arrived, 'build'), { tag: build.arrived, gate, train, open: false });
      assert.deepEqual(parseGateMark(build.open, 'build'), { tag: build.open, gate, train, open: true });
      const release = gateMarks(gate, train, { kind: 'release', environment: 'Pro:d', attempt: 2 });
      assert.deepEqual(parseGateMark(release.open, 'release'), { tag: release.open, gate, train, open: true, environment: 'Pro:d', attempt: 2 });
      for (const on of ['build', 'release'] as const) {
        const marks = rollbackMarks(train, on);
        assert.deepEqual(readRollbackMark(marks.claim), { mark: 'claim', train });
        assert.deepEqual(readRollbackMark(marks.lead), { mark: 'lead', train });
        assert.equal(parseGateMark(marks.claim, on), undefined, 'a rollback mark is no gate');
        assert.equal(parseGateMark(marks.releaseRolledBack('Prod', 1), 'release'), undefined);
      }
    }
    assert.equal(readRollbackMark(`lockstep:${tagText('x')}@y`), undefined);
    assert.equal(parseGateMark('release', 'build'), undefined);
  });
});
