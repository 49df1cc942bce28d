// Drives strata's HTML viewer in headless Chromium as a user would, from
// the file on disk with the network refused: searches, clicks a tile,
// hovers it, toggles an edge kind and zooms with the keyboard, then prints
// what the page showed at each step (and every console error, page error,
// dialog and refused request) as JSON for the Rust test to judge.
//
//   node tests/browser/html.js FILE.html PLAN.json [SCREENSHOT-PREFIX]
//
// PLAN: {"search": text, "click": tile id, "toggle": edge kind}
'use strict';
const fs = require('fs');
const path = require('path');
const { open, run } = require('./chromium');

run(async () => {
  const [file, planFile, screenshots] = process.argv.slice(2);
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const { page, events, close } = await open();
  const shoot = async (name) => {
    if (screenshots) await page.screenshot({ path: `${screenshots}-${name}.png` });
  };
  try {
    await page.goto('file://' + path.resolve(file));
    await page.waitForSelector('html[data-viewer="ready"]', { timeout: 20000 });
    await shoot('fit');
    const centreOf = (id) => page.evaluate((id) => {
      const element = [...document.querySelectorAll('g[data-id]')].find((e) => e.getAttribute('data-id') === id);
      const rect = element.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, id);
    const scale = () => page.evaluate(() => new DOMMatrix(getComputedStyle(document.getElementById('canvas')).transform).a);

    const result = {};
    await page.fill('#search', plan.search);
    result.search = await page.evaluate(() => {
      const focused = document.querySelector('g.focused');
      const viewport = document.getElementById('viewport').getBoundingClientRect();
      const rect = focused && focused.getBoundingClientRect();
      return {
        matches: [...document.querySelectorAll('g.match')].map((e) => e.getAttribute('data-id')),
        focused: focused && focused.getAttribute('data-id'),
        inView: !!rect && rect.left >= viewport.left && rect.right <= viewport.right
          && rect.top >= viewport.top && rect.bottom <= viewport.bottom,
        count: document.getElementById('search-count').textContent,
      };
    });
    await shoot('search');
    // Clear the search (Escape) and fit the picture (0): the tile to click
    // is then on screen, wherever the search took the view.
    await page.keyboard.press('Escape');
    await page.keyboard.press('0');

    const centre = await centreOf(plan.click);
    await page.mouse.click(centre.x, centre.y);
    result.panel = await page.evaluate(() => {
      const panel = document.getElementById('panel');
      return {
        visible: !panel.hidden && panel.getBoundingClientRect().width > 0,
        title: panel.querySelector('h2') && panel.querySelector('h2').textContent,
        text: document.getElementById('panel-body').innerText,
        evidence: [...panel.querySelectorAll('.edge li')].map((li) => li.textContent),
        edges: [...panel.querySelectorAll('.edge')].map((e) => e.getAttribute('data-edge-kind')),
      };
    });
    await shoot('details');

    const hover = await centreOf(plan.click);
    await page.mouse.move(hover.x, hover.y);
    result.hover = await page.evaluate(() => ({
      lit: [...document.querySelectorAll('polyline.lit')].length,
      neighbours: [...document.querySelectorAll('g.neighbour')].map((e) => e.getAttribute('data-id')),
    }));
    await page.mouse.move(1, 60);

    const hidden = (kind) => page.evaluate((kind) => {
      const edges = [...document.querySelectorAll('polyline[data-from]')].filter((e) => e.getAttribute('data-kind') === kind);
      return { total: edges.length, hidden: edges.filter((e) => getComputedStyle(e).display === 'none').length };
    }, kind);
    const before = await hidden(plan.toggle);
    await page.click(`#edge-kinds input[data-kind="${plan.toggle}"]`);
    const after = await hidden(plan.toggle);
    const others = await page.evaluate((kind) =>
      [...document.querySelectorAll('polyline[data-from]')]
        .filter((e) => e.getAttribute('data-kind') !== kind && getComputedStyle(e).display === 'none').length, plan.toggle);
    result.toggle = { before, after, othersHidden: others };
    await shoot('toggled');

    await page.keyboard.press('Escape');
    await page.focus('#viewport');
    await page.keyboard.press('0');
    const fitted = await scale();
    await page.keyboard.press('+');
    const zoomed = await scale();
    await page.keyboard.press('0');
    result.keyboard = { fitted, zoomed, refitted: await scale() };

    result.pwned = await page.evaluate(() => (window.__pwned === undefined ? null : String(window.__pwned)));
    return { ...result, ...events };
  } finally {
    await close();
  }
});
