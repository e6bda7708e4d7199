/** A provider of the bench's own, registered over the admin API to submit probes: new records of the dataset's. */
import type { SubmittedRecord } from '@mosy/core';
import type { SyntheticDataset } from '@mosy/testkit';
import { expectStatus, type Client } from '../lib/client.js';
import { probeTemplate } from './records.js';

/**
 * Registers provider `id` with the mapping of the provider whose record `probeTemplate` picks; its key, and that
 * record to copy under new ids (`probeOf`).
 */
export async function registerProbeProvider(
  client: Client,
  adminToken: string,
  dataset: SyntheticDataset,
  id: string,
  name: string,
): Promise<{ readonly key: string; readonly record: SubmittedRecord }> {
  const template = probeTemplate(dataset);
  const provider = dataset.providers.find((p) => p.id === template.providerId)!;
  const reply = await client.request<{ key: string }>('POST', '/v1/admin/providers', {
    key: adminToken,
    json: { id, type: provider.type, name, mapping: provider.mapping },
  });
  return { key: expectStatus(reply, 201, `register ${id}`).key, record: template.record };
}
