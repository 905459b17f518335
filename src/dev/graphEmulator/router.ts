import type { GraphHandler } from './context';
import { GraphHttpError, badRequest } from './graphError';

/**
 * Matches `/users/{id}/checkMemberGroups`-style patterns; literal segments are case-insensitive, as
 * Graph's are. A parameter may sit inside a segment, as an alternate key does: `groups(uniqueName='{key}')`.
 */

interface Route {
  method: string;
  segments: string[];
  handler: GraphHandler;
}

export interface RouteMatch {
  handler: GraphHandler;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: GraphHandler): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/').filter(Boolean).map(decodeSegment);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method === method) return { handler: route.handler, params };
    }
    if (pathKnown) {
      throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not supported on '${path}'.`);
    }
    throw badRequest(`Resource not found for the segment '${segments[0] ?? ''}'.`, 'BadRequest');
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Invalid URL segment '${segment}'.`, 'BadRequest');
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const parameter = /\{(\w+)\}/.exec(pattern[i]);
    if (!parameter) {
      if (pattern[i].toLowerCase() !== actual[i].toLowerCase()) return undefined;
      continue;
    }
    const name = parameter[1];
    const prefix = pattern[i].slice(0, parameter.index);
    const suffix = pattern[i].slice(parameter.index + parameter[0].length);
    const segment = actual[i];
    const fits =
      segment.length > prefix.length + suffix.length &&
      segment.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() &&
      segment.slice(segment.length - suffix.length).toLowerCase() === suffix.toLowerCase();
    if (!fits) return undefined;
    params[name] = segment.slice(prefix.length, segment.length - suffix.length);
  }
  return params;
}
