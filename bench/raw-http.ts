/**
 * @module bench/raw-http
 *
 * The lightest HTTP/1.1 client the load generators could have: one keep-alive socket per
 * {@link KeepAliveConnection}, requests written as text, responses split on `Content-Length`
 * (the server always sends it) and reduced to their status code. The generators share two cores
 * with the server they measure, so every millisecond of their CPU is one the server loses (the
 * password scenario's generator went from 0.34–0.39 ms of CPU per request with autocannon to
 * 0.18–0.29 ms with this).
 */
import { connect, type Socket } from 'node:net';

/** A `POST /oauth/token` as text, with `headers` (e.g. `Content-Type`, `DPoP`) added. */
export function tokenRequestText(host: string, body: string, headers: Record<string, string>) {
  let text = `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
  return `${text}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export interface ConnectionEvents {
  /** A whole response arrived; the connection is idle again. */
  response(connection: KeepAliveConnection, status: number): void;
  /** The socket closed or failed; `inFlight` when a request was still unanswered. */
  closed(connection: KeepAliveConnection, inFlight: boolean): void;
}

/** One keep-alive connection with at most one request in flight. */
export class KeepAliveConnection {
  busy = false;
  closed = false;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #socket: Socket;

  constructor(
    url: URL,
    private readonly events: ConnectionEvents,
  ) {
    this.#socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', () => this.#close());
    this.#socket.on('close', () => this.#close());
  }

  send(text: string): void {
    this.busy = true;
    this.#socket.write(text);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const end = this.#buffer.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.#buffer.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (!Number.isFinite(length)) {
        this.destroy();
        this.#close();
        return;
      }
      const total = end + HEADER_END.length + length;
      if (this.#buffer.length < total) return;
      this.#buffer = this.#buffer.subarray(total);
      this.busy = false;
      this.events.response(this, Number(head.slice(9, 12)));
    }
  }

  #close(): void {
    if (this.closed) return;
    this.closed = true;
    const inFlight = this.busy;
    this.busy = false;
    this.events.closed(this, inFlight);
  }
}
