import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ALICE, baseTenant, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

const valid = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
};
const validForm = new URLSearchParams(valid).toString();

describe('token request parsing (TE-1, TE-5, TE-6, TE-15, TE-16)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  async function post(
    body: string | Buffer,
    contentType?: string,
    extraHeaders: Record<string, string> = {},
  ) {
    const headers: Record<string, string> = { ...extraHeaders };
    if (contentType !== undefined) headers['content-type'] = contentType;
    return readResponse(
      await fetch(`${server.url}/oauth/token`, { method: 'POST', headers, body }),
    );
  }

  function assertInvalidRequest(res: Awaited<ReturnType<typeof post>>, description: string) {
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'invalid_request', error_description: description });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
  }

  it('accepts form bodies with a UTF-8 charset parameter', async () => {
    const res = await post(validForm, 'application/x-www-form-urlencoded;charset=UTF-8');
    assert.equal(res.status, 200);
  });

  for (const name of ['password', 'grant_type', 'client_id', 'username', 'client_secret']) {
    it(`rejects a repeated ${name} without evaluating anything`, async () => {
      const before = server.logs.length;
      const res = await post(
        `${validForm}&${name}=${encodeURIComponent(valid[name as keyof typeof valid])}`,
        'application/x-www-form-urlencoded',
      );
      assertInvalidRequest(res, `Parameter ${name} must not be repeated`);
      const events = server.logs
        .slice(before)
        .map((l) => (l.event as { type?: string } | undefined)?.type);
      assert.equal(events.includes('fp') || events.includes('sepft'), false);
    });
  }

  const contentTypes: Array<[string, string | undefined]> = [
    ['text/plain', 'text/plain'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ['a non-UTF-8 form charset', 'application/x-www-form-urlencoded; charset=iso-8859-1'],
    ['no content type', undefined],
  ];
  for (const [name, type] of contentTypes) {
    it(`rejects ${name}`, async () => {
      assertInvalidRequest(
        await post(validForm, type),
        'Content-Type must be application/x-www-form-urlencoded or application/json',
      );
    });
  }

  it('rejects JSON labelled as a form as missing parameters, not a crash', async () => {
    const res = await post(JSON.stringify(valid), 'application/x-www-form-urlencoded');
    assertInvalidRequest(res, 'Missing required parameter: grant_type');
  });

  const badJson: Array<[string, string, string]> = [
    ['invalid JSON', '{"grant_type":', 'The request body could not be parsed'],
    ['a trailing comma', '{"grant_type":"password",}', 'The request body could not be parsed'],
    ['a JSON array', '[1,2]', 'The request body could not be parsed'],
    [
      'an object-valued password',
      JSON.stringify({ ...valid, password: { $ne: null } }),
      'Parameter password must be a string',
    ],
    [
      'an array-valued username',
      JSON.stringify({ ...valid, username: ['a', 'b'] }),
      'Parameter username must be a string',
    ],
    [
      'a number',
      JSON.stringify({ ...valid, password: 1234 }),
      'Parameter password must be a string',
    ],
  ];
  for (const [name, body, description] of badJson) {
    it(`rejects ${name}`, async () => {
      assertInvalidRequest(await post(body, 'application/json'), description);
    });
  }

  it('is not polluted by __proto__ keys', async () => {
    const res = await post(
      `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"p":1}}}`,
      'application/json',
    );
    assertInvalidRequest(res, 'Parameter __proto__ must be a string');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('rejects a key twice in a JSON body as a repeated parameter, whichever value comes last', async () => {
    const start = `{"grant_type":"password","client_id":"backend","client_secret":"${SECRET}","username":"${ALICE.email}"`;
    for (const body of [
      `${start},"password":"wrong","password":"${ALICE.password}"}`,
      `${start},"password":"${ALICE.password}","password":"wrong"}`,
      `{"grant_type":"password","grant_type":"password",${start.slice(1)},"password":"${ALICE.password}"}`,
    ]) {
      const res = await post(body, 'application/json');
      const name = body.includes('"grant_type":"password","grant_type"')
        ? 'grant_type'
        : 'password';
      assertInvalidRequest(res, `Parameter ${name} must not be repeated`);
    }
  });

  it('refuses a key twice in a nested JSON object as a non-string value', async () => {
    const body = JSON.stringify(valid).replace('}', ',"x":{"a":"1","a":"2"}}');
    assertInvalidRequest(await post(body, 'application/json'), 'Parameter x must be a string');
  });

  it('rejects bad percent-encoding', async () => {
    assertInvalidRequest(
      await post(`${validForm}&x=%zz`, 'application/x-www-form-urlencoded'),
      'The request body could not be parsed',
    );
  });

  it('rejects a body over 64 KiB with 400, not 413 or 500', async () => {
    const res = await post(
      `${validForm}&pad=${'a'.repeat(70_000)}`,
      'application/x-www-form-urlencoded',
    );
    assertInvalidRequest(res, 'The request body is too large');
  });

  it('answers a 1 MB password like a wrong one, without a 500', async () => {
    const res = await post(
      new URLSearchParams({ ...valid, password: 'p'.repeat(60_000) }).toString(),
      'application/x-www-form-urlencoded',
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.error_description, 'Wrong email or password.');
  });

  it('refuses GET and other methods with 405 and no token (TE-1)', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await readResponse(
        await fetch(`${server.url}/oauth/token?${validForm}`, { method }),
      );
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST');
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(res.body.access_token, undefined);
    }
  });

  it('answers unknown grant types with unsupported_grant_type', async () => {
    const res = await post(
      new URLSearchParams({ ...valid, grant_type: 'urn:example:nope' }).toString(),
      'application/x-www-form-urlencoded',
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant type: urn:example:nope',
    });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await readResponse(await fetch(`${server.url}/nope`));
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'not_found', error_description: 'Not found' });
  });

  it('answers a path with bad percent-encoding with 400 invalid_request, not echoing it', async () => {
    const res = await readResponse(await fetch(`${server.url}/oauth/%zz`));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'The request URL could not be parsed',
    });
  });

  it('answers an over-long path parameter with 414 invalid_request, not echoing it', async () => {
    const id = 'a'.repeat(300);
    const res = await readResponse(
      await fetch(`${server.url}/mfa/authenticators/${id}`, { method: 'DELETE' }),
    );
    assert.equal(res.status, 414);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'The request URL is too long',
    });
  });

  /** Writes `bytes` on a new connection; the status line, headers and body that come back. */
  function rawExchange(bytes: string): Promise<{ head: string; body: unknown }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = text.split('\r\n\r\n');
        resolve({ head, body: JSON.parse(body) });
      });
    });
  }

  for (const [name, bytes, status, key] of [
    ['bytes that are not HTTP', 'GARBAGE\r\n\r\n', 400, 'The HTTP request could not be parsed'],
    [
      'headers over 16 KiB',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'The request headers are too large',
    ],
  ] as const) {
    it(`answers ${name} with ${status} and an OAuth error body, then closes`, async () => {
      const { head, body } = await rawExchange(bytes);
      assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `));
      assert.match(head, /\r\ncache-control: no-store\r\n/i);
      assert.match(head, /\r\nconnection: close/i);
      assert.deepEqual(body, { error: 'invalid_request', error_description: key });
    });
  }

  it('answers a preflight (OPTIONS) whose body cannot be parsed with an OAuth error', async () => {
    const res = await readResponse(
      await fetch(`${server.url}/oauth/token`, {
        method: 'OPTIONS',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }),
    );
    assertInvalidRequest(res, 'The request body could not be parsed');
  });
});
