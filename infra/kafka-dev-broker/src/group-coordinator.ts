/**
 * Consumer-group coordinator for a single-node broker (spec §9): the JoinGroup / SyncGroup / Heartbeat /
 * LeaveGroup state machine and committed offsets (OffsetCommit / OffsetFetch).
 *
 * States: Empty → PreparingRebalance → CompletingRebalance → Stable, back to PreparingRebalance whenever a
 * member joins, leaves or times out.
 */

import { randomUUID } from 'node:crypto';
import { ErrorCode } from './protocol/error-codes.js';
import type { HeartbeatRequestV1 } from './protocol/heartbeat/v1/request.js';
import type { JoinGroupProtocol, JoinGroupRequestV2 } from './protocol/join-group/v2/request.js';
import type { JoinGroupResponseV2 } from './protocol/join-group/v2/response.js';
import type { LeaveGroupRequestV1 } from './protocol/leave-group/v1/request.js';
import type { OffsetCommitRequestV3 } from './protocol/offset-commit/v3/request.js';
import type { OffsetCommitTopicResponse } from './protocol/offset-commit/v3/response.js';
import type { OffsetFetchRequestV3 } from './protocol/offset-fetch/v3/request.js';
import type { OffsetFetchTopicResponse } from './protocol/offset-fetch/v3/response.js';
import type { SyncGroupRequestV1 } from './protocol/sync-group/v1/request.js';
import type { SyncGroupResponseV1 } from './protocol/sync-group/v1/response.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

interface Member {
  memberId: string;
  clientId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: JoinGroupProtocol[];
  assignment: Buffer;
  lastHeard: number;
  pendingJoin: ((res: JoinGroupResponseV2) => void) | null;
  pendingSync: ((res: SyncGroupResponseV1) => void) | null;
}

class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Insertion order = join order. */
  readonly members = new Map<string, Member>();
  rebalanceTimer: NodeJS.Timeout | null = null;
  delayTimer: NodeJS.Timeout | null = null;
  /** While the initial rebalance delay of a new group runs, the join phase cannot complete before this. */
  delayUntil = 0;
  rebalanceDeadline = 0;

  constructor(readonly groupId: string) {}
}

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/** group → topic → partition → committed offset (JSON-friendly, for persistence). */
export type OffsetsSnapshot = Record<string, Record<string, Record<string, CommittedOffset>>>;

export interface GroupCoordinatorOptions {
  /**
   * How long a new (empty) group waits for more members before completing its first join phase; each new
   * member arriving in that window extends it again, up to the rebalance timeout (Kafka's
   * `group.initial.rebalance.delay.ms`, default 3000 there). Default 500.
   */
  initialRebalanceDelayMs?: number;
  /** How often member sessions are checked. Default 500 ms. */
  sessionCheckIntervalMs?: number;
  /** Whether OffsetCommit may name this partition. */
  partitionExists: (topic: string, partition: number) => boolean;
  /** Committed offsets to start with (from a data folder). */
  initialOffsets?: OffsetsSnapshot;
  /** Called after every successful commit with the full snapshot (to persist it). */
  onOffsetsCommitted?: (snapshot: OffsetsSnapshot) => void;
  log?: (message: string) => void;
  now?: () => number;
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly offsets = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private readonly initialDelayMs: number;
  private readonly sessionTimer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private closed = false;

  constructor(private readonly options: GroupCoordinatorOptions) {
    this.initialDelayMs = options.initialRebalanceDelayMs ?? 500;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    for (const [groupId, topics] of Object.entries(options.initialOffsets ?? {})) {
      for (const [topic, partitions] of Object.entries(topics)) {
        for (const [p, committed] of Object.entries(partitions)) {
          this.storeOffset(groupId, topic, Number(p), committed);
        }
      }
    }
    this.sessionTimer = setInterval(() => this.expireSessions(), options.sessionCheckIntervalMs ?? 500);
    this.sessionTimer.unref();
  }

  /** Current state of a group, for tests and debugging. */
  describeGroup(groupId: string):
    | {
        state: GroupState;
        generationId: number;
        protocolName: string | null;
        leaderId: string | null;
        members: string[];
      }
    | undefined {
    const g = this.groups.get(groupId);
    if (g === undefined) return undefined;
    return {
      state: g.state,
      generationId: g.generationId,
      protocolName: g.protocolName,
      leaderId: g.leaderId,
      members: [...g.members.keys()],
    };
  }

