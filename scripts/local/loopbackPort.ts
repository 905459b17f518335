import { createServer } from 'node:net';

/** A port free on 127.0.0.1 now (0), or checks that the one asked for is, with a message saying which is taken. */
export async function loopbackPort(wanted: number, purpose: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${wanted} on 127.0.0.1 (${purpose}) is taken by another program: stop it, or choose another port.`)
          : error,
      ),
    );
    server.listen(wanted, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
