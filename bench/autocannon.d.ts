/**
 * @module bench/autocannon
 *
 * The small part of autocannon 9's programmatic API the benchmark uses. autocannon ships no
 * typings; this ambient declaration keeps `bench/` free of `any`.
 */
declare module 'autocannon' {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before each send of this request; returns the request to send. */
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  }

  export interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Each connection cycles through these in order. */
    requests?: AutocannonRequest[];
    /** Seconds. */
    timeout?: number;
    pipelining?: number;
  }

  /** An hdr-histogram summary; autocannon records latency in whole milliseconds. */
  export interface HistogramSummary {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
    total?: number;
  }

  export interface AutocannonResult {
    /** Seconds the run actually lasted. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: HistogramSummary & { totalCount: number };
    requests: HistogramSummary & { sent: number };
  }

  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
