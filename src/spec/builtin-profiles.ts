import { cite } from './cite.js';
import type { Profile } from './profile.js';
import { SEED_PROFILE } from './seed-profile.js';

/** The pixel cap that a later revision of the provider's page gives for 480p/720p output (docs/LIMITS.md#reading.pixel_cap). */
const STRICT_PROFILE: Profile = {
  ...SEED_PROFILE,
  name: 'strict-927k',
  description: 'Seed limits with the 927,408-pixel video cap (834×1112) of a later revision of the documents',
  video: {
    ...SEED_PROFILE.video,
    pixels: {
      value: { min: 409_600, max: 927_408 },
      source: cite('video.pixels', 'reading "Pixel cap": a later revision gives 927,408 (834×1112) for 480p/720p output'),
    },
  },
};

export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = {
  seed: SEED_PROFILE,
  'strict-927k': STRICT_PROFILE,
};
