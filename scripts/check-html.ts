/**
 * Opens report pages in headless Chromium and fails (exit 1) on anything a reader would hit:
 * a console error, an uncaught exception, a browser log error, a request that leaves the file
 * (the page must be self-contained), or a first screen (1280×800) without the verdict, the action
 * and its proof, found through the DOM by their bounding boxes. Writes screenshots to look at:
 * `<name>.png` of the first screen and `<name>.full.png` of the whole page.
 *
 *   npx tsx scripts/check-html.ts <report.json|report.html>... [--screenshots <dir>]
 *   npx tsx scripts/check-html.ts --examples [--screenshots <dir>]
 *
 * A .json report is rendered with renderHtml first. `--examples` makes the reports first with the
 * built CLI: `diagnose --apply-fix suggested` of every example and `analyze` of Keras and Lightning
 * logs. Every plot's text is measured as drawn at 1280 and at 800 px wide (`<name>.800.png` is the
 * page at 800). Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
 * JSON messages ending in NUL on fds 3 and 4), which reports console calls and exceptions as
 * events instead of leaving them to be scraped from stderr. Never
 * part of `npm test`'s requirements: Chromium is an optional Debian package.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Report } from '../src/report/report.js';
import { renderHtml } from '../src/report/html/index.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT_WIDTH = 1280;
/** The first screen of a laptop browser: what a reader sees before scrolling. */
const VIEWPORT_HEIGHT = 800;
/** The narrowest window the page is laid out for: plot text must stay readable down to it. */
const NARROW_WIDTH = 800;
/** Plots draw their text at 12 px; shrunk with the plot below this it is hard to read (issue 16 measured 9 px). */
export const MIN_PLOT_TEXT_PX = 11;
/**
 * What the first screen must show, by selector: the verdict, the one thing to do, and the proof
 * (the best trial against the baseline, or the top finding's evidence).
 */
export const FIRST_SCREEN = { verdict: '.verdict', action: '#action', proof: '#proof' } as const;
/** Two widths, each with a full-page screenshot, on a shared machine: generous, as only a hang should hit it. */
const TIMEOUT_MS = 60_000;
/** Console messages can trail the load event by a tick; wait this long before judging. */
const SETTLE_MS = 300;

export interface PageCheck {
  /** Console errors, exceptions, log errors and external requests, one line each; empty when clean. */
  problems: string[];
  /** The full page as PNG. */
  screenshot: Buffer;
  /** The first screen (1280×800) as PNG. */
  firstScreen: Buffer;
  /** The page's height in CSS pixels. */
  height: number;
  /** The full page at NARROW_WIDTH as PNG. */
  narrow: Buffer;
}

/** A reply (with the command's id) or an event (with its method), as Chromium sends them. */
interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

/**
 * What this script reads of the DevTools protocol (chromedevtools.github.io/devtools-protocol), by
 * method: the replies to its commands and the parameters of the events it watches. Chromium is
 * trusted to send these shapes, as any typed protocol client trusts them; other commands' replies
 * are not read.
 */
interface Replies {
  'Target.createTarget': { targetId: string };
  'Target.attachToTarget': { sessionId: string };
  'Page.getLayoutMetrics': { cssContentSize: { height: number } };
  'Page.captureScreenshot': { data: string };
  'Runtime.evaluate': { result: { value?: unknown } };
}
type Reply<Method extends string> = Method extends keyof Replies ? Replies[Method] : unknown;

/** A console argument or a thrown value: primitives come as a value, everything else as a description. */
interface RemoteObject {
  value?: string | number | boolean | null;
  description?: string;
}

interface Events {
  'Page.loadEventFired': unknown;
  'Runtime.exceptionThrown': { exceptionDetails: { text: string; exception?: RemoteObject } };
  'Runtime.consoleAPICalled': { type: string; args: RemoteObject[] };
  'Log.entryAdded': { entry: { level: string; source: string; text: string; url?: string } };
  'Network.requestWillBeSent': { request: { url: string } };
}

