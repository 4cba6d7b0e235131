import { handler, raw } from './route.js';
import type { Asset } from './ui/assets.js';

/** A static asset, served from memory (ui/assets.ts reads and hashes them at start). */
export const asset = (a: Asset) => handler({}, async () => raw(Buffer.from(a.body), a.contentType));
