/** Every request and response codec: encode → decode round trips, and hand-checked bytes for the layouts. */
import { describe, expect, it } from 'vitest';
import * as createTopicsReq from '../../src/protocol/create-topics/v2/request.js';
import * as createTopicsRes from '../../src/protocol/create-topics/v2/response.js';
import * as fetchReq from '../../src/protocol/fetch/v4/request.js';
import * as fetchRes from '../../src/protocol/fetch/v4/response.js';
import * as findCoordReqV0 from '../../src/protocol/find-coordinator/v0/request.js';
import * as findCoordResV0 from '../../src/protocol/find-coordinator/v0/response.js';
import * as findCoordReqV2 from '../../src/protocol/find-coordinator/v2/request.js';
import * as findCoordResV2 from '../../src/protocol/find-coordinator/v2/response.js';
import * as heartbeatReq from '../../src/protocol/heartbeat/v1/request.js';
import * as heartbeatRes from '../../src/protocol/heartbeat/v1/response.js';
import * as initPidReq from '../../src/protocol/init-producer-id/v1/request.js';
import * as initPidRes from '../../src/protocol/init-producer-id/v1/response.js';
import * as joinReq from '../../src/protocol/join-group/v2/request.js';
import * as joinRes from '../../src/protocol/join-group/v2/response.js';
import * as leaveReq from '../../src/protocol/leave-group/v1/request.js';
import * as leaveRes from '../../src/protocol/leave-group/v1/response.js';
import * as listOffsetsReq from '../../src/protocol/list-offsets/v2/request.js';
import * as listOffsetsRes from '../../src/protocol/list-offsets/v2/response.js';
import * as metadataReq from '../../src/protocol/metadata/v4/request.js';
import * as metadataRes from '../../src/protocol/metadata/v4/response.js';
import * as commitReq from '../../src/protocol/offset-commit/v3/request.js';
import * as commitRes from '../../src/protocol/offset-commit/v3/response.js';
import * as offsetFetchReq from '../../src/protocol/offset-fetch/v3/request.js';
import * as offsetFetchRes from '../../src/protocol/offset-fetch/v3/response.js';
import * as produceReqV0 from '../../src/protocol/produce/v0/request.js';
import * as produceResV0 from '../../src/protocol/produce/v0/response.js';
import * as produceResV1 from '../../src/protocol/produce/v1/response.js';
import { Reader } from '../../src/protocol/reader.js';
import * as syncReq from '../../src/protocol/sync-group/v1/request.js';
import * as syncRes from '../../src/protocol/sync-group/v1/response.js';
import { Writer } from '../../src/protocol/writer.js';
import { hex } from '../helpers/raw-client.js';

function roundTrip<T>(encode: (w: Writer, v: T) => unknown, decode: (r: Reader) => T, value: T): Buffer {
  const w = new Writer(8);
  encode(w, value);
  const bytes = Buffer.from(w.toBuffer());
  const r = new Reader(bytes);
  expect(decode(r)).toEqual(value);
  expect(r.remaining()).toBe(0);
  return bytes;
}

const b = (s: string) => Buffer.from(s);

