// The planners' map: grids from gridline's vector tiles, coloured by their
// households against the band; a click shows a grid's figures and workers;
// paint mode moves blocks into a chosen grid through the edit API; the
// history panel lists versions and reverts one.
import { Map, Marker, NavigationControl } from '/web/vendor/maplibre-gl/maplibre-gl.mjs';

const $ = (id) => document.getElementById(id);
const state = { jurisdiction: null, etag: null, brush: null, labels: [] };

const keyInput = $('key');
keyInput.value = localStorage.getItem('gridline-key') || '';
keyInput.addEventListener('change', () => localStorage.setItem('gridline-key', keyInput.value));

// api fetches JSON from gridline, with the planner's key and If-Match when
// asked; it returns the status, the body and the ETag.
async function api(path, { method = 'GET', body, ifMatch } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (keyInput.value) headers['Authorization'] = `Bearer ${keyInput.value}`;
  if (ifMatch) headers['If-Match'] = ifMatch;
  const resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await resp.text();
  return { status: resp.status, body: text ? JSON.parse(text) : null, etag: resp.headers.get('ETag') };
}

const escape = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function loadJurisdiction() {
  const list = await api('/v1/jurisdictions');
  state.jurisdiction = list.body.jurisdictions[0]?.id ?? null;
  if (!state.jurisdiction) return;
  const j = await api(`/v1/jurisdictions/${state.jurisdiction}`);
  state.etag = j.etag;
}

const tileJSON = await (await fetch('/tiles/tiles.json')).json();
const [w, s, e, n] = tileJSON.bounds;
const map = new Map({
  container: 'map',
  bounds: [[w, s], [e, n]],
  fitBoundsOptions: { padding: 20 },
  style: {
    version: 8,
    sources: { gridline: { type: 'vector', tiles: tileJSON.tiles, minzoom: 0, maxzoom: 16, bounds: tileJSON.bounds } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } },
      {
        id: 'grids-fill', type: 'fill', source: 'gridline', 'source-layer': 'grids',
        paint: {
          'fill-color': ['match', ['get', 'band'],
            'below', '#5b8ff9',
            'above', '#e8684a',
            ['interpolate', ['linear'], ['get', 'households'], 200, '#a1d99b', 500, '#238b45']],
          'fill-opacity': 0.65,
        },
      },
      { id: 'gaps', type: 'fill', source: 'gridline', 'source-layer': 'gaps', paint: { 'fill-color': '#d7191c', 'fill-opacity': 0.35 } },
      { id: 'blocks-fill', type: 'fill', source: 'gridline', 'source-layer': 'blocks', minzoom: 14, paint: { 'fill-color': '#000', 'fill-opacity': 0 } },
      { id: 'blocks-line', type: 'line', source: 'gridline', 'source-layer': 'blocks', minzoom: 14, paint: { 'line-color': '#ffffff', 'line-width': 0.6, 'line-opacity': 0.8 } },
      {
        id: 'barriers', type: 'line', source: 'gridline', 'source-layer': 'barriers', minzoom: 13,
        paint: {
          'line-color': ['match', ['get', 'class'], ['river', 'stream'], '#3a86ff', 'railway', '#6c3483', ['primary', 'secondary'], '#b8860b', '#8a8a8a'],
          'line-width': ['match', ['get', 'class'], ['river', 'railway', 'primary'], 1.6, 0.7],
          'line-opacity': 0.8,
        },
      },
      { id: 'households', type: 'circle', source: 'gridline', 'source-layer': 'households', minzoom: 15, paint: { 'circle-radius': ['interpolate', ['linear'], ['get', 'households'], 1, 2, 100, 6], 'circle-color': '#333', 'circle-opacity': 0.6 } },
      { id: 'grids-line', type: 'line', source: 'gridline', 'source-layer': 'grids', paint: { 'line-color': '#2b2b2b', 'line-width': 1 } },
      { id: 'communities-line', type: 'line', source: 'gridline', 'source-layer': 'communities', paint: { 'line-color': '#000', 'line-width': 2.5 } },
      { id: 'grid-selected', type: 'line', source: 'gridline', 'source-layer': 'grids', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#ffd400', 'line-width': 4 } },
    ],
  },
});
map.addControl(new NavigationControl(), 'top-left');
// Listen for the first idle now: it may come while the page still awaits
// the jurisdiction below.
const settled = new Promise((resolve) => map.once('idle', resolve));

// Codes as labels: text layers would need glyphs from a server; markers do
// not. They show from zoom 13, where codes fit.
async function loadLabels() {
  for (const m of state.labels) m.remove();
  state.labels = [];
  let url = '/collections/grids/items?limit=1000';
  while (url) {
    const page = (await api(url)).body;
    for (const f of page.features) {
      const el = document.createElement('div');
      el.className = 'label';
      el.textContent = f.properties.code.slice(-3);
      el.title = f.properties.code;
      state.labels.push(new Marker({ element: el }).setLngLat(labelPoint(f.geometry)));
    }
    url = page.links.find((l) => l.rel === 'next')?.href;
  }
  showLabels();
}

