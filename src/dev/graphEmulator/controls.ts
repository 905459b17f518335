import type { GraphResponse } from './context';
import type { FaultSpec } from './faults';
import { inspectGroup } from './inspection';
import type { GraphEmulatorServer } from './server';

/**
 * Test controls under /_emulator (no token needed, never logged as Graph traffic):
 *   GET    /health
 *   POST   /faults      FaultSpec → 201 the pending fault      GET /faults   DELETE /faults
 *   PUT    /latency     {"ms": 40}                              GET /latency
 *   PUT    /replicationLag {"ms": 2000}: new groups stay invisible to reads and link writes that long
 *   GET    /requests    every Graph request since the last reset or DELETE /requests
 *   GET    /groups      groups with members, owners, createdBy  GET /groups/{id}
 *   DELETE /servicePrincipals/{appId}  the application's service principal is gone
 *   POST   /servicePrincipals {"appId", "displayName"} → 201 a new one, with a new object id
 *   POST   /reset       back to the fixture: no faults, no latency, empty log
 */

const ok = (body?: unknown, status = 200): GraphResponse => ({ status: body === undefined ? 204 : status, body });
const problem = (status: number, message: string): GraphResponse => ({ status, body: { error: { code: 'EmulatorControl', message } } });

export function handleControl(server: GraphEmulatorServer, method: string, path: string, body: unknown): GraphResponse {
  const route = `${method} ${path.replace(/(?<!\/)\/+$/, '')}`;
  const groupMatch = /^GET \/groups\/([^/]+)$/.exec(route);
  if (groupMatch) {
    const group = server.store.group(decodeURIComponent(groupMatch[1]));
    return group ? ok(inspectGroup(group)) : problem(404, `No group ${groupMatch[1]}.`);
  }
  const servicePrincipalMatch = /^DELETE \/servicePrincipals\/([^/]+)$/.exec(route);
  if (servicePrincipalMatch) {
    const appId = decodeURIComponent(servicePrincipalMatch[1]);
    return server.store.removeServicePrincipal(appId) ? ok() : problem(404, `No service principal of the application ${appId}.`);
  }
  switch (route) {
    case 'POST /servicePrincipals': {
      const { appId, displayName } = (body ?? {}) as { appId?: unknown; displayName?: unknown };
      if (typeof appId !== 'string' || typeof displayName !== 'string') return problem(400, 'Send {"appId": "…", "displayName": "…"}.');
      const taken = server.store.servicePrincipals().some((sp) => String(sp.appId).toLowerCase() === appId.toLowerCase());
      if (taken) return problem(409, `The application ${appId} already has a service principal.`);
      return ok(server.store.addServicePrincipal(appId, displayName), 201);
    }
    case 'GET /health':
      return ok({ status: 'ok', tenantId: server.store.tenant.id });
    case 'POST /faults':
      try {
        return ok(server.faults.add((body ?? {}) as FaultSpec), 201);
      } catch (error) {
        return problem(400, (error as Error).message);
      }
    case 'GET /faults':
      return ok(server.faults.pending());
    case 'DELETE /faults':
      server.faults.clear();
      return ok();
    case 'PUT /latency': {
      const ms = (body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || ms < 0) return problem(400, 'Send {"ms": <non-negative number>}.');
      server.latencyMs = ms;
      return ok();
    }
    case 'GET /latency':
      return ok({ ms: server.latencyMs });
    case 'PUT /replicationLag': {
      const ms = (body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || ms < 0) return problem(400, 'Send {"ms": <non-negative number>}.');
      server.store.replicationLagMs = ms;
      return ok();
    }
    case 'GET /requests':
      return ok({ requests: server.log.all() });
    case 'DELETE /requests':
      server.log.clear();
      return ok();
    case 'GET /groups':
      return ok({ groups: server.store.groups().map((group) => inspectGroup(group)) });
    case 'POST /reset':
      server.reset();
      return ok();
    default:
      return problem(404, `No emulator control ${route}.`);
  }
}