describe('codec round trips and layouts', () => {
  it('Metadata v4: null topics is INT32 -1, then the BOOLEAN', () => {
    const bytes = roundTrip(metadataReq.encodeMetadataRequestV4, metadataReq.decodeMetadataRequestV4, {
      topics: null,
      allowAutoTopicCreation: false,
    });
    expect(bytes).toEqual(hex('ffffffff 00'));
    expect(
      roundTrip(metadataReq.encodeMetadataRequestV4, metadataReq.decodeMetadataRequestV4, {
        topics: ['t'],
        allowAutoTopicCreation: true,
      }),
    ).toEqual(hex('00000001 0001 74 01'));
    const res = roundTrip(metadataRes.encodeMetadataResponseV4, metadataRes.decodeMetadataResponseV4, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }],
        },
      ],
    });
    expect(res).toEqual(
      hex(`00000000
           00000001 00000001 0001 68 00002384 ffff
           0001 63
           00000001
           00000001 0000 0001 74 00
             00000001 0000 00000000 00000001 00000001 00000001 00000001 00000001`),
    );
  });

  it('Produce v0/v1 layouts', () => {
    const records = hex('00');
    expect(
      roundTrip(produceReqV0.encodeProduceRequestV0, produceReqV0.decodeProduceRequestV0, {
        acks: 1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: 2, records }] }],
      }),
    ).toEqual(hex('0001 000003e8 00000001 0001 74 00000001 00000002 00000001 00'));
    const r0 = {
      responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 3, baseOffset: -1 }] }],
    };
    expect(roundTrip(produceResV0.encodeProduceResponseV0, produceResV0.decodeProduceResponseV0, r0)).toEqual(
      hex('00000001 0001 74 00000001 00000000 0003 ffffffffffffffff'),
    );
    roundTrip(produceResV1.encodeProduceResponseV1, produceResV1.decodeProduceResponseV1, {
      ...r0,
      throttleTimeMs: 5,
    });
  });

  it('Fetch v4: aborted_transactions null is INT32 -1, records are one RECORDS field', () => {
    roundTrip(fetchReq.encodeFetchRequestV4, fetchReq.decodeFetchRequestV4, {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 7, partitionMaxBytes: 1048576 }] }],
    });
    const w = new Writer();
    fetchRes.encodeFetchResponseV4(w, {
      throttleTimeMs: 0,
      responses: [
        {
          topic: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 2,
              lastStableOffset: 2,
              abortedTransactions: null,
              records: [hex('aa'), hex('bbcc')],
            },
          ],
        },
      ],
    });
    expect(w.toBuffer()).toEqual(
      hex(`00000000 00000001 0001 74 00000001
           00000000 0000 0000000000000002 0000000000000002 ffffffff 00000003 aabbcc`),
    );
  });

  it('ListOffsets v2', () => {
    roundTrip(listOffsetsReq.encodeListOffsetsRequestV2, listOffsetsReq.decodeListOffsetsRequestV2, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -2 }] }],
    });
    roundTrip(listOffsetsRes.encodeListOffsetsResponseV2, listOffsetsRes.decodeListOffsetsResponseV2, {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 42 }] }],
    });
  });

  it('CreateTopics v2', () => {
    roundTrip(createTopicsReq.encodeCreateTopicsRequestV2, createTopicsReq.decodeCreateTopicsRequestV2, {
      topics: [
        {
          name: 't',
          numPartitions: 3,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1] }],
          configs: [{ name: 'cleanup.policy', value: null }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    roundTrip(createTopicsRes.encodeCreateTopicsResponseV2, createTopicsRes.decodeCreateTopicsResponseV2, {
      throttleTimeMs: 0,
      topics: [{ name: 't', errorCode: 36, errorMessage: 'exists' }],
    });
  });

  it('FindCoordinator v0 and v2', () => {
    expect(
      roundTrip(
        findCoordReqV0.encodeFindCoordinatorRequestV0,
        findCoordReqV0.decodeFindCoordinatorRequestV0,
        { key: 'g' },
      ),
    ).toEqual(hex('0001 67'));
    expect(
      roundTrip(
        findCoordResV0.encodeFindCoordinatorResponseV0,
        findCoordResV0.decodeFindCoordinatorResponseV0,
        {
          errorCode: 0,
          nodeId: 1,
          host: 'h',
          port: 9092,
        },
      ),
    ).toEqual(hex('0000 00000001 0001 68 00002384'));
    expect(
      roundTrip(
        findCoordReqV2.encodeFindCoordinatorRequestV2,
        findCoordReqV2.decodeFindCoordinatorRequestV2,
        {
          key: 'g',
          keyType: 0,
        },
      ),
    ).toEqual(hex('0001 67 00'));
    expect(
      roundTrip(
        findCoordResV2.encodeFindCoordinatorResponseV2,
        findCoordResV2.decodeFindCoordinatorResponseV2,
        {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          nodeId: 1,
          host: 'h',
          port: 9092,
        },
      ),
    ).toEqual(hex('00000000 0000 ffff 00000001 0001 68 00002384'));
  });

  it('JoinGroup v2, SyncGroup v1, Heartbeat v1, LeaveGroup v1', () => {
    roundTrip(joinReq.encodeJoinGroupRequestV2, joinReq.decodeJoinGroupRequestV2, {
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: b('meta') }],
    });
    roundTrip(joinRes.encodeJoinGroupResponseV2, joinRes.decodeJoinGroupResponseV2, {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 1,
      protocolName: 'range',
      leader: 'm1',
      memberId: 'm1',
      members: [{ memberId: 'm1', metadata: b('x') }],
    });
    roundTrip(syncReq.encodeSyncGroupRequestV1, syncReq.decodeSyncGroupRequestV1, {
      groupId: 'g',
      generationId: 1,
      memberId: 'm1',
      assignments: [{ memberId: 'm1', assignment: b('a') }],
    });
    expect(
      roundTrip(syncRes.encodeSyncGroupResponseV1, syncRes.decodeSyncGroupResponseV1, {
        throttleTimeMs: 0,
        errorCode: 27,
        assignment: Buffer.alloc(0),
      }),
    ).toEqual(hex('00000000 001b 00000000'));
    expect(
      roundTrip(heartbeatReq.encodeHeartbeatRequestV1, heartbeatReq.decodeHeartbeatRequestV1, {
        groupId: 'g',
        generationId: 2,
        memberId: 'm',
      }),
    ).toEqual(hex('0001 67 00000002 0001 6d'));
    expect(
      roundTrip(heartbeatRes.encodeHeartbeatResponseV1, heartbeatRes.decodeHeartbeatResponseV1, {
        throttleTimeMs: 0,
        errorCode: 27,
      }),
    ).toEqual(hex('00000000 001b'));
    roundTrip(leaveReq.encodeLeaveGroupRequestV1, leaveReq.decodeLeaveGroupRequestV1, {
      groupId: 'g',
      memberId: 'm',
    });
    roundTrip(leaveRes.encodeLeaveGroupResponseV1, leaveRes.decodeLeaveGroupResponseV1, {
      throttleTimeMs: 0,
      errorCode: 25,
    });
  });

  it('OffsetCommit v3 and OffsetFetch v3 (top-level error_code last)', () => {
    roundTrip(commitReq.encodeOffsetCommitRequestV3, commitReq.decodeOffsetCommitRequestV3, {
      groupId: 'g',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3, committedMetadata: null }] },
      ],
    });
    roundTrip(commitRes.encodeOffsetCommitResponseV3, commitRes.decodeOffsetCommitResponseV3, {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }],
    });
    expect(
      roundTrip(offsetFetchReq.encodeOffsetFetchRequestV3, offsetFetchReq.decodeOffsetFetchRequestV3, {
        groupId: 'g',
        topics: null,
      }),
    ).toEqual(hex('0001 67 ffffffff'));
    expect(
      roundTrip(offsetFetchRes.encodeOffsetFetchResponseV3, offsetFetchRes.decodeOffsetFetchResponseV3, {
        throttleTimeMs: 0,
        topics: [
          { name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1, metadata: '', errorCode: 0 }] },
        ],
        errorCode: 0,
      }),
    ).toEqual(hex('00000000 00000001 0001 74 00000001 00000000 ffffffffffffffff 0000 0000 0000'));
  });

  it('InitProducerId v1', () => {
    expect(
      roundTrip(initPidReq.encodeInitProducerIdRequestV1, initPidReq.decodeInitProducerIdRequestV1, {
        transactionalId: null,
        transactionTimeoutMs: 60000,
      }),
    ).toEqual(hex('ffff 0000ea60'));
    expect(
      roundTrip(initPidRes.encodeInitProducerIdResponseV1, initPidRes.decodeInitProducerIdResponseV1, {
        throttleTimeMs: 0,
        errorCode: 0,
        producerId: 1000,
        producerEpoch: 0,
      }),
    ).toEqual(hex('00000000 0000 00000000000003e8 0000'));
  });
});
