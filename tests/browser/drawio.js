// Reads a draw.io file the way diagrams.net does, with the mxGraph library
// (npm mxgraph 4.2.2) in headless Chromium: decodes the model, draws it, and
// prints every cell (id, parent, terminals, properties, geometry) as JSON for
// the Rust test to compare with strata's layout. With a second argument,
// saves a screenshot of the drawing there.
//
//   node tests/browser/drawio.js FILE.drawio [SCREENSHOT.png]
'use strict';
const fs = require('fs');
const path = require('path');
const { open, run } = require('./chromium');

run(async () => {
  const [file, screenshot] = process.argv.slice(2);
  const xml = fs.readFileSync(file, 'utf8');
  const { page, events, close } = await open();
  try {
    await page.setContent('<!doctype html><html><body style="margin:0"><div id="graph"></div></body></html>');
    // mxGraph must not fetch its resource bundles or stylesheet (no network).
    await page.addScriptTag({
      content: 'window.mxLoadResources = false; window.mxLoadStylesheet = false; window.mxBasePath = "."; window.mxImageBasePath = ".";',
    });
    await page.addScriptTag({ path: path.join(__dirname, 'node_modules/mxgraph/javascript/mxClient.js') });
    const result = await page.evaluate((xml) => {
      const doc = mxUtils.parseXml(xml);
      const error = doc.getElementsByTagName('parsererror')[0];
      if (error) throw new Error('the browser refuses the XML: ' + error.textContent);
      const modelNode = doc.getElementsByTagName('mxGraphModel')[0];
      const container = document.getElementById('graph');
      const width = Number(modelNode.getAttribute('pageWidth'));
      const height = Number(modelNode.getAttribute('pageHeight'));
      container.style.width = width + 'px';
      container.style.height = height + 'px';
      container.style.background = modelNode.getAttribute('background');
      const graph = new mxGraph(container);
      // What draw.io does for <object> cells: the label property is the label.
      graph.convertValueToString = (cell) =>
        mxUtils.isNode(cell.value) ? cell.value.getAttribute('label') || '' : String(cell.value ?? '');
      graph.getModel().beginUpdate();
      try {
        new mxCodec(doc).decode(modelNode, graph.getModel());
      } finally {
        graph.getModel().endUpdate();
      }
      const model = graph.getModel();
      const property = (cell, key) => (mxUtils.isNode(cell.value) ? cell.value.getAttribute(key) : null);
      const cells = Object.values(model.cells).map((cell) => {
        const g = cell.geometry;
        return {
          id: cell.id,
          parent: cell.parent ? cell.parent.id : null,
          vertex: !!cell.vertex,
          edge: !!cell.edge,
          source: cell.source ? cell.source.id : null,
          target: cell.target ? cell.target.id : null,
          node: property(cell, 'node'),
          kind: property(cell, 'kind'),
          from: property(cell, 'from'),
          to: property(cell, 'to'),
          tooltip: property(cell, 'tooltip'),
          label: graph.convertValueToString(cell),
          style: cell.style || '',
          geometry: g && !g.relative ? [g.x, g.y, g.width, g.height] : null,
          points: g && g.points ? g.points.map((p) => [p.x, p.y]) : [],
        };
      });
      // What the drawing put in the page: anything a name smuggled in would
      // be an element or attribute of its own here.
      const drawn = container.querySelector('svg');
      const smuggled = [...drawn.querySelectorAll('*')]
        .filter((e) => ['script', 'foreignObject', 'iframe', 'img', 'object'].includes(e.localName)
          || [...e.attributes].some((a) => a.name.startsWith('on')))
        .map((e) => e.outerHTML.slice(0, 200));
      const texts = [...drawn.querySelectorAll('text')].map((t) => t.textContent);
      return { cells, smuggled, texts, pwned: window.__pwned ?? null };
    }, xml);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { ...result, ...events };
  } finally {
    await close();
  }
});
