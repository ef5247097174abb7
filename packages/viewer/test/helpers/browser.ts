import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { REPOSITORY_ROOT } from './run-demo';

/** Debian's Chromium (`.ci/run` installs it); playwright-core brings no browser of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Where screenshots go: a temporary folder, or the docs when THREADLINE_SCREENSHOTS names a
 * folder (`THREADLINE_SCREENSHOTS=docs/images` refreshes the ones the docs show).
 */
export function screenshotPath(name: string): string {
  const folder = process.env.THREADLINE_SCREENSHOTS
    ? resolve(REPOSITORY_ROOT, process.env.THREADLINE_SCREENSHOTS)
    : join(tmpdir(), 'threadline-viewer-screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
