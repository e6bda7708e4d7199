import { describe, expect, it } from 'vitest';
import { hubSettingsFromEnv } from './settings.js';

describe('hubSettingsFromEnv', () => {
  it('defaults to a node that sends nowhere', () => {
    expect(hubSettingsFromEnv({})).toEqual({ role: 'node' });
  });

  it('reads the hub role and the send settings', () => {
    expect(
      hubSettingsFromEnv({
        MOSY_ROLE: 'hub',
        MOSY_HUB_URL: 'http://127.0.0.1:9000',
        MOSY_HUB_NODE_KEY: 'mosy_node_secret',
        MOSY_HUB_SEND_ATTEMPTS: '3',
      }),
    ).toEqual({
      role: 'hub',
      send: { hubUrl: 'http://127.0.0.1:9000', nodeKey: 'mosy_node_secret', attempts: 3, backoffMs: 500 },
    });
  });

  it('names every invalid setting and never the node key', () => {
    let message = '';
    try {
      hubSettingsFromEnv({
        MOSY_ROLE: 'central',
        MOSY_HUB_NODE_KEY: 'mosy_node_secret',
        MOSY_HUB_SEND_ATTEMPTS: '0',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Invalid configuration: MOSY_ROLE must be node or hub, got "central"; MOSY_HUB_URL and MOSY_HUB_NODE_KEY go together: set both or neither; MOSY_HUB_SEND_ATTEMPTS must be a whole number from 1 to 20, got "0".',
    );
  });
});
