// Live: recognitions as they happen (Server-Sent Events from the matches topic), filters, pause,
// and each camera's latest frame with its faces.
import { get } from './api.js';
import { el, matchItem, notice } from './ui.js';

const MAX_ITEMS = 200;
const GRID_REFRESH_MS = 2000;

let source = null;
let gridTimer = null;
let paused = false;
const held = [];
const cameras = new Set();

export function init() {
  document.getElementById('live-camera').addEventListener('change', applyFilters);
  document.getElementById('live-identity').addEventListener('input', applyFilters);
  document.getElementById('live-filters').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('live-pause').addEventListener('click', togglePause);
}

export function show() {
  if (!source) connect();
  refreshGrid();
  gridTimer = gridTimer || setInterval(refreshGrid, GRID_REFRESH_MS);
}

export function leave() {
  clearInterval(gridTimer);
  gridTimer = null;
}

function connect() {
  const state = document.getElementById('live-state');
  source = new EventSource('/console/api/live');
  source.addEventListener('open', () => { state.textContent = paused ? 'paused' : 'live'; });
  source.addEventListener('error', () => { state.textContent = 'reconnecting…'; });
  source.addEventListener('match', (event) => {
    const match = JSON.parse(event.data);
    if (paused) {
      held.push(match);
      state.textContent = `paused, ${held.length} waiting`;
    } else {
      add(match);
    }
  });
}

function add(match) {
  if (!cameras.has(match.camera)) {
    cameras.add(match.camera);
    document.getElementById('live-camera').append(el('option', { value: match.camera }, match.camera));
  }
  const list = document.getElementById('live-list');
  const item = matchItem(match);
  item.hidden = !visible(match.camera, match.identity, match.name);
  list.prepend(item);
  while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
}

function visible(camera, identity, name) {
  const wanted = document.getElementById('live-camera').value;
  const text = document.getElementById('live-identity').value.trim().toLowerCase();
  return (!wanted || camera === wanted)
    && (!text || identity.toLowerCase().includes(text) || (name || '').toLowerCase().includes(text));
}

function applyFilters() {
  for (const item of document.getElementById('live-list').children) {
    item.hidden = !visible(item.dataset.camera, item.dataset.identity, item.querySelector('.who').textContent);
  }
}

function togglePause() {
  paused = !paused;
  const button = document.getElementById('live-pause');
  button.setAttribute('aria-pressed', String(paused));
  button.textContent = paused ? 'Resume' : 'Pause';
  document.getElementById('live-state').textContent = paused ? 'paused' : 'live';
  if (!paused) {
    held.splice(0).forEach(add);
  }
}

async function refreshGrid() {
  let views;
  try {
    views = await get('/console/api/cameras');
  } catch (e) {
    notice(`cameras: ${e.message}`);
    return;
  }
  const grid = document.getElementById('camera-grid');
  for (const view of views) {
    const id = `camera-${view.camera}`;
    let figure = document.getElementById(id);
    if (figure && figure.dataset.sequence === String(view.sequence) && figure.dataset.faces === String(view.faces.length)) {
      continue;
    }
    const next = cameraFigure(view, id);
    if (figure) figure.replaceWith(next);
    else grid.append(next);
  }
}

function cameraFigure(view, id) {
  const names = view.faces.map((f) => (f.identity === 'unknown' ? 'unknown' : f.name || f.identity));
  const img = el('img', {
    src: `/console/api/frames/${encodeURIComponent(view.camera)}/${view.sequence}`,
    alt: `latest frame of ${view.camera}: ${names.length ? names.join(', ') : 'no face matched yet'}`,
  });
  const figure = el('figure', { id, class: 'camera', 'data-sequence': view.sequence, 'data-faces': view.faces.length },
    img, el('figcaption', {}, `${view.camera} · frame ${view.sequence}`));
  img.addEventListener('load', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
    svg.setAttribute('aria-hidden', 'true');
    view.faces.forEach((face, i) => {
      const [x1, y1, x2, y2] = face.box;
      const rect = document.createElementNS(svg.namespaceURI, 'rect');
      rect.setAttribute('x', x1);
      rect.setAttribute('y', y1);
      rect.setAttribute('width', x2 - x1);
      rect.setAttribute('height', y2 - y1);
      rect.setAttribute('class', face.identity === 'unknown' ? 'unknown' : 'known');
      const label = document.createElementNS(svg.namespaceURI, 'text');
      label.setAttribute('x', x1);
      label.setAttribute('y', Math.max(14, y1 - 4));
      label.textContent = names[i];
      svg.append(rect, label);
    });
    figure.insertBefore(svg, figure.querySelector('figcaption'));
  }, { once: true });
  return figure;
}
