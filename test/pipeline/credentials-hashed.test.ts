import { describe, expect, it } from 'vitest';
import { sha256Text } from '../../src/pipeline/fingerprint.js';
import { withCredentialsHashed } from '../../src/pipeline/job-inputs.js';

describe('withCredentialsHashed: what the journal may hold of a request before the check refuses it', () => {
  it('top-level strings and string lists with URL credentials become hashes; everything else is kept as given', () => {
    const withPassword = 'https://u:pw-123@cdn.example.com/a.png';
    const request = { model: 'seedance-2.0-reference-to-video', prompt: 'no links here', image_urls: ['a.png', withPassword], callback_url: 'https://h:k@hooks.example/x', duration: 5, nested: { url: withPassword } };
    expect(withCredentialsHashed(request)).toEqual({
      model: 'seedance-2.0-reference-to-video',
      prompt: 'no links here',
      image_urls: ['a.png', `credentials:sha256:${sha256Text(withPassword)}`],
      callback_url: `credentials:sha256:${sha256Text('https://h:k@hooks.example/x')}`,
      duration: 5,
      // deeper values are not walked: the documented fields are flat (model_params holds one boolean)
      nested: { url: withPassword },
    });
    expect(withCredentialsHashed({ image_urls: ['https://cdn.example.com/a.png'] })).toEqual({ image_urls: ['https://cdn.example.com/a.png'] });
  });
});
