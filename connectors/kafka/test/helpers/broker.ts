import { type BrokerOptions, type RunningBroker, startBroker } from '@bgpstream-ts/kafka-dev-broker';

export type { RunningBroker };

/** The development broker on 127.0.0.1 and an ephemeral port (one per test file). */
export function startDevBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  return startBroker({ host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 0, ...options });
}
