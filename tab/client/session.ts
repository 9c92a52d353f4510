/** Calls to the tab's API with the signed-in person's token, about the school they chose. */

interface ApiError {
  error: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export class Session {
  /** The school every call is about (`?school=`); the server checks it is one of the caller's. */
  school: string | undefined;

  constructor(private readonly token: string) {}

  async get<T>(path: string, o: { noSchool?: boolean } = {}): Promise<ApiResult<T>> {
    return this.call<T>(path, { method: 'GET' }, o.noSchool === true);
  }

  async post<T>(path: string, body: unknown, o: { noSchool?: boolean } = {}): Promise<ApiResult<T>> {
    return this.call<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }, o.noSchool === true);
  }

  /**
   * A file from the API, saved by the browser under the server's name for it. The token goes in a
   * header as for every call, never in an address a browser would keep in its history.
   */
  async download(path: string): Promise<ApiResult<string>> {
    let res: Response;
    try {
      res = await fetch(this.address(path, false), { headers: { Authorization: `Bearer ${this.token}` } });
    } catch {
      return { ok: false, status: 0, message: 'The dashboard could not reach the server. Check your connection and try again.' };
    }
    if (!res.ok) return { ok: false, status: res.status, message: await errorOf(res) };
    const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'download';
    const url = URL.createObjectURL(await res.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    // Long enough for the browser to start saving; the file stays only in its downloads.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return { ok: true, data: name };
  }

  private address(path: string, noSchool: boolean): string {
    const url = new URL(path, location.origin);
    if (this.school && !noSchool && !url.searchParams.has('school')) url.searchParams.set('school', this.school);
    return `${url.pathname}${url.search}`;
  }

  private async call<T>(path: string, init: RequestInit, noSchool: boolean): Promise<ApiResult<T>> {
    let res: Response;
    try {
      res = await fetch(this.address(path, noSchool), { ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${this.token}` } });
    } catch {
      return { ok: false, status: 0, message: 'The dashboard could not reach the server. Check your connection and try again.' };
    }
    if (res.ok) return { ok: true, data: (await res.json().catch(() => ({}))) as T };
    return { ok: false, status: res.status, message: await errorOf(res) };
  }
}

async function errorOf(res: Response): Promise<string> {
  const body: unknown = await res.json().catch(() => ({}));
  return typeof body === 'object' && body !== null && 'error' in body ? String((body as ApiError).error) : `Something went wrong (${res.status}).`;
}
