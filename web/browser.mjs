// Drives Debian's Chromium through the planners' map, for the Go test in
// browser_test.go: load the map, wait for the grids to draw, screenshot; then
// paint a block into a neighbouring grid through the same code the map's
// clicks use, and wait until the tiles show the block in its new grid.
// Usage: node browser.mjs URL KEY OUTDIR BLOCK TO LON LAT
import { chromium } from 'playwright-core';

const [url, key, out, block, to, lon, lat] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const result = { errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
  page.setDefaultTimeout(180000);
  page.on('pageerror', (e) => result.errors.push(String(e)));
  await page.goto(url);
  // Software WebGL on a busy machine is slow: wait long, and say what the
  // map was doing if it never settles.
  await page.waitForFunction(() => window.gridline?.ready === true, null, { timeout: 180000 }).catch(async (e) => {
    const why = await page.evaluate(() => {
      const g = window.gridline;
      return g ? { loaded: g.map.loaded(), tiles: g.map.areTilesLoaded(), style: g.map.isStyleLoaded() } : 'no window.gridline';
    });
    throw new Error(`${e.message}; map: ${JSON.stringify(why)}`);
  });
  await page.screenshot({ path: `${out}/map.png` });

  const at = [Number(lon), Number(lat)];
  const gridAt = () => page.evaluate((at) => {
    const m = window.gridline.map;
    const f = m.queryRenderedFeatures(m.project(at), { layers: ['grids-fill'] })[0];
    return f ? f.properties.code : null;
  }, at);
  await page.evaluate((at) => window.gridline.map.jumpTo({ center: at, zoom: 16 }), at);
  await page.waitForFunction(() => window.gridline.map.areTilesLoaded() && !window.gridline.map.isMoving(), null, { timeout: 180000 });
  await page.waitForTimeout(300);
  result.before = await gridAt();

  await page.fill('#key', key);
  await page.check('#force');
  result.status = (await page.evaluate(([b, to]) => window.gridline.paint(Number(b), to).then((r) => r.status), [block, to]));
  result.answer = await page.textContent('#answer');
  await page.waitForFunction(([at, to]) => {
    const m = window.gridline.map;
    const f = m.queryRenderedFeatures(m.project(at), { layers: ['grids-fill'] })[0];
    return f && f.properties.code === to;
  }, [at, to], { timeout: 120000 }).catch(() => {});
  result.after = await gridAt();
  await page.screenshot({ path: `${out}/after.png` });
} catch (e) {
  result.errors.push(`driver: ${e}`);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
