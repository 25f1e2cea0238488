// Models and settings: model versions with their gate figures and ROC curves, promote and roll back; the
// threshold with a preview of how many recent faces it would accept; the latest dead letters.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { get, send } from './api.js';
import { confirmAction, el, notice, time } from './ui.js';

let previewTimer = null;
let charts = [];
const SETS = { heldout_identities: 'held-out identities', heldout_images: 'held-out images' };

export function init() {
  document.getElementById('models-rollback').addEventListener('click', () => rollback().catch((e) => notice(e.message)));
  const number = document.getElementById('threshold');
  const range = document.getElementById('threshold-range');
  number.addEventListener('input', () => { range.value = number.value; preview(); });
  range.addEventListener('input', () => { number.value = range.value; preview(); });
  document.getElementById('threshold-form').addEventListener('submit', (e) => {
    e.preventDefault();
    applyThreshold().catch((error) => notice(error.message));
  });
}

export async function show() {
  await Promise.all([showModels(), showThreshold(), showDeadLetters()]);
}

async function showModels() {
  const models = await get('/admin/models');
  document.getElementById('models-active').textContent = models.active || 'none';
  document.getElementById('models-previous').textContent = models.previous || 'none';
  document.getElementById('models-promoting').textContent = models.promoting ? `, promoting ${models.promoting}` : '';
  document.getElementById('models-rollback').disabled = !models.previous || !!models.promoting;
  document.querySelector('#models-table tbody').replaceChildren(...models.versions.map((m) => el('tr', { 'data-version': m.version },
    el('td', {}, el('code', {}, m.version)),
    el('td', {}, m.state, m.reason ? el('small', { class: 'muted' }, ` (${m.reason})`) : null),
    el('td', {}, m.created_at ? new Date(m.created_at).toLocaleString() : ''),
    el('td', {}, figures(m.metrics)),
    el('td', {}, m.active || m.state === 'REFUSED' ? null
      : el('button', { type: 'button', onclick: () => promote(m.version).catch((e) => notice(e.message)) }, `Promote ${m.version.slice(0, 8)}`)))));
  showCurves(models.versions);
}

// One chart per model version and evaluation set; a version without curves says so
function showCurves(versions) {
  charts.forEach((c) => c.destroy());
  charts = [];
  const box = document.getElementById('models-roc');
  box.replaceChildren(...versions.flatMap((m) => {
    const sets = Object.entries(m.roc || {});
    if (!sets.length) {
      return [el('p', { 'data-version': m.version, class: 'muted' }, el('code', {}, m.version), ': no curve published')];
    }
    return sets.map(([set, curve]) => {
      const chart = el('div', { role: 'img', 'aria-label': summary(m, set, curve) });
      const figure = el('figure', { 'data-version': m.version, 'data-set': set },
        el('figcaption', {}, el('code', {}, m.version), `, ${SETS[set] || set}`), chart);
      charts.push(plot(chart, m, curve));
      return figure;
    });
  }));
}

function plot(target, model, curve) {
  // a log axis hands the tick formatter null for the ticks it leaves out
  const series = [{ label: 'FAR' }, { label: `this model (${model.version.slice(0, 8)})`, stroke: '#0b5cad', width: 2, points: { show: false } }];
  const data = [curve.far, curve.tar];
  if (curve.parent_tar) {
    series.push({ label: `parent (${(model.parent_version || '?').slice(0, 8)})`, stroke: '#b35900', width: 2, dash: [6, 4], points: { show: false } });
    data.push(curve.parent_tar);
  }
  return new uPlot({
    width: 420,
    height: 240,
    series,
    scales: { x: { time: false, distr: 3, log: 10 }, y: { range: [0, 1] } },
    axes: [{ label: 'false-accept rate', values: (u, ticks) => ticks.map((t) => (t == null ? '' : t.toExponential(0))) },
      { label: 'true-accept rate' }],
    legend: { live: false },
    cursor: { show: false },
  }, data, target);
}

function summary(model, set, curve) {
  const at = (rates) => rates[curve.far.findIndex((f) => f >= 0.01)];
  const parent = curve.parent_tar ? `, parent ${Number(at(curve.parent_tar)).toFixed(3)}` : '';
  return `ROC curve of model ${model.version} on the ${SETS[set] || set}: true-accept rate ${Number(at(curve.tar)).toFixed(3)} at 1% false accepts${parent}`;
}

function figures(metrics) {
  const entries = Object.entries(metrics || {});
  if (!entries.length) return '–';
  return el('dl', { class: 'facts' }, entries.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, Number(v).toFixed(4))]));
}

async function promote(version) {
  if (!(await confirmAction(`Promote model ${version}? The gallery is re-embedded, then every instance switches.`, 'Promote'))) return;
  await send('POST', `/admin/models/${encodeURIComponent(version)}/promote`);
  await followPromotion();
}

async function rollback() {
  if (!(await confirmAction('Roll back to the previous model?', 'Roll back'))) return;
  await send('POST', '/admin/models/rollback');
  await followPromotion();
}

async function followPromotion() {
  for (let i = 0; i < 240; i++) {
    await showModels();
    if (!document.getElementById('models-promoting').textContent) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function showThreshold() {
  const { threshold } = await get('/admin/threshold');
  document.getElementById('threshold').value = threshold;
  document.getElementById('threshold-range').value = threshold;
  await preview();
}

function preview() {
  clearTimeout(previewTimer);
  return new Promise((resolve) => {
    previewTimer = setTimeout(async () => {
      const value = Number(document.getElementById('threshold').value);
      const out = document.getElementById('threshold-preview');
      try {
        const p = await get(`/console/api/threshold-preview?threshold=${encodeURIComponent(value)}`);
        out.textContent = `would accept ${p.accepted} of the last ${p.faces} faces`;
      } catch (e) {
        out.textContent = e.message;
      }
      resolve();
    }, 150);
  });
}

async function applyThreshold() {
  const value = Number(document.getElementById('threshold').value);
  const result = await send('PUT', '/admin/threshold', { threshold: value });
  notice('');
  document.getElementById('threshold-preview').textContent = `threshold set to ${result.threshold}`;
}

async function showDeadLetters() {
  const letters = await get('/console/api/dead-letters');
  document.querySelector('#dead-letters tbody').replaceChildren(...letters.map((d) => el('tr', {},
    el('td', {}, time(d.timestamp)), el('td', {}, d.stage || ''), el('td', {}, d.reason || ''),
    el('td', {}, `${d.topic || '?'}-${d.partition || '?'}@${d.offset || '?'}`))));
}
