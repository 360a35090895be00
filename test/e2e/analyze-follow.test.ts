import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { follow } from './follower.js';

/** A Keras-style run that learns for a few epochs, then diverges: its loss overflows to inf. */
const HEALTHY = ['epoch,loss,val_loss', '0,2.30,2.31', '1,2.10,2.12', '2,1.90,1.95', '3,1.75,1.80'];
const DIVERGING = ['4,35.0,40.0', '5,2.1e6,3e6', '6,inf,nan'];
const ROW_EVERY_MS = 300;

describe('convdoc analyze --follow', () => {
  it('exits 1 within 2 s of the first critical row a writer appends', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-follow-')), 'training.log');
    writeFileSync(file, `${HEALTHY[0]}\n`);
    const follower = follow(file, 20);
    await follower.ready;
    let criticalAt = 0;
    for (const row of [...HEALTHY.slice(1), ...DIVERGING]) {
      await new Promise((resolve) => setTimeout(resolve, ROW_EVERY_MS));
      appendFileSync(file, `${row}\n`);
      if (row.includes('inf') && criticalAt === 0) criticalAt = Date.now();
    }
    const { code, at } = await follower.exited;
    expect(code).toBe(1);
    // Measured when convdoc exits; an earlier row may already read as critical.
    expect(at - criticalAt).toBeLessThan(2000);
    expect(follower.stderr()).toMatch(/convdoc: critical /);
  }, 30_000);

  it('exits 0 with the final verdict when a healthy log stops growing for --idle seconds', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-follow-')), 'training.log');
    writeFileSync(file, `${HEALTHY.join('\n')}\n`);
    const { code } = await follow(file, 0.5).exited;
    expect(code).toBe(0);
  }, 15_000);
});
