// Drives the steward console in Debian's Chromium, as a steward would:
// sign in with a token, open a review task from the queue, take it
// ("Assign to me"), merge it.
//
//   node console.mjs CONSOLE_URL TOKEN TASK_ID SCREENSHOT_DIR
//
// Prints one JSON line ({"golden_id": …}: the profile the merge landed on)
// and exits non-zero on any failure. Started by
// integration-tests/tests/console_browser.rs, which then checks the merge
// over gRPC.
import { chromium } from 'playwright-core';

const [url, token, taskId, screenshots] = process.argv.slice(2);
if (!url || !token || !taskId || !screenshots) {
  console.error('usage: node console.mjs CONSOLE_URL TOKEN TASK_ID SCREENSHOT_DIR');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.C360_CHROMIUM || '/usr/bin/chromium',
  // Containers run as root without user namespaces: no sandbox there.
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15000);

  // Not signed in: the queue answers 401 with the sign-in form.
  const first = await page.goto(`${url}/`);
  if (first.status() !== 401) throw new Error(`expected 401 before sign-in, got ${first.status()}`);
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);

  // The queue lists the task; open it.
  const link = page.locator(`a[href="/tasks/${taskId}"]`);
  await link.first().click();
  await page.waitForSelector('#merge');
  // The explanation is shown per field.
  const fields = await page.locator('table.comparison tbody tr').count();
  if (fields < 2) throw new Error(`expected a field-by-field comparison, got ${fields} rows`);
  await page.screenshot({ path: `${screenshots}/console-task.png`, fullPage: true });

  // Take the task: the page reloads with the new version and says so.
  await Promise.all([page.waitForNavigation(), page.click('#assign-me')]);
  const holder = await page.textContent('#assignee');
  if (!holder.includes('Assigned to you')) throw new Error(`expected the task to be ours, got ${holder}`);

  // One click merges; the console shows the merged profile.
  await Promise.all([page.waitForNavigation(), page.click('#merge')]);
  await page.waitForSelector('.ok');
  const goldenId = await page.getAttribute('#golden-id', 'data-id');
  await page.screenshot({ path: `${screenshots}/console-merged.png`, fullPage: true });
  console.log(JSON.stringify({ golden_id: goldenId }));
} finally {
  await browser.close();
}
