/**
 * The local SMTP sink of `npm run bench:digest`, in its own process so its CPU is not the sender's
 * event loop: a real smtp-server that accepts everything, drains each message and counts it.
 * Talks to its parent over IPC: sends {port} once listening, answers "count" with {count, bytes, cpuMs}.
 */
import { SMTPServer } from 'smtp-server';

let count = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, cb) {
    stream.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    stream.on('end', () => {
      count++;
      cb(null);
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.server.address() as { port: number }).port });
});
process.on('message', (m) => {
  if (m === 'count') {
    const c = process.cpuUsage();
    process.send!({ count, bytes, cpuMs: (c.user + c.system) / 1000 });
  }
  if (m === 'stop') server.close(() => process.exit(0));
});
