/**
 * Loaded with `node --require` into the Agents Playground, which listens on every interface and
 * has no option to choose one: a server that names no host listens on 127.0.0.1 instead.
 * The Playground takes no token from its callers, so it must not be reachable from the network.
 */
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') return listen.call(this, first, '127.0.0.1', ...args.slice(1));
  } else if (first && typeof first === 'object' && first.port !== undefined && first.host === undefined && first.path === undefined) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1));
  }
  return listen.apply(this, args);
};
