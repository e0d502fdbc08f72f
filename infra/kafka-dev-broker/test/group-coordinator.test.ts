/** The consumer-group state machine of spec §9, driven directly (no sockets), with short timers. */
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator, type OffsetsSnapshot } from '../src/group-coordinator.js';
import type { JoinGroupRequestV2 } from '../src/protocol/join-group/v2/request.js';
import type { JoinGroupResponseV2 } from '../src/protocol/join-group/v2/response.js';

const coordinators: GroupCoordinator[] = [];
function coordinator(opts: Partial<ConstructorParameters<typeof GroupCoordinator>[0]> = {}) {
  const c = new GroupCoordinator({
    initialRebalanceDelayMs: 0,
    sessionCheckIntervalMs: 20,
    partitionExists: (topic) => topic !== 'missing',
    ...opts,
  });
  coordinators.push(c);
  return c;
}
afterEach(() => {
  for (const c of coordinators.splice(0)) c.close();
});

function join(
  c: GroupCoordinator,
  memberId = '',
  extra: Partial<JoinGroupRequestV2> = {},
): Promise<JoinGroupResponseV2> {
  return c.joinGroup(
    {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId,
      protocolType: 'consumer',
      protocols: [
        { name: 'range', metadata: Buffer.from(`range-${memberId}`) },
        { name: 'roundrobin', metadata: Buffer.from('rr') },
      ],
      ...extra,
    },
    'client',
  );
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('GroupCoordinator', () => {
  it('a single member: JoinGroup → leader of generation 1 → SyncGroup → Stable; heartbeats succeed', async () => {
    const c = coordinator();
    const j = await join(c);
    expect(j).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(j.memberId).toMatch(/^client-/);
    expect(j.leader).toBe(j.memberId);
    expect(j.members.map((m) => m.memberId)).toEqual([j.memberId]);
    expect(c.describeGroup('g')?.state).toBe('CompletingRebalance');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: j.memberId })).toBe(0);
    const s = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: j.memberId,
      assignments: [{ memberId: j.memberId, assignment: Buffer.from('all') }],
    });
    expect(s).toEqual({ throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from('all') });
    expect(c.describeGroup('g')?.state).toBe('Stable');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: j.memberId })).toBe(0);
    expect(c.heartbeat({ groupId: 'g', generationId: 0, memberId: j.memberId })).toBe(22);
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: 'who' })).toBe(25);
    expect(c.heartbeat({ groupId: 'other', generationId: 1, memberId: j.memberId })).toBe(25);
  });

  it('a second member triggers a rebalance: heartbeat 27, rejoin, generation 2 with both, follower waits for leader', async () => {
    const c = coordinator();
    const a1 = await join(c);
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a1.memberId, assignments: [] });
    const bJoin = join(c);
    await settle();
    expect(c.describeGroup('g')?.state).toBe('PreparingRebalance');
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: a1.memberId })).toBe(27);
    const a2 = await join(c, a1.memberId);
    const b = await bJoin;
    expect(a2).toMatchObject({ errorCode: 0, generationId: 2, leader: a1.memberId });
    expect(a2.members.map((m) => m.memberId)).toEqual([a1.memberId, b.memberId]);
    expect(b).toMatchObject({ errorCode: 0, generationId: 2, leader: a1.memberId, members: [] });

    // The follower's SyncGroup waits until the leader's arrives.
    let followerDone = false;
    const bSync = c
      .syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId, assignments: [] })
      .then((r) => {
        followerDone = true;
        return r;
      });
    await settle();
    expect(followerDone).toBe(false);
    const aSync = await c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a1.memberId,
      assignments: [
        { memberId: a1.memberId, assignment: Buffer.from('A') },
        { memberId: b.memberId, assignment: Buffer.from('B') },
      ],
    });
    expect(aSync.assignment.toString()).toBe('A');
    expect((await bSync).assignment.toString()).toBe('B');
    // A late SyncGroup in Stable gets the stored assignment at once.
    expect(
      (
        await c.syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId, assignments: [] })
      ).assignment.toString(),
    ).toBe('B');
  });

  it('the initial delay gathers members that start together into one generation', async () => {
    const c = coordinator({ initialRebalanceDelayMs: 100 });
    const t0 = Date.now();
    const a = join(c);
    await new Promise((r) => setTimeout(r, 60));
    const b = join(c);
    const [ja, jb] = await Promise.all([a, b]);
    expect(ja.generationId).toBe(1);
    expect(jb.generationId).toBe(1);
    expect(ja.members.length + jb.members.length).toBe(2);
    // The second member extended the delay past the first 100 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('rejects unknown member ids, empty group ids and incompatible protocols', async () => {
    const c = coordinator();
    expect((await join(c, 'ghost')).errorCode).toBe(25);
    expect((await join(c, '', { groupId: '' })).errorCode).toBe(24);
    const a = await join(c);
    expect(a.errorCode).toBe(0);
    expect(
      (await join(c, '', { protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.alloc(0) }] }))
        .errorCode,
    ).toBe(23);
    expect((await join(c, '', { protocolType: 'connect' })).errorCode).toBe(23);
  });

  it('members that do not rejoin within the rebalance timeout are removed', async () => {
    const c = coordinator();
    const a = await join(c, '', { rebalanceTimeoutMs: 150 });
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    const t0 = Date.now();
    const b = await join(c, '', { rebalanceTimeoutMs: 150 }); // a never rejoins
    expect(Date.now() - t0).toBeGreaterThanOrEqual(120);
    expect(b).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId });
    expect(c.describeGroup('g')?.members).toEqual([b.memberId]);
    expect(c.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId })).toBe(25);
  });

  it('a member whose session expires is removed and the rest rebalance', async () => {
    const c = coordinator();
    const a = await join(c, '', { sessionTimeoutMs: 100 });
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
  });

  it('LeaveGroup: the remaining member is told to rejoin, the leaver gets 25 afterwards', async () => {
    const c = coordinator({ initialRebalanceDelayMs: 30 });
    const [a, b] = await Promise.all([join(c), join(c)]);
    await Promise.all([
      c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] }),
      c.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, assignments: [] }),
    ]);
    expect(c.leaveGroup({ groupId: 'g', memberId: a.memberId })).toBe(0);
    expect(c.leaveGroup({ groupId: 'g', memberId: a.memberId })).toBe(25);
    expect(c.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId })).toBe(27);
    const b2 = await join(c, b.memberId);
    expect(b2).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId });
    expect(c.leaveGroup({ groupId: 'g', memberId: b.memberId })).toBe(0);
    expect(c.describeGroup('g')?.state).toBe('Empty');
  });

  it('a new rebalance cuts off parked SyncGroups with 27', async () => {
    const c = coordinator({ initialRebalanceDelayMs: 30 });
    const [a, b] = await Promise.all([join(c), join(c)]);
    const follower = a.leader === a.memberId ? b : a;
    const parked = c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: follower.memberId,
      assignments: [],
    });
    void join(c); // a third member arrives before the leader synced
    expect((await parked).errorCode).toBe(27);
  });

  it('OffsetCommit follows the generation rules; OffsetFetch returns -1 for nothing committed', async () => {
    const c = coordinator();
    const commit = (generationId: number, memberId: string, offset = 5) =>
      c.commitOffsets({
        groupId: 'g',
        generationId,
        memberId,
        retentionTimeMs: -1,
        topics: [
          { name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: 'm' }] },
        ],
      })[0].partitions[0].errorCode;
    // Simple commit to an empty group.
    expect(commit(-1, '')).toBe(0);
    const a = await join(c);
    expect(commit(-1, '')).toBe(25); // group now has members
    expect(commit(1, a.memberId)).toBe(27); // CompletingRebalance
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    expect(commit(1, a.memberId, 9)).toBe(0);
    expect(commit(0, a.memberId)).toBe(22);
    expect(commit(1, 'ghost')).toBe(25);
    // PreparingRebalance: commits are still accepted.
    void join(c);
    await settle();
    expect(c.describeGroup('g')?.state).toBe('PreparingRebalance');
    expect(commit(1, a.memberId, 10)).toBe(0);
    // Unknown topic.
    expect(
      c.commitOffsets({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        retentionTimeMs: -1,
        topics: [
          {
            name: 'missing',
            partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }],
          },
        ],
      })[0].partitions[0].errorCode,
    ).toBe(3);

    expect(c.fetchOffsets({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] })).toEqual([
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: 10, metadata: 'm', errorCode: 0 },
          { partitionIndex: 1, committedOffset: -1, metadata: '', errorCode: 0 },
        ],
      },
    ]);
    expect(c.fetchOffsets({ groupId: 'g', topics: null })).toEqual([
      { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 10, metadata: 'm', errorCode: 0 }] },
    ]);
    expect(
      c.fetchOffsets({ groupId: 'nobody', topics: [{ name: 't', partitionIndexes: [0] }] })[0].partitions[0],
    ).toEqual({ partitionIndex: 0, committedOffset: -1, metadata: '', errorCode: 0 });
  });

  it('persists committed offsets through the snapshot callback and starts from a snapshot', () => {
    let saved: OffsetsSnapshot | undefined;
    const c = coordinator({ onOffsetsCommitted: (s) => (saved = s) });
    c.commitOffsets({
      groupId: 'g2',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 3, committedOffset: 42, committedMetadata: null }] },
      ],
    });
    expect(saved).toEqual({ g2: { t: { '3': { offset: 42, metadata: null } } } });
    const restored = coordinator({ initialOffsets: saved });
    expect(restored.fetchOffsets({ groupId: 'g2', topics: null })[0].partitions[0].committedOffset).toBe(42);
  });

  it('close() answers parked JoinGroups', async () => {
    const c = coordinator({ initialRebalanceDelayMs: 10_000 });
    const pending = join(c);
    c.close();
    expect((await pending).errorCode).toBe(15);
  });
});