/** A DevTools protocol client over Chromium's pipe. */
class DevTools {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners: ((message: Message) => void)[] = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    let buffer = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        this.dispatch(JSON.parse(buffer.slice(0, end)) as Message);
        buffer = buffer.slice(end + 1);
      }
    });
  }

  send<Method extends string>(method: Method, params: object = {}, sessionId?: string): Promise<Reply<Method>> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    return new Promise((resolve, reject) =>
      this.pending.set(id, { resolve: (result) => resolve(result as Reply<Method>), reject }),
    );
  }

  on<Method extends keyof Events>(method: Method, listener: (params: Events[Method]) => void): void {
    this.listeners.push((message) => {
      if (message.method === method) listener(message.params as Events[Method]);
    });
  }

  private dispatch(message: Message): void {
    if (message.id === undefined) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result);
  }
}

export async function checkPage(htmlFile: string): Promise<PageCheck> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'convdoc-chromium-'));
  const browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  browser.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => browser.kill('SIGKILL'), TIMEOUT_MS);
  const exited = new Promise<void>((resolve) => browser.on('exit', () => resolve()));
  try {
    const failed = exited.then(() => {
      throw new Error(`chromium exited before the check finished:\n${stderr.slice(-2000)}`);
    });
    return await Promise.race([
      inspectPage(new DevTools(browser.stdio[3] as Writable, browser.stdio[4] as Readable), htmlFile),
      failed,
    ]);
  } finally {
    clearTimeout(timer);
    browser.kill();
    await exited;
    // Chromium's helper processes outlive the browser by a moment and may still write the profile.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

async function inspectPage(devtools: DevTools, htmlFile: string): Promise<PageCheck> {
  const problems: string[] = [];
  let loaded: () => void = () => {};
  const load = new Promise<void>((resolve) => (loaded = resolve));
  devtools.on('Page.loadEventFired', () => loaded());
  devtools.on('Runtime.exceptionThrown', ({ exceptionDetails }) =>
    problems.push(`uncaught: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`),
  );
  devtools.on('Runtime.consoleAPICalled', ({ type, args }) => {
    if (type === 'error' || type === 'assert')
      problems.push(`console.${type}: ${args.map((arg) => arg.value ?? arg.description).join(' ')}`);
  });
  devtools.on('Log.entryAdded', ({ entry }) => {
    if (entry.level === 'error') problems.push(`${entry.source}: ${entry.text}${entry.url ? ` (${entry.url})` : ''}`);
  });
  devtools.on('Network.requestWillBeSent', ({ request }) => {
    if (!/^(file|data|about):/.test(request.url)) problems.push(`request leaves the file: ${request.url}`);
  });
  const { targetId } = await devtools.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await devtools.send('Target.attachToTarget', { targetId, flatten: true });
  const send = <Method extends string>(method: Method, params: object = {}) => devtools.send(method, params, sessionId);
  await Promise.all(['Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable'].map((method) => send(method)));
  await send('Emulation.setDeviceMetricsOverride', {
    width: VIEWPORT_WIDTH,
    height: VIEWPORT_HEIGHT,
    deviceScaleFactor: 1,
    mobile: false,
  });
  await send('Page.navigate', { url: pathToFileURL(path.resolve(htmlFile)).href });
  await load;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  problems.push(
    ...(await firstScreenProblems(send)),
    ...(await plotTextProblems(send, VIEWPORT_WIDTH)),
    ...(await sidewaysProblems(send, VIEWPORT_WIDTH)),
  );
  const firstScreen = await send('Page.captureScreenshot', { format: 'png' });
  const screenshot = await fullPage(send, VIEWPORT_WIDTH);
  await send('Emulation.setDeviceMetricsOverride', {
    width: NARROW_WIDTH,
    height: VIEWPORT_HEIGHT,
    deviceScaleFactor: 1,
    mobile: false,
  });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  problems.push(...(await plotTextProblems(send, NARROW_WIDTH)), ...(await sidewaysProblems(send, NARROW_WIDTH)));
  const narrow = await fullPage(send, NARROW_WIDTH);
  await devtools.send('Browser.close').catch(() => undefined);
  return {
    problems,
    screenshot: screenshot.png,
    firstScreen: Buffer.from(firstScreen.data, 'base64'),
    height: screenshot.height,
    narrow: narrow.png,
  };
}

/** The page scrolls sideways when an element reaches past the window: name the one reaching furthest. */
async function sidewaysProblems(send: Send, width: number): Promise<string[]> {
  const expression = `(() => {
      if (document.documentElement.scrollWidth <= document.documentElement.clientWidth) return null;
      let widest = null;
      for (const element of document.body.querySelectorAll('*')) {
        const right = element.getBoundingClientRect().right;
        if (widest === null || right > widest.right) widest = { right, tag: element.tagName.toLowerCase(), text: (element.textContent ?? '').slice(0, 60) };
      }
      return JSON.stringify(widest);
    })()`;
  const { result } = await send('Runtime.evaluate', { expression, returnByValue: true });
  if (typeof result.value !== 'string') return [];
  const { right, tag, text } = JSON.parse(result.value) as { right: number; tag: string; text: string };
  return [`at ${width} px wide, the page scrolls sideways: a <${tag}> reaches ${Math.round(right)} px ("${text}")`];
}

async function fullPage(send: Send, width: number): Promise<{ png: Buffer; height: number }> {
  const { cssContentSize } = await send('Page.getLayoutMetrics');
  const height = Math.ceil(cssContentSize.height);
  const { data } = await send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width, height, scale: 1 },
  });
  return { png: Buffer.from(data, 'base64'), height };
}

