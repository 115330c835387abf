// A minimal FastCGI client (responder role, one request per connection): talks to the
// program's socket directly, without nginx, so tests can set any CGI variable (REMOTE_ADDR,
// REMOTE_USER) and can withhold the body to see that a 413 comes before it is read.
//
//   fcgiRequest(socketPath, params, body, {sendBody=true, bodyAfter, timeout=10000})
//     bodyAfter: a promise; the body follows the parameters once it resolves (a request in
//     hand, its body still to come)
//     -> {status, headers, body, raw, stderr}   (the CGI answer parsed like runCgi's)
import net from 'node:net';
import { parseCgiOutput } from './harness.mjs';

const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const STDERR = 7;

function record(type, content = Buffer.alloc(0), id = 1) {
  const pad = (8 - (content.length % 8)) % 8;
  const head = Buffer.from([1, type, id >> 8, id & 255, content.length >> 8, content.length & 255, pad, 0]);
  return Buffer.concat([head, content, Buffer.alloc(pad)]);
}

function lengthBytes(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function encodeParams(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    const kb = Buffer.from(String(k));
    const vb = Buffer.from(String(v));
    parts.push(lengthBytes(kb.length), lengthBytes(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

// Splits content over records of at most 65535 bytes.
function records(type, content) {
  const out = [];
  for (let i = 0; i < content.length; i += 65528) out.push(record(type, content.subarray(i, i + 65528)));
  return out;
}

export function fcgiRequest(socketPath, params, body, { sendBody = true, bodyAfter = null, timeout = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    const chunks = [];
    const out = [];
    const err = [];
    let done = false;
    const finish = (e, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (e) reject(e);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`FastCGI request: no answer within ${timeout} ms`)), timeout);
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => {
      const bodyBuf = body == null ? Buffer.alloc(0) : Buffer.from(body);
      const parts = [record(BEGIN_REQUEST, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]))];
      parts.push(...records(PARAMS, encodeParams(params)), record(PARAMS));
      const stdin = Buffer.concat([...records(STDIN, bodyBuf), record(STDIN)]);
      if (sendBody && !bodyAfter) parts.push(stdin);
      sock.write(Buffer.concat(parts));
      if (sendBody && bodyAfter) bodyAfter.then(() => !done && sock.write(stdin));
    });
    sock.on('data', (c) => {
      chunks.push(c);
      let buf = Buffer.concat(chunks);
      while (buf.length >= 8) {
        const len = buf.readUInt16BE(4);
        const pad = buf[6];
        if (buf.length < 8 + len + pad) break;
        const type = buf[1];
        const content = buf.subarray(8, 8 + len);
        if (type === STDOUT) out.push(Buffer.from(content));
        else if (type === STDERR) err.push(Buffer.from(content));
        else if (type === END_REQUEST) {
          const answer = parseCgiOutput(Buffer.concat(out));
          return finish(null, { ...answer, stderr: Buffer.concat(err).toString('utf8') });
        }
        buf = buf.subarray(8 + len + pad);
      }
      chunks.length = 0;
      chunks.push(buf);
    });
    sock.on('close', () => {
      if (!done) {
        if (out.length) finish(null, { ...parseCgiOutput(Buffer.concat(out)), stderr: Buffer.concat(err).toString('utf8') });
        else finish(new Error('FastCGI connection closed without an answer'));
      }
    });
  });
}
