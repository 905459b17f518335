import type { GraphRequestContext, GraphResponse } from './context';
import { compileFilter, type FilterCatalog } from './filterParser';
import { badRequest } from './graphError';
import type { PropertyBag } from './store';

/** $select, $filter, $top and server-driven paging (@odata.nextLink with $skiptoken). */

export interface ResourceCatalog {
  /** As Graph names the resource in its messages: 'User', 'Group'. */
  resource: string;
  odataType: string;
  selectable: readonly string[];
  /** What Graph returns when there is no $select. */
  defaultSelect: readonly string[];
  filterable: FilterCatalog;
}

const SUPPORTED_OPTIONS = new Set(['$select', '$filter', '$top', '$skiptoken', '$count']);
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

function checkOptions(query: URLSearchParams): void {
  for (const key of query.keys()) {
    if (key.startsWith('$') && !SUPPORTED_OPTIONS.has(key)) {
      throw badRequest(`Query option '${key}' is not supported by this directory emulator.`, 'Request_UnsupportedQuery');
    }
  }
}

export function parseSelect(query: URLSearchParams, catalog: ResourceCatalog): readonly string[] {
  const raw = query.get('$select');
  if (raw === null) return catalog.defaultSelect;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!catalog.selectable.includes(name)) {
      throw badRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${catalog.odataType.slice(1)}'.`,
        'BadRequest',
      );
    }
  }
  return names;
}

export function project(object: PropertyBag, select: readonly string[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const name of select) projected[name] = object[name] ?? null;
  return projected;
}

function pageSize(query: URLSearchParams): number {
  const raw = query.get('$top');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badRequest(
      `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
      'Request_UnsupportedQuery',
    );
  }
  return size;
}

function offset(query: URLSearchParams): number {
  const token = query.get('$skiptoken');
  if (token === null) return 0;
  const value = Number(
    Buffer.from(token, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  if (!Number.isInteger(value) || value < 0) throw badRequest(`Invalid $skiptoken '${token}'.`, 'Request_BadRequest');
  return value;
}

/** One page of a collection, with the link to the next one. */
export function listPage(
  context: GraphRequestContext,
  items: readonly PropertyBag[],
  catalog: ResourceCatalog,
  entitySet: string,
  shape: (item: PropertyBag, select: readonly string[]) => Record<string, unknown> = project,
): GraphResponse {
  const { query } = context;
  checkOptions(query);
  const select = parseSelect(query, catalog);
  const filterText = query.get('$filter');
  const matching = filterText ? items.filter(compileFilter(filterText, catalog.filterable, catalog.resource)) : items;
  const size = pageSize(query);
  const start = offset(query);
  const page = matching.slice(start, start + size);
  const body: Record<string, unknown> = {
    '@odata.context': `${context.versionRoot}/$metadata#${entitySet}${query.has('$select') ? `(${select.join(',')})` : ''}`,
  };
  if (start + size < matching.length) {
    // Graph keeps the $ of option names literal in its links.
    const options = [...query].filter(([key]) => key !== '$skiptoken');
    options.push(['$skiptoken', Buffer.from(`offset:${start + size}`).toString('base64url')]);
    const search = options.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
    body['@odata.nextLink'] = `${context.versionRoot}${context.path}?${search}`;
  }
  body.value = page.map((item) => shape(item, select));
  return { status: 200, body };
}