/**
 * Each plot whose text the browser draws below MIN_PLOT_TEXT_PX at this window width: an SVG
 * scales its text with its width, so a plot wider than its column shrinks its labels.
 */
async function plotTextProblems(send: Send, width: number): Promise<string[]> {
  const expression = `JSON.stringify([...document.querySelectorAll('svg.plot')].map((svg) => {
      const text = svg.querySelector('text');
      const size = text === null ? 0 : parseFloat(getComputedStyle(text).fontSize);
      return { label: svg.getAttribute('aria-label'), px: size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width };
    }))`;
  const { result } = await send('Runtime.evaluate', { expression, returnByValue: true });
  const plots = JSON.parse(String(result.value)) as { label: string; px: number }[];
  return plots
    .filter(({ px }) => px < MIN_PLOT_TEXT_PX)
    .map(
      ({ label, px }) =>
        `at ${width} px wide, the text of "${label}" is ${px.toFixed(1)} px (under ${MIN_PLOT_TEXT_PX})`,
    );
}

type Send = <Method extends string>(method: Method, params?: object) => Promise<Reply<Method>>;

/** Each of FIRST_SCREEN that is missing, empty or reaches below the first screen. */
async function firstScreenProblems(send: Send): Promise<string[]> {
  const expression = `JSON.stringify(Object.fromEntries(Object.entries(${JSON.stringify(FIRST_SCREEN)}).map(
    ([name, selector]) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return [name, box === undefined ? null : { top: box.top, bottom: box.bottom, height: box.height }];
    })))`;
  const { result } = await send('Runtime.evaluate', { expression, returnByValue: true });
  const boxes = JSON.parse(String(result.value)) as Record<
    string,
    { top: number; bottom: number; height: number } | null
  >;
  return Object.entries(boxes).flatMap(([name, box]) => {
    if (box === null || box.height === 0)
      return [`first screen: no ${name} (${FIRST_SCREEN[name as keyof typeof FIRST_SCREEN]})`];
    return box.bottom > VIEWPORT_HEIGHT
      ? [`first screen: the ${name} ends at ${Math.round(box.bottom)} px, below the first ${VIEWPORT_HEIGHT} px`]
      : [];
  });
}

