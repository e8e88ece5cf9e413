import { connect, createServer, type AddressInfo } from 'node:net';

/** A real ECONNREFUSED: a port that was just listened on and closed, connected to. Resolves with the error. */
export async function refusedConnection(): Promise<Error> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      reject(new Error(`port ${port} accepted a connection after its server closed`));
    });
    socket.on('error', resolve);
  });
}
