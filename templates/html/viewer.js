// The strata viewer: pan and zoom over strata's own SVG, search, a details
// panel, neighbour highlighting and edge-kind toggles. It lays nothing out:
// it reads the SVG's data-* attributes (ids, kinds, boxes, edge ends) and
// the embedded graph JSON (attributes, status, edge evidence). Every string
// from the estate reaches the page through textContent, never as markup.
(function () {
  'use strict';

  const graph = JSON.parse(document.getElementById('strata-graph').textContent);
  const frameKinds = new Set(JSON.parse(document.getElementById('strata-frames').textContent));
  const viewport = document.getElementById('viewport');
  const canvas = document.getElementById('canvas');
  const svg = canvas.querySelector('svg');
  const search = document.getElementById('search');
  const searchCount = document.getElementById('search-count');
  const panel = document.getElementById('panel');
  const panelBody = document.getElementById('panel-body');

  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  // A Multi-AZ standby is drawn as `ID#standby`: its node is the primary's.
  const nodeOf = (id) => nodes.get(id) || nodes.get(id.replace(/#standby$/, ''));

  // ------------------------------------------------------------ what is drawn
  const drawn = [...svg.querySelectorAll('g[data-id]')];
  const drawnById = new Map(drawn.map((element) => [element.getAttribute('data-id'), element]));
  const isTile = (element) => !frameKinds.has(element.getAttribute('data-kind'));
  drawn.filter(isTile).forEach((element) => element.classList.add('tile'));
  const box = (element) => element.getAttribute('data-bbox').split(' ').map(Number);

  const edges = [...svg.querySelectorAll('polyline[data-from]')];
  const edgeKey = (from, to, kind) => `${from} ${to} ${kind}`;
  const labels = new Map(
    [...svg.querySelectorAll('g[data-label-of]')].map((label) => [label.getAttribute('data-label-of'), label])
  );
  const labelOf = (edge) =>
    labels.get(edgeKey(edge.getAttribute('data-from'), edge.getAttribute('data-to'), edge.getAttribute('data-kind')));
  // Drawn edges by the drawn element at either end, for hover.
  const edgesAt = new Map();
  for (const edge of edges) {
    for (const end of [edge.getAttribute('data-from'), edge.getAttribute('data-to')]) {
      if (!edgesAt.has(end)) edgesAt.set(end, []);
      edgesAt.get(end).push(edge);
    }
  }

  // ------------------------------------------------------------ pan and zoom
  const view = { scale: 1, x: 0, y: 0 };
  const size = { width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')) };
  const apply = () => {
    canvas.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  };
  const clampScale = (scale) => Math.min(8, Math.max(0.02, scale));
  const fit = () => {
    const width = viewport.clientWidth - (panel.hidden ? 0 : panel.offsetWidth);
    const height = viewport.clientHeight;
    view.scale = clampScale(Math.min(width / size.width, height / size.height) * 0.98);
    view.x = (width - size.width * view.scale) / 2;
    view.y = (height - size.height * view.scale) / 2;
    apply();
  };
  const zoomAt = (factor, cx, cy) => {
    const scale = clampScale(view.scale * factor);
    view.x = cx - ((cx - view.x) * scale) / view.scale;
    view.y = cy - ((cy - view.y) * scale) / view.scale;
    view.scale = scale;
    apply();
  };
  const zoomCentre = (factor) => zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2);
  // Centre an element, zooming in so a tile is readable.
  const focusOn = (element) => {
    const [x, y, w, h] = box(element);
    const width = viewport.clientWidth - (panel.hidden ? 0 : panel.offsetWidth);
    const height = viewport.clientHeight;
    const fits = Math.min(width / (w * 1.4), height / (h * 1.4));
    view.scale = clampScale(Math.min(Math.max(view.scale, 1), fits));
    view.x = width / 2 - (x + w / 2) * view.scale;
    view.y = height / 2 - (y + h / 2) * view.scale;
    apply();
  };

  viewport.addEventListener('wheel', (event) => {
    event.preventDefault();
    const origin = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - origin.left, event.clientY - origin.top);
  }, { passive: false });

  let drag = null;
  let dragged = false;
  viewport.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, viewX: view.x, viewY: view.y };
    dragged = false;
  });
  window.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) viewport.classList.add('dragging');
    dragged = true;
    view.x = drag.viewX + dx;
    view.y = drag.viewY + dy;
    apply();
  });
  window.addEventListener('pointerup', () => {
    drag = null;
    viewport.classList.remove('dragging');
  });

  document.getElementById('zoom-in').addEventListener('click', () => zoomCentre(1.25));
  document.getElementById('zoom-out').addEventListener('click', () => zoomCentre(0.8));
  document.getElementById('fit').addEventListener('click', fit);
  window.addEventListener('resize', fit);

  // ------------------------------------------------------------ search
  // What a drawn element is found by: its tooltip (name, id, type, status
  // and what is folded into it) and its node's ids, ARN, tags and attributes.
  const searchText = new Map(
    drawn.map((element) => {
      const title = element.querySelector('title');
      const node = nodeOf(element.getAttribute('data-id'));
      const fields = node
        ? [node.id, node.name, node.resource_id, node.arn, node.status, JSON.stringify(node.attrs)]
        : [];
      return [element, [title ? title.textContent : '', ...fields].join('\n').toLowerCase()];
    })
  );
  let matches = [];
  let current = -1;
  const focusMatch = (index) => {
    matches.forEach((element) => element.classList.remove('focused'));
    if (matches.length === 0) return;
    current = (index + matches.length) % matches.length;
    matches[current].classList.add('focused');
    focusOn(matches[current]);
    searchCount.textContent = `${current + 1} / ${matches.length}`;
  };
  const runSearch = () => {
    matches.forEach((element) => element.classList.remove('match', 'focused'));
    const query = search.value.trim().toLowerCase();
    matches = query ? drawn.filter((element) => searchText.get(element).includes(query)) : [];
    // Resources before the frames they sit in.
    matches.sort((a, b) => Number(isTile(b)) - Number(isTile(a)));
    matches.forEach((element) => element.classList.add('match'));
    current = -1;
    searchCount.textContent = query ? (matches.length ? '' : 'no match') : '';
    focusMatch(0);
  };
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      focusMatch(current + (event.shiftKey ? -1 : 1));
    } else if (event.key === 'Escape') {
      search.value = '';
      runSearch();
      viewport.focus();
    }
  });
  document.getElementById('search-next').addEventListener('click', () => focusMatch(current + 1));
  document.getElementById('search-previous').addEventListener('click', () => focusMatch(current - 1));

  // ------------------------------------------------------------ details
  const element = (tag, text, className) => {
    const created = document.createElement(tag);
    if (text !== undefined) created.textContent = text;
    if (className) created.className = className;
    return created;
  };
  const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  const table = (rows) => {
    const body = element('table');
    for (const [key, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      const row = element('tr');
      row.append(element('th', key), element('td', show(value)));
      body.append(row);
    }
    return body;
  };
  const nameOf = (id) => {
    const node = nodes.get(id);
    return node && node.name ? `${node.name} (${node.kind})` : id;
  };
  let selected = null;
  const closePanel = () => {
    panel.hidden = true;
    if (selected) selected.classList.remove('selected');
    selected = null;
  };
  const openPanel = (drawnElement) => {
    if (selected) selected.classList.remove('selected');
    selected = drawnElement;
    selected.classList.add('selected');
    const id = drawnElement.getAttribute('data-id');
    const node = nodeOf(id);
    const title = drawnElement.querySelector('title');
    panelBody.replaceChildren();
    panelBody.append(element('h2', node ? node.name || node.id : id));
    panelBody.append(element('div', drawnElement.getAttribute('data-kind'), 'kind'));
    const badge = drawnElement.getAttribute('data-status');
    if (node && (node.status || badge)) {
      panelBody.append(element('span', [node.status, badge].filter(Boolean).join(' · '), 'status'));
    }
    panelBody.append(element('h3', 'Resource'));
    panelBody.append(table(node
      ? [['id', node.id], ['resource id', node.resource_id], ['ARN', node.arn], ['account', node.account],
         ['region', node.region], ['status', node.status], ['parent', node.parent]]
      : [['id', id]]));
    if (node && node.cost) {
      // The node's own estimate (what folds into its tile has its own).
      const cost = node.cost;
      panelBody.append(element('h3', 'Cost'));
      const rows = [[`per ${cost.period} (${cost.hours} h)`,
        cost.amount === null ? 'no price' : `${cost.amount} ${cost.currency}`]];
      cost.charges.forEach((charge) =>
        rows.push([charge.what, `${charge.basis} = ${charge.amount}${charge.assumed ? ' (assumed usage)' : ''} · ${charge.date}`]));
      cost.unpriced.forEach((reason) => rows.push(['no price', reason]));
      cost.usage.forEach((usage) => rows.push(['usage-based', usage]));
      cost.notes.forEach((note) => rows.push(['note', note]));
      panelBody.append(table(rows));
    }
    if (node && Object.keys(node.attrs).length) {
      panelBody.append(element('h3', 'Attributes'));
      const rows = [];
      for (const [key, value] of Object.entries(node.attrs)) {
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [inner, innerValue] of Object.entries(value)) rows.push([`${key}.${inner}`, innerValue]);
        } else {
          rows.push([key, Array.isArray(value) ? value.map(show).join(', ') : value]);
        }
      }
      panelBody.append(table(rows));
    }
    const related = node ? graph.edges.filter((edge) => edge.from === node.id || edge.to === node.id) : [];
    panelBody.append(element('h3', `Relationships (${related.length})`));
    for (const edge of related) {
      const item = element('div', undefined, 'edge');
      item.setAttribute('data-edge-kind', edge.kind);
      const outgoing = edge.from === node.id;
      const line = element('div');
      line.append(
        element('span', `${outgoing ? '→' : '←'} ${edge.kind}${edge.label ? ` (${edge.label})` : ''} `),
        element('span', nameOf(outgoing ? edge.to : edge.from), 'end')
      );
      item.append(line);
      if (edge.evidence.length) {
        const list = element('ul');
        edge.evidence.forEach((evidence) => list.append(element('li', evidence)));
        item.append(list);
      }
      panelBody.append(item);
    }
    if (title) {
      panelBody.append(element('h3', 'As drawn'));
      panelBody.append(element('pre', title.textContent));
    }
    panel.hidden = false;
    // Keep what was clicked in sight beside the panel.
    if (drawnElement.getBoundingClientRect().right > panel.getBoundingClientRect().left) focusOn(drawnElement);
  };
  document.getElementById('panel-close').addEventListener('click', closePanel);
  svg.addEventListener('click', (event) => {
    if (dragged) return;
    const target = event.target.closest('g[data-id]');
    if (target) openPanel(target);
    else closePanel();
  });

  // ------------------------------------------------------------ hover
  let hovered = null;
  const clearHover = () => {
    if (!hovered) return;
    svg.classList.remove('hovering');
    svg.querySelectorAll('.lit, .neighbour, .hovered').forEach((lit) => lit.classList.remove('lit', 'neighbour', 'hovered'));
    hovered = null;
  };
  svg.addEventListener('pointerover', (event) => {
    const tile = event.target.closest('g.tile');
    if (tile === hovered) return;
    clearHover();
    if (!tile || drag) return;
    hovered = tile;
    const id = tile.getAttribute('data-id');
    tile.classList.add('hovered');
    for (const edge of edgesAt.get(id) || []) {
      edge.classList.add('lit');
      const label = labelOf(edge);
      if (label) label.classList.add('lit');
      const other = edge.getAttribute('data-from') === id ? edge.getAttribute('data-to') : edge.getAttribute('data-from');
      const end = drawnById.get(other);
      if (end) end.classList.add('neighbour');
    }
    svg.classList.add('hovering');
  });
  svg.addEventListener('pointerleave', clearHover);

  // ------------------------------------------------------------ edge kinds
  const kinds = [...new Set(edges.map((edge) => edge.getAttribute('data-kind')))].sort();
  const toggles = document.getElementById('edge-kinds');
  for (const kind of kinds) {
    const label = element('label');
    const box = element('input');
    box.type = 'checkbox';
    box.checked = true;
    box.setAttribute('data-kind', kind);
    const sample = edges.find((edge) => edge.getAttribute('data-kind') === kind);
    const swatch = element('span', undefined, 'swatch');
    swatch.style.borderTopColor = sample.getAttribute('stroke');
    label.append(box, swatch, element('span', kind));
    box.addEventListener('change', () => {
      for (const edge of edges) {
        if (edge.getAttribute('data-kind') !== kind) continue;
        edge.classList.toggle('off', !box.checked);
        const pill = labelOf(edge);
        if (pill) pill.classList.toggle('off', !box.checked);
      }
    });
    toggles.append(label);
  }

  // ------------------------------------------------------------ keyboard
  document.addEventListener('keydown', (event) => {
    if (event.target === search || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '+' || event.key === '=') zoomCentre(1.25);
    else if (event.key === '-' || event.key === '_') zoomCentre(0.8);
    else if (event.key === '0') fit();
    else if (event.key === '/') { event.preventDefault(); search.focus(); }
    else if (event.key === 'Escape') closePanel();
    else return;
    event.preventDefault();
  });

  fit();
  document.documentElement.setAttribute('data-viewer', 'ready');
})();
