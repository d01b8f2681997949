// Stand-ins for the "other-filters" variant, run by hostctl.sh outside the chroot:
//  - a minimal milter on 127.0.0.1:11332 (rspamd's usual port) that accepts every message
//    and adds the header "X-Fake-Milter: seen";
//  - an amavis-like SMTP proxy on 127.0.0.1:10024 that forwards to Postfix's re-injection
//    listener 127.0.0.1:10025 and adds "X-Virus-Scanned: fake-amavis" to each message.
// Usage: node fake-filters.mjs [milterPort] [amavisPort] [reinjectPort]
import net from 'node:net';

const [milterPort, amavisPort, reinjectPort] = process.argv.slice(2).map(Number);
const HOST = '127.0.0.1';

function milterReply(socket, cmd, data = Buffer.alloc(0)) {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.length + 1, 0);
  head.write(cmd, 4, 'latin1');
  socket.write(Buffer.concat([head, data]));
}

function addHeader(name, value) {
  return Buffer.concat([Buffer.from(name + '\0', 'latin1'), Buffer.from(value + '\0', 'latin1')]);
}

function handleMilterPacket(socket, cmd) {
  switch (cmd) {
    case 'O': { // option negotiation: version 6, may add headers, default protocol
      const out = Buffer.alloc(12);
      out.writeUInt32BE(6, 0);
      out.writeUInt32BE(0x01, 4); // SMFIF_ADDHDRS
      out.writeUInt32BE(0, 8); // no protocol steps skipped: reply to every command
      milterReply(socket, 'O', out);
      return;
    }
    case 'D': case 'A': return; // macros, abort: no reply
    case 'Q': socket.end(); return;
    case 'E':
      milterReply(socket, 'h', addHeader('X-Fake-Milter', 'seen'));
      milterReply(socket, 'a');
      return;
    default: milterReply(socket, 'c');
  }
}

function startMilter(port) {
  net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const len = buf.readUInt32BE(0);
        const cmd = buf.toString('latin1', 4, 5);
        handleMilterPacket(socket, cmd);
        buf = buf.subarray(4 + len);
      }
    });
    socket.on('error', () => socket.destroy());
  }).listen(port, HOST);
}

// Server replies are passed on a whole reply at a time, without STARTTLS and CHUNKING
// (amavisd-new offers neither), so the client always sends DATA and a readable message.
function filterEhlo(lines) {
  const kept = lines.filter((l) => !/^250[ -](STARTTLS|CHUNKING)\b/i.test(l));
  return kept.map((l, i) => (i === kept.length - 1 ? l.replace(/^(\d{3})-/, '$1 ') : l.replace(/^(\d{3}) /, '$1-')));
}

function startAmavis(port, target) {
  net.createServer((client) => {
    const server = net.connect(target, HOST);
    let injectHeader = false;
    let pending = '';
    let reply = [];
    server.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let nl;
      while ((nl = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 2);
        reply.push(line);
        if (/^\d{3}-/.test(line)) continue;
        if (line.startsWith('354')) injectHeader = true;
        client.write(filterEhlo(reply).map((l) => l + '\r\n').join(''), 'latin1');
        reply = [];
      }
    });
    client.on('data', (chunk) => {
      if (injectHeader) {
        injectHeader = false;
        server.write('X-Virus-Scanned: fake-amavis\r\n');
      }
      server.write(chunk);
    });
    const close = () => { client.destroy(); server.destroy(); };
    client.on('close', close); server.on('close', close);
    client.on('error', close); server.on('error', close);
  }).listen(port, HOST);
}

startMilter(milterPort || 11332);
startAmavis(amavisPort || 10024, reinjectPort || 10025);
process.on('SIGTERM', () => process.exit(0));
