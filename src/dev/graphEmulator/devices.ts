import type { FilterableProperty } from './filterParser';
import { notFound } from './graphError';
import { listPage, parseSelect, project, type ResourceCatalog } from './odataQuery';
import type { Router } from './router';

const text: FilterableProperty = { type: 'string', operators: ['eq', 'in', 'startswith'] };

export const DEVICE_CATALOG: ResourceCatalog = {
  resource: 'Device',
  odataType: '#microsoft.graph.device',
  selectable: [
    'id',
    'deviceId',
    'displayName',
    'accountEnabled',
    'operatingSystem',
    'operatingSystemVersion',
    'manufacturer',
    'model',
    'trustType',
    'profileType',
    'isManaged',
    'isCompliant',
    'managementType',
    'deviceOwnership',
    'enrollmentProfileName',
    'deviceCategory',
    'physicalIds',
    'mdmAppId',
    'extensionAttributes',
    'systemLabels',
  ],
  defaultSelect: [
    'id',
    'deviceId',
    'displayName',
    'accountEnabled',
    'operatingSystem',
    'operatingSystemVersion',
    'manufacturer',
    'model',
    'trustType',
    'profileType',
    'isManaged',
    'isCompliant',
    'physicalIds',
  ],
  filterable: {
    id: { type: 'string', operators: ['eq', 'in'] },
    deviceId: { type: 'string', operators: ['eq', 'in'] },
    displayName: text,
    operatingSystem: text,
    operatingSystemVersion: text,
    trustType: text,
    accountEnabled: { type: 'boolean', operators: ['eq'] },
  },
};

export function addDeviceRoutes(router: Router): void {
  router
    .add('GET', '/devices', (context) => listPage(context, context.store.devices(), DEVICE_CATALOG, 'devices'))
    .add('GET', '/devices/{id}', ({ store, params, query }) => {
      const device = store.device(params.id);
      if (!device) throw notFound(params.id);
      return { status: 200, body: project(device, parseSelect(query, DEVICE_CATALOG)) };
    });
}
