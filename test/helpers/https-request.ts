/** A minimal HTTPS client that trusts a given CA (global fetch cannot take one per call). */
import { request } from 'node:https';
import type { TestResponse } from './server.js';

export interface HttpsOptions {
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function httpsRequest(
  url: string,
  options: HttpsOptions,
): Promise<TestResponse & { raw: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: options.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
            raw,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
