import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

/** A Keras-style run that learns for a few epochs, then diverges: its loss overflows to inf. */
const HEALTHY = ['epoch,loss,val_loss', '0,2.30,2.31', '1,2.10,2.12', '2,1.90,1.95', '3,1.75,1.80'];
const DIVERGING = ['4,35.0,40.0', '5,2.1e6,3e6', '6,inf,nan'];
const ROW_EVERY_MS = 300;

describe('convdoc analyze --follow', () => {
  it('exits 1 within 2 s of the first critical row a writer appends', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-follow-')), 'training.log');
    writeFileSync(file, `${HEALTHY[0]}\n`);
    const child = spawn(process.execPath, [`${ROOT}bin/convdoc.js`, 'analyze', '--follow', '--idle', '20', file], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    let criticalAt = 0;
    for (const row of [...HEALTHY.slice(1), ...DIVERGING]) {
      await new Promise((resolve) => setTimeout(resolve, ROW_EVERY_MS));
      appendFileSync(file, `${row}\n`);
      if (row.includes('inf') && criticalAt === 0) criticalAt = Date.now();
    }
    const code = await exited;
    expect(code).toBe(1);
    expect(Date.now() - criticalAt).toBeLessThan(2000);
    expect(stderr).toMatch(/convdoc: critical /);
  }, 15_000);

  it('exits 0 with the final verdict when a healthy log stops growing for --idle seconds', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-follow-')), 'training.log');
    writeFileSync(file, `${HEALTHY.join('\n')}\n`);
    const child = spawn(process.execPath, [`${ROOT}bin/convdoc.js`, 'analyze', '--follow', '--idle', '0.5', file]);
    const code = await new Promise<number>((resolve) => child.on('exit', (exit) => resolve(exit ?? -1)));
    expect(code).toBe(0);
  }, 15_000);
});
