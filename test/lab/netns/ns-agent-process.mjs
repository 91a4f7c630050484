// A small Node process the netns backend starts inside one of its namespaces (`ip netns exec NS node
// ns-agent-process.mjs LABEL`). Node cannot open sockets in another network namespace, so anything that must listen
// there runs here. Commands arrive as JSON lines on stdin; each gets one JSON reply line on stdout. When stdin
// closes (the backend exited or closed the lab) the agent exits, so it never outlives its lab.
//   {"id":1,"op":"internet","host":"198.18.0.1","port":80}
//       HTTP endpoint standing for "the internet": answers `lab-internet ok <client address>`.
//   {"id":2,"op":"relay","host":"198.18.0.2","port":8006,"socket":"/run/proximity-lab/pxl0/mgmt-0-8006.sock"}
//       TCP listener whose connections are relayed to a UNIX socket (UNIX socket files cross namespaces).
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';

function clientAddress(socket) {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function startInternet({ host, port }) {
  const server = http.createServer((req, res) => {
    const body = `lab-internet ok ${clientAddress(req.socket)}\n`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return listen(server, host, port);
}

function startRelay({ host, port, socket }) {
  const server = net.createServer((client) => {
    const upstream = net.connect(socket);
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', fail);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return listen(server, host, port);
}

function listen(server, host, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const ops = { internet: startInternet, relay: startRelay };

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
    const op = ops[msg.op];
    if (!op) throw new Error(`unknown op ${msg.op}`);
    await op(msg);
    process.stdout.write(JSON.stringify({ id: msg.id, ok: true }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: msg?.id, ok: false, error: String(e?.message ?? e) }) + '\n');
  }
});
rl.on('close', () => process.exit(0));
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
