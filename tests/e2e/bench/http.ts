/** The benchmark's HTTP calls: plain fetch, with the failures named, and nothing kept. */

export interface Counts {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** POSTs a submission; the receipt's counts (the bare server answers `accepted` only). */
export async function post(url: string, body: string, key?: string): Promise<Counts> {
  const response = await fetch(`${url}/v1/submissions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body,
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST ${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const receipt = JSON.parse(text) as Partial<Counts>;
  return {
    accepted: receipt.accepted ?? 0,
    duplicates: receipt.duplicates ?? 0,
    rejected: receipt.rejected ?? 0,
  };
}

export async function getJson<T>(url: string, path: string, key: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
