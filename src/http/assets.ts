import { handler, json, raw } from './route.js';
import type { Asset } from './ui/assets.js';

/** A static asset, served from memory (ui/assets.ts reads and hashes them at start). */
export const asset = (a: Asset) => handler({}, async () => raw(Buffer.from(a.body), a.contentType));

/** GET /healthz — the process is alive and answering (never touches the database). */
export const health = handler({}, async () => json({ ok: true }));