  // ---------------------------------------------------------------- JoinGroup

  joinGroup(req: JoinGroupRequestV2, clientId: string | null): Promise<JoinGroupResponseV2> {
    const fail = (errorCode: number): Promise<JoinGroupResponseV2> =>
      Promise.resolve({
        throttleTimeMs: 0,
        errorCode,
        generationId: -1,
        protocolName: '',
        leader: '',
        memberId: req.memberId,
        members: [],
      });
    if (this.closed) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    if (req.protocols.length === 0 || req.protocolType === '')
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    let group = this.groups.get(req.groupId);
    if (group === undefined) {
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    const existing = req.memberId === '' ? undefined : group.members.get(req.memberId);
    if (req.memberId !== '' && existing === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID);

    // Protocol compatibility with the other members.
    const others = [...group.members.values()].filter((m) => m.memberId !== req.memberId);
    if (others.length > 0) {
      if (group.protocolType !== req.protocolType) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      const shared = req.protocols.some((p) =>
        others.every((m) => m.protocols.some((q) => q.name === p.name)),
      );
      if (!shared) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }

    const g = group;
    return new Promise<JoinGroupResponseV2>((resolve) => {
      let member = existing;
      const isNew = member === undefined;
      if (member === undefined) {
        member = {
          memberId: `${clientId ?? 'member'}-${randomUUID()}`,
          clientId: clientId ?? '',
          sessionTimeoutMs: req.sessionTimeoutMs,
          rebalanceTimeoutMs: req.rebalanceTimeoutMs,
          protocols: req.protocols,
          assignment: EMPTY,
          lastHeard: this.now(),
          pendingJoin: null,
          pendingSync: null,
        };
        g.members.set(member.memberId, member);
      } else {
        member.sessionTimeoutMs = req.sessionTimeoutMs;
        member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
        member.protocols = req.protocols;
        member.lastHeard = this.now();
        // A second JoinGroup from the same member replaces the first, which is told to rejoin.
        member.pendingJoin?.(this.joinError(g, member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
      }
      g.protocolType = req.protocolType;
      member.pendingJoin = resolve;

      if (g.state !== 'PreparingRebalance') {
        this.startRebalance(g, `member ${member.memberId} joined`);
      } else if (isNew && g.delayUntil > 0) {
        // Initial delay of a new group: each new member buys another delay, up to the rebalance deadline.
        this.scheduleDelay(g, Math.min(this.now() + this.initialDelayMs, g.rebalanceDeadline));
      }
      this.tryCompleteJoin(g);
    });
  }

  private joinError(g: Group, memberId: string, errorCode: number): JoinGroupResponseV2 {
    return {
      throttleTimeMs: 0,
      errorCode,
      generationId: errorCode === ErrorCode.NONE ? g.generationId : -1,
      protocolName: '',
      leader: '',
      memberId,
      members: [],
    };
  }

  private startRebalance(g: Group, reason: string): void {
    this.log(`group ${g.groupId}: rebalance (${reason}), state ${g.state}, generation ${g.generationId}`);
    const wasEmpty = g.state === 'Empty';
    // SyncGroups waiting for the leader are cut off: those members must rejoin.
    for (const m of g.members.values()) {
      if (m.pendingSync !== null) {
        const reply = m.pendingSync;
        m.pendingSync = null;
        reply({ throttleTimeMs: 0, errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    g.state = 'PreparingRebalance';
    const timeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    g.rebalanceDeadline = this.now() + timeout;
    this.clearTimers(g);
    g.rebalanceTimer = setTimeout(() => this.onRebalanceTimeout(g), timeout);
    g.rebalanceTimer.unref();
    if (wasEmpty && this.initialDelayMs > 0) {
      this.scheduleDelay(g, Math.min(this.now() + this.initialDelayMs, g.rebalanceDeadline));
    }
  }

  private scheduleDelay(g: Group, until: number): void {
    g.delayUntil = until;
    if (g.delayTimer !== null) clearTimeout(g.delayTimer);
    g.delayTimer = setTimeout(
      () => {
        g.delayTimer = null;
        g.delayUntil = 0;
        this.tryCompleteJoin(g);
      },
      Math.max(0, until - this.now()),
    );
    g.delayTimer.unref();
  }

  private clearTimers(g: Group): void {
    if (g.rebalanceTimer !== null) clearTimeout(g.rebalanceTimer);
    if (g.delayTimer !== null) clearTimeout(g.delayTimer);
    g.rebalanceTimer = null;
    g.delayTimer = null;
    g.delayUntil = 0;
  }

  private tryCompleteJoin(g: Group): void {
    if (g.state !== 'PreparingRebalance' || g.delayUntil > 0) return;
    for (const m of g.members.values()) if (m.pendingJoin === null) return;
    this.completeJoin(g);
  }

  private onRebalanceTimeout(g: Group): void {
    g.rebalanceTimer = null;
    if (g.state !== 'PreparingRebalance') return;
    for (const m of [...g.members.values()]) {
      if (m.pendingJoin === null) {
        this.log(`group ${g.groupId}: member ${m.memberId} did not rejoin in time, removed`);
        g.members.delete(m.memberId);
      }
    }
    this.completeJoin(g);
  }

  private completeJoin(g: Group): void {
    this.clearTimers(g);
    if (g.members.size === 0) {
      this.becomeEmpty(g);
      return;
    }
    g.generationId += 1;
    const members = [...g.members.values()];
    const leader = (g.leaderId !== null ? g.members.get(g.leaderId) : undefined) ?? members[0];
    g.leaderId = leader.memberId;
    const common = leader.protocols.find((p) =>
      members.every((m) => m.protocols.some((q) => q.name === p.name)),
    );
    g.protocolName = common?.name ?? leader.protocols[0].name;
    g.state = 'CompletingRebalance';
    this.log(
      `group ${g.groupId}: generation ${g.generationId}, leader ${g.leaderId}, ${members.length} member(s)`,
    );
    const memberList = members.map((m) => ({
      memberId: m.memberId,
      metadata: m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? EMPTY,
    }));
    const now = this.now();
    for (const m of members) {
      const reply = m.pendingJoin;
      m.pendingJoin = null;
      m.lastHeard = now;
      m.assignment = EMPTY;
      reply?.({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        generationId: g.generationId,
        protocolName: g.protocolName,
        leader: g.leaderId,
        memberId: m.memberId,
        members: m.memberId === g.leaderId ? memberList : [],
      });
    }
  }

  private becomeEmpty(g: Group): void {
    this.clearTimers(g);
    if (g.state !== 'Empty') g.generationId += 1;
    g.state = 'Empty';
    g.leaderId = null;
    g.protocolName = null;
    g.protocolType = null;
  }

  private removeMember(g: Group, m: Member, reason: string): void {
    this.log(`group ${g.groupId}: member ${m.memberId} removed (${reason})`);
    g.members.delete(m.memberId);
    m.pendingJoin?.(this.joinError(g, m.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    m.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    m.pendingJoin = null;
    m.pendingSync = null;
    if (g.leaderId === m.memberId) g.leaderId = null;
    if (g.members.size === 0) {
      this.becomeEmpty(g);
    } else if (g.state === 'PreparingRebalance') {
      this.tryCompleteJoin(g);
    } else {
      this.startRebalance(g, reason);
    }
  }

  private expireSessions(): void {
    const now = this.now();
    for (const g of this.groups.values()) {
      for (const m of [...g.members.values()]) {
        if (m.pendingJoin === null && now - m.lastHeard > m.sessionTimeoutMs) {
          this.removeMember(g, m, `session timeout ${m.sessionTimeoutMs} ms`);
        }
      }
    }
  }

  // ---------------------------------------------------------------- SyncGroup / Heartbeat / LeaveGroup

  syncGroup(req: SyncGroupRequestV1): Promise<SyncGroupResponseV1> {
    const reply = (errorCode: number, assignment: Buffer = EMPTY): Promise<SyncGroupResponseV1> =>
      Promise.resolve({ throttleTimeMs: 0, errorCode, assignment });
    const g = this.groups.get(req.groupId);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return reply(ErrorCode.UNKNOWN_MEMBER_ID);
    m.lastHeard = this.now();
    if (req.generationId !== g.generationId) return reply(ErrorCode.ILLEGAL_GENERATION);
    if (g.state === 'PreparingRebalance') return reply(ErrorCode.REBALANCE_IN_PROGRESS);
    if (g.state === 'Stable') return reply(ErrorCode.NONE, m.assignment);
    // CompletingRebalance: park until the leader's assignments arrive.
    return new Promise((resolve) => {
      m.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      m.pendingSync = resolve;
      if (req.memberId !== g.leaderId) return;
      const byMember = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      for (const member of g.members.values()) member.assignment = byMember.get(member.memberId) ?? EMPTY;
      g.state = 'Stable';
      this.log(`group ${g.groupId}: stable at generation ${g.generationId}`);
      for (const member of g.members.values()) {
        const r = member.pendingSync;
        member.pendingSync = null;
        r?.({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, assignment: member.assignment });
      }
    });
  }

  heartbeat(req: HeartbeatRequestV1): number {
    const g = this.groups.get(req.groupId);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    m.lastHeard = this.now();
    if (req.generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  leaveGroup(req: LeaveGroupRequestV1): number {
    const g = this.groups.get(req.groupId);
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(g, m, 'left the group');
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- offsets

  private storeOffset(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let topics = this.offsets.get(groupId);
    if (topics === undefined) {
      topics = new Map();
      this.offsets.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  /** Checks a commit against the group's generation (spec §4.11); the result applies to every partition. */
  private commitError(req: OffsetCommitRequestV3): number {
    if (req.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const g = this.groups.get(req.groupId);
    const active = g !== undefined && g.members.size > 0;
    if (req.generationId < 0 && req.memberId === '') {
      return active ? ErrorCode.UNKNOWN_MEMBER_ID : ErrorCode.NONE;
    }
    const m = g?.members.get(req.memberId);
    if (g === undefined || m === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    m.lastHeard = this.now();
    if (req.generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  commitOffsets(req: OffsetCommitRequestV3): OffsetCommitTopicResponse[] {
    const groupError = this.commitError(req);
    let changed = false;
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        let errorCode: number = groupError;
        if (errorCode === ErrorCode.NONE && !this.options.partitionExists(t.name, p.partitionIndex)) {
          errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (errorCode === ErrorCode.NONE) {
          this.storeOffset(req.groupId, t.name, p.partitionIndex, {
            offset: p.committedOffset,
            metadata: p.committedMetadata,
          });
          changed = true;
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    }));
    if (changed) this.options.onOffsetsCommitted?.(this.offsetsSnapshot());
    return topics;
  }

  fetchOffsets(req: OffsetFetchRequestV3): OffsetFetchTopicResponse[] {
    const committed = this.offsets.get(req.groupId);
    const requested =
      req.topics ??
      [...(committed?.entries() ?? [])].map(([name, partitions]) => ({
        name,
        partitionIndexes: [...partitions.keys()].sort((a, b) => a - b),
      }));
    return requested.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => {
        const c = committed?.get(t.name)?.get(p);
        return {
          partitionIndex: p,
          committedOffset: c?.offset ?? -1,
          metadata: c === undefined ? '' : c.metadata,
          errorCode: ErrorCode.NONE,
        };
      }),
    }));
  }

  offsetsSnapshot(): OffsetsSnapshot {
    const out: OffsetsSnapshot = {};
    for (const [groupId, topics] of this.offsets) {
      out[groupId] = {};
      for (const [topic, partitions] of topics) {
        out[groupId][topic] = {};
        for (const [p, c] of partitions) out[groupId][topic][String(p)] = c;
      }
    }
    return out;
  }

  /** Stops timers and answers every parked JoinGroup/SyncGroup with COORDINATOR_NOT_AVAILABLE. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sessionTimer);
    for (const g of this.groups.values()) {
      this.clearTimers(g);
      for (const m of g.members.values()) {
        m.pendingJoin?.(this.joinError(g, m.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
        m.pendingSync?.({
          throttleTimeMs: 0,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
          assignment: EMPTY,
        });
        m.pendingJoin = null;
        m.pendingSync = null;
      }
    }
  }
}
