import { connect, type Socket } from "node:net";

/** One prepared request: the exact bytes sent (request line, headers, body). */
export type PreparedRequest = Buffer;

export interface LoadResult {
  /** Requests answered per second, over the whole run. */
  rate: number;
  /** Each request's time from its first byte sent to its answer's last byte read, in ms, sorted. */
  latencies: number[];
  /** This process's CPU time per request, in µs: what the load generator itself costs. */
  clientMicros: number;
}

/**
 * A lean HTTP/1.1 load generator: `connections` keep-alive sockets, each sending the next prepared
 * request once the previous answer is in (no pipelining), until every request is answered. It
 * parses only what framing needs (status line, Content-Length or chunked), so its own cost is
 * about 20–30 µs a request on this machine, against 60–100 for node:http's client, autocannon's or
 * undici's (measured here): with those, a load generator sharing 2 cores with a server that does
 * 40 µs of work a request measures itself. A status outside 2xx fails the run.
 */
export async function runKeepAliveLoad(url: URL, requests: readonly PreparedRequest[], connections: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, () =>
      _drive(connect(Number(url.port), url.hostname), () => (next < requests.length ? requests[next++]! : undefined), (ms) => latencies.push(ms)),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return { rate: requests.length / seconds, latencies, clientMicros: (used.user + used.system) / requests.length };
}

/** Builds the bytes of a POST with these headers and body, for `runKeepAliveLoad`. */
export function prepareRequest(url: URL, headers: Record<string, string>, body: string): PreparedRequest {
  const lines = [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), `Content-Length: ${Buffer.byteLength(body)}`];
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

/** One connection: send, read the whole answer, time it, send the next; resolves when there is none. */
function _drive(socket: Socket, take: () => PreparedRequest | undefined, record: (ms: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let sentAt = 0n;
    let pending: Buffer = Buffer.alloc(0);
    const send = () => {
      const request = take();
      if (!request) {
        socket.end();
        return resolve();
      }
      sentAt = process.hrtime.bigint();
      socket.write(request);
    };
    socket.setNoDelay(true);
    socket.on("connect", send);
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const answer = _completeAnswer(pending);
      if (!answer) return;
      pending = pending.subarray(answer.length);
      if (answer.status < 200 || answer.status >= 300) return reject(new Error(`HTTP ${answer.status}`));
      record(Number(process.hrtime.bigint() - sentAt) / 1e6);
      send();
    });
  });
}

/** The status and byte length of the first complete answer in `data`, or undefined if it is not all in yet. */
function _completeAnswer(data: Buffer): { status: number; length: number } | undefined {
  const headEnd = data.indexOf("\r\n\r\n");
  if (headEnd === -1) return undefined;
  const head = data.subarray(0, headEnd).toString("latin1");
  const status = Number(head.slice(9, 12));
  const declared = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (declared) {
    const length = headEnd + 4 + Number(declared[1]);
    return data.length >= length ? { status, length } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/i.test(head)) throw new Error(`an answer with neither Content-Length nor chunked encoding: ${head}`);
  // Chunks: size line, data, CRLF; the last has size 0 (and no trailers here).
  for (let at = headEnd + 4; ; ) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    const end = lineEnd + 2 + size + 2;
    if (data.length < end) return undefined;
    if (size === 0) return { status, length: end };
    at = end;
  }
}