// labelPoint is the centre of the widest horizontal run through the middle
// of the outer ring: inside the grid even where it is not convex.
function labelPoint(geom) {
  const ring = (geom.type === 'Polygon' ? geom.coordinates : geom.coordinates[0])[0];
  const ys = ring.map((p) => p[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const xs = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const [a, b] = [ring[i], ring[i + 1]];
    if ((a[1] > y) !== (b[1] > y)) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
  }
  xs.sort((p, q) => p - q);
  let best = [ring[0][0], ring[0][0]];
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
  return [(best[0] + best[1]) / 2, y];
}

function showLabels() {
  const on = map.getZoom() >= 13;
  for (const m of state.labels) on ? m.addTo(map) : m.remove();
}
map.on('zoomend', showLabels);

// refreshTiles points the source at the store's new revision: the tiles an
// edit touched come anew, the others from the cache under their new URL.
async function refreshTiles() {
  const tj = await (await fetch('/tiles/tiles.json')).json();
  map.getSource('gridline').setTiles(tj.tiles);
  await loadLabels();
}

async function showGrid(code, lngLat) {
  map.setFilter('grid-selected', ['==', ['get', 'code'], code]);
  const [item, owner] = await Promise.all([
    api(`/collections/grids/items/${encodeURIComponent(code)}`),
    api(`/v1/owner?lon=${lngLat.lng}&lat=${lngLat.lat}`),
  ]);
  const p = item.body.properties;
  const workers = (owner.body.workers || []).map((w) => `${escape(w.name)} (${escape(w.role)}${w.responsible ? ', responsible' : ''})`).join('<br>') || 'none assigned';
  $('info').innerHTML = `<h2>Grid ${escape(p.code)}</h2><table>
    <tr><td>households</td><td>${p.households}${p.in_band ? '' : ' — outside the band'}</td></tr>
    <tr><td>community</td><td>${escape(p.community)}</td></tr>
    <tr><td>area</td><td>${(p.area_m2 / 10000).toFixed(1)} ha</td></tr>
    <tr><td>blocks</td><td>${p.blocks}</td></tr>
    <tr><td>workers</td><td>${workers}</td></tr>
    ${p.exception ? `<tr><td>exception</td><td>${escape(p.exception)}</td></tr>` : ''}
  </table>`;
}

// paint moves one block into the brush grid through the edit API and shows
// the answer: the new version, or each rule the move would break.
async function paint(block, to) {
  const answer = $('answer');
  const res = await api(`/v1/jurisdictions/${state.jurisdiction}/edits`, {
    method: 'POST', ifMatch: state.etag,
    body: { op: 'move', blocks: [block], to, reason: $('reason').value || 'redrawn on the map', force: $('force').checked },
  });
  if (res.status === 200) {
    state.etag = res.etag;
    answer.innerHTML = `<p class="ok">Block ${block} moved into ${escape(to)}: version ${res.body.version}.</p>`;
    await Promise.all([refreshTiles(), loadHistory()]);
  } else if (res.status === 412) {
    await loadJurisdiction();
    answer.innerHTML = '<p class="refused">Someone else edited first: the map is up to date now; paint again.</p>';
    await refreshTiles();
  } else {
    const v = res.body?.violations?.map((x) => `<li>${escape(x.detail)}</li>`).join('') ?? '';
    answer.innerHTML = `<p class="refused">${escape(res.body?.title ?? res.status)}: ${escape(res.body?.detail ?? '')}</p>${v ? `<ul>${v}</ul>` : ''}`;
  }
  return res;
}

map.on('click', (ev) => {
  const grid = map.queryRenderedFeatures(ev.point, { layers: ['grids-fill'] })[0];
  if (!$('painting').checked) {
    if (grid) showGrid(grid.properties.code, ev.lngLat);
    return;
  }
  if (!state.brush) {
    if (grid) {
      state.brush = grid.properties.code;
      $('brush').textContent = state.brush;
      map.setFilter('grid-selected', ['==', ['get', 'code'], state.brush]);
    }
    return;
  }
  const block = map.queryRenderedFeatures(ev.point, { layers: ['blocks-fill'] })[0];
  if (!block) {
    $('answer').innerHTML = '<p>Zoom in to 14 or more to paint blocks.</p>';
    return;
  }
  if (block.properties.grid !== state.brush) paint(block.properties.block, state.brush);
});
$('painting').addEventListener('change', () => {
  state.brush = null;
  $('brush').textContent = 'none: click a grid';
});

async function loadHistory() {
  const list = $('versions');
  if (!state.jurisdiction) {
    list.innerHTML = '<li>No jurisdiction imported yet.</li>';
    return;
  }
  const res = await api(`/v1/jurisdictions/${state.jurisdiction}/versions`);
  list.innerHTML = '';
  for (const v of res.body.versions.slice().reverse()) {
    const li = document.createElement('li');
    li.value = v.version;
    li.textContent = `${v.author}: ${v.reason} (${v.created_at.slice(0, 16).replace('T', ' ')})`;
    if (v.version !== res.body.versions.length) {
      const b = document.createElement('button');
      b.textContent = 'revert to this';
      b.addEventListener('click', () => revert(v.version));
      li.append(b);
    }
    list.append(li);
  }
}

async function revert(version) {
  const res = await api(`/v1/jurisdictions/${state.jurisdiction}/revert`, {
    method: 'POST', ifMatch: state.etag, body: { to: version, reason: `reverted on the map to version ${version}` },
  });
  $('answer').innerHTML = res.status === 200
    ? `<p class="ok">Reverted to version ${version}: now version ${res.body.version}.</p>`
    : `<p class="refused">${escape(res.body?.detail ?? res.status)}</p>`;
  if (res.status === 200) state.etag = res.etag;
  await Promise.all([refreshTiles(), loadHistory()]);
}

// For the browser test and the console: the map and the paint action the
// clicks use; ready once the map has drawn and the panels are filled.
window.gridline = { map, paint, state, ready: false };
await loadJurisdiction();
await settled;
await Promise.all([loadLabels(), loadHistory()]);
window.gridline.ready = true;
