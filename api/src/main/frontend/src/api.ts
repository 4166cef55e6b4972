// Every call to the api goes through here: the Bearer key, timeouts, and honest errors built from
// the api's RFC 9457 problem details (or Piston's {"message"}).

export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string, readonly retryAfter?: number,
              readonly body?: any) {
    super(detail || title);
  }
  /** The server is down or unreachable: worth retrying. */
  get unreachable(): boolean { return this.status === 0; }
  /** The queue is full or a limit was hit: retrying later helps. */
  get busy(): boolean { return this.status === 429 || this.status === 503; }
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  raw?: Blob | ArrayBuffer;
  contentType?: string;
  key?: string | null;
  timeoutMs?: number;
}

export async function call<T>(path: string, o: CallOptions = {}): Promise<T> {
  return (await exchange(path, o)).json as T;
}

/**
 * A GET of a listing that carries an ETag, naming the version this client has: null when the
 * server's is the same (304, no body), else the listing and its version.
 */
export async function poll<T>(path: string, key: string, etag: string | null): Promise<{ body: T; etag: string | null } | null> {
  const { res, json } = await exchange(path, { key }, etag);
  return res.status === 304 ? null : { body: json as T, etag: res.headers.get('ETag') };
}

async function exchange(path: string, o: CallOptions, ifNoneMatch: string | null = null): Promise<{ res: Response; json: any }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (o.key) headers.Authorization = 'Bearer ' + o.key;
  // Set by the page, the condition reaches the server and its 304 reaches the page (the browser stores nothing).
  if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch;
  let body: BodyInit | undefined;
  if (o.raw !== undefined) {
    body = o.raw;
    headers['Content-Type'] = o.contentType ?? 'application/octet-stream';
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method: o.method ?? (body ? 'POST' : 'GET'), headers, body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 20000) });
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === 'TimeoutError';
    throw new ApiError(0, timedOut ? 'The server did not answer in time' : 'The server cannot be reached',
      'Check that the server is running and your connection works, then retry.');
  }
  const text = await res.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (!res.ok && res.status !== 304) {
    const retry = Number(res.headers.get('Retry-After')) || undefined;
    const detail = json?.detail ?? json?.message ?? (text.slice(0, 200) || res.statusText);
    let title = json?.title ?? `Request failed (${res.status})`;
    if (res.status === 429) title = 'Too many requests: a limit was hit';
    if (res.status === 503) title = 'The judge is busy';
    if (res.status === 401) title = 'Your session is no longer valid';
    if (res.status === 403) title = 'Not allowed';
    throw new ApiError(res.status, title, detail, retry, json);
  }
  return { res, json };
}

/** A human sentence for any error, with what to do about it. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    const after = e.retryAfter ? ` Retry in ${e.retryAfter} s.` : e.busy ? ' Retry in a moment.' : '';
    return `${e.title}: ${e.detail}${after}`;
  }
  return String(e);
}