/** The page to open: the file itself, or the rendering of a JSON report in a temporary file. */
function pageFor(input: string): { file: string; cleanup: () => void } {
  if (!input.endsWith('.json')) return { file: input, cleanup: () => {} };
  const directory = mkdtempSync(path.join(os.tmpdir(), 'convdoc-html-'));
  const file = path.join(directory, 'report.html');
  const html = renderHtml(JSON.parse(readFileSync(input, 'utf8')) as Report);
  writeFileSync(file, html);
  console.error(`rendered ${input}: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB of HTML`);
  return { file, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

/** Reports of every example after `diagnose --apply-fix suggested`, and of analyzed Keras and Lightning logs, made by the built CLI. */
function exampleReports(directory: string): string[] {
  const runs = [
    ...readdirSync('examples').map((name) => ({
      name,
      args: ['diagnose', `examples/${name}/convdoc.yaml`, '--apply-fix', 'suggested'],
    })),
    { name: 'analyze-keras-diverging', args: ['analyze', 'fixtures/logs/keras-diverging.csv'] },
    { name: 'analyze-lightning', args: ['analyze', 'fixtures/logs/lightning_logs/version_0/metrics.csv'] },
    { name: 'analyze-keras-overfitting', args: ['analyze', 'fixtures/logs/keras-overfitting.csv'] },
  ];
  return runs.map(({ name, args }) => {
    const file = path.join(directory, `${name}.json`);
    console.error(`convdoc ${args.join(' ')}`);
    const run = spawnSync(process.execPath, ['bin/convdoc.js', ...args, '--json', '--no-progress', '-o', file], {
      stdio: 'inherit',
    });
    // 1 is an unhealthy verdict, a report all the same; 2 is a run that could not report.
    if (run.status !== 0 && run.status !== 1) throw new Error(`convdoc ${args.join(' ')} exited ${run.status}`);
    return file;
  });
}

async function checkOne(input: string, screenshots: string | undefined): Promise<string[]> {
  const page = pageFor(input);
  try {
    const { problems, screenshot, firstScreen, height, narrow } = await checkPage(page.file);
    if (screenshots !== undefined) {
      const name = path.basename(input).replace(/\.(json|html)$/, '');
      writeFileSync(path.join(screenshots, `${name}.png`), firstScreen);
      writeFileSync(path.join(screenshots, `${name}.full.png`), screenshot);
      writeFileSync(path.join(screenshots, `${name}.${NARROW_WIDTH}.png`), narrow);
      console.error(
        `screenshots: ${path.join(screenshots, name)}{,.full,.${NARROW_WIDTH}}.png (${VIEWPORT_WIDTH}×${height})`,
      );
    }
    for (const problem of problems) console.error(`✖ ${input}: ${problem}`);
    return problems;
  } finally {
    page.cleanup();
  }
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--screenshots');
  const screenshots = at < 0 ? undefined : argv[at + 1];
  const rest = argv.filter((_, index) => at < 0 || (index !== at && index !== at + 1));
  const examples = rest.includes('--examples');
  const inputs = rest.filter((arg) => arg !== '--examples');
  if ((inputs.length === 0 && !examples) || (at >= 0 && screenshots === undefined)) {
    console.error(
      'usage: npx tsx scripts/check-html.ts <report.json|report.html>... | --examples [--screenshots <dir>]',
    );
    return 2;
  }
  if (screenshots !== undefined) mkdirSync(screenshots, { recursive: true });
  const made = examples ? mkdtempSync(path.join(os.tmpdir(), 'convdoc-examples-')) : undefined;
  try {
    const files = [...inputs, ...(made === undefined ? [] : exampleReports(made))];
    let problems = 0;
    for (const file of files) problems += (await checkOne(file, screenshots)).length;
    console.error(
      problems === 0
        ? `✔ ${files.length} page(s): verdict, action and proof on the first screen; no console errors, no external requests`
        : `${problems} problem(s)`,
    );
    return problems === 0 ? 0 : 1;
  } finally {
    if (made !== undefined) rmSync(made, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
