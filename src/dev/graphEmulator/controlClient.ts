import type { FaultSpec, PendingFault } from './faults';
import type { InspectedGroup } from './inspection';
import type { RequestRecord } from './requestLog';

/** Drives the emulator's /_emulator controls over HTTP, from tests, benchmarks or another process. */
export class GraphEmulatorControls {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`Emulator control ${method} ${path} failed with ${response.status}: ${await response.text()}`);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  injectFault(fault: FaultSpec): Promise<PendingFault> {
    return this.call('POST', '/faults', fault);
  }

  pendingFaults(): Promise<PendingFault[]> {
    return this.call('GET', '/faults');
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', '/faults');
  }

  setLatency(ms: number): Promise<void> {
    return this.call('PUT', '/latency', { ms });
  }

  /** For this long after creation, a new group is missed by reads (404) and link writes (400), as while Entra replicates. */
  setReplicationLag(ms: number): Promise<void> {
    return this.call('PUT', '/replicationLag', { ms });
  }

  async requests(): Promise<RequestRecord[]> {
    return (await this.call<{ requests: RequestRecord[] }>('GET', '/requests')).requests;
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/requests');
  }

  async groups(): Promise<InspectedGroup[]> {
    return (await this.call<{ groups: InspectedGroup[] }>('GET', '/groups')).groups;
  }

  group(id: string): Promise<InspectedGroup> {
    return this.call('GET', `/groups/${encodeURIComponent(id)}`);
  }

  /** The tenant loses the application's service principal (or never had it). */
  removeServicePrincipal(appId: string): Promise<void> {
    return this.call('DELETE', `/servicePrincipals/${encodeURIComponent(appId)}`);
  }

  /** The application's service principal is made (again), with a new object id. */
  addServicePrincipal(appId: string, displayName: string): Promise<{ id: string; appId: string }> {
    return this.call('POST', '/servicePrincipals', { appId, displayName });
  }

  reset(): Promise<void> {
    return this.call('POST', '/reset');
  }
}
