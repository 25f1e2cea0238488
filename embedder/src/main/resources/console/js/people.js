// People: list and search, enrollment from files and the webcam with a result per image (accepted, no
// face, several faces with a picker, duplicate), a person's page with their samples' crops and recent
// recognitions, deletion with confirmation.
import { ApiError, get, send } from './api.js';
import { confirmAction, el, matchItem, notice } from './ui.js';

const DELETE_CHECK_MS = 500;
const DELETE_PATIENCE_MS = 30000;

let everyone = [];
let stream = null;
const shots = [];

export function init() {
  document.getElementById('people-search').addEventListener('input', renderList);
  document.getElementById('enroll-form').addEventListener('submit', (e) => {
    e.preventDefault();
    enroll().catch((error) => notice(error.message));
  });
  document.getElementById('webcam-start').addEventListener('click', () => startWebcam().catch((e) => notice(`webcam: ${e.message}`)));
  document.getElementById('webcam-capture').addEventListener('click', capture);
  document.getElementById('webcam-stop').addEventListener('click', stopWebcam);
  document.getElementById('person-delete').addEventListener('click', () => deletePerson().catch((e) => notice(e.message)));
}

export async function show() {
  everyone = await get('/admin/identities');
  renderList();
}

export function leave() {
  stopWebcam();
}

function renderList() {
  const text = document.getElementById('people-search').value.trim().toLowerCase();
  const body = document.querySelector('#people-table tbody');
  body.replaceChildren(...everyone
    .filter((p) => !text || p.id.toLowerCase().includes(text) || p.name.toLowerCase().includes(text))
    .map((p) => el('tr', { 'data-id': p.id },
      el('td', {}, el('a', { href: `#people/${encodeURIComponent(p.id)}` }, p.name)),
      el('td', {}, p.id),
      el('td', {}, p.samples))));
}

// One request per image, so that each image gets its own result
async function enroll() {
  const id = document.getElementById('enroll-id').value.trim();
  const name = document.getElementById('enroll-name').value.trim();
  const images = [...document.getElementById('enroll-files').files].map((file) => ({ blob: file, label: file.name }))
    .concat(shots.map((shot, i) => ({ blob: shot, label: `webcam photo ${i + 1}` })));
  const results = document.getElementById('enroll-results');
  results.replaceChildren();
  if (!images.length) {
    notice('choose images or take photos with the webcam');
    return;
  }
  notice('');
  for (const image of images) {
    const item = el('li', {}, el('span', { class: 'outcome' }, `${image.label}: enrolling…`));
    results.append(item);
    await enrollOne(id, name, image, null, item);
  }
  await show();
}

async function enrollOne(id, name, image, face, item) {
  const form = new FormData();
  form.append('id', id);
  form.append('name', name);
  if (face !== null) form.append('face', String(face));
  form.append('images', image.blob, image.blob.name || 'webcam.jpg');
  try {
    const result = await send('POST', '/admin/identities', form);
    const duplicate = result && result.duplicates && result.duplicates[0];
    if (duplicate) {
      item.className = 'duplicate';
      item.replaceChildren(el('span', { class: 'outcome', 'data-sample': duplicate.sample },
        `${image.label}: duplicate of sample ${duplicate.sample}, not enrolled again`));
      return;
    }
    item.className = 'accepted';
    item.replaceChildren(el('span', { class: 'outcome' }, `${image.label}: accepted`));
  } catch (e) {
    item.className = 'rejected';
    const rejected = e instanceof ApiError && e.body && e.body.rejected && e.body.rejected[0];
    const reason = rejected ? rejected.reason : e.message;
    item.replaceChildren(el('span', { class: 'outcome', title: reason }, `${image.label}: ${describe(reason)}`));
    const several = /(\d+) faces found/.exec(reason || '');
    if (several) item.append(' ', facePicker(Number(several[1]), (index) => enrollOne(id, name, image, index, item)));
  }
}

function describe(reason) {
  if (/no face/.test(reason)) return 'no face found';
  if (/faces found/.test(reason)) return 'several faces: choose one';
  return reason;
}

function facePicker(count, choose) {
  const select = el('select', { 'aria-label': 'face to enroll' },
    [...Array(count).keys()].map((i) => el('option', { value: i }, i === 0 ? 'face 1 (best detection)' : `face ${i + 1}`)));
  return el('span', {}, select, ' ', el('button', { type: 'button', onclick: () => choose(Number(select.value)) }, 'Enroll this face'));
}

async function startWebcam() {
  stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  const video = document.getElementById('webcam-video');
  video.srcObject = stream;
  video.hidden = false;
  document.getElementById('webcam-capture').hidden = false;
  document.getElementById('webcam-stop').hidden = false;
  document.getElementById('webcam-start').hidden = true;
}

function capture() {
  const video = document.getElementById('webcam-video');
  if (!video.videoWidth) {
    notice('the webcam has not delivered a picture yet');
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  canvas.toBlob((blob) => {
    shots.push(blob);
    const url = URL.createObjectURL(blob);
    document.getElementById('webcam-shots').append(el('li', {}, el('img', { src: url, alt: `webcam photo ${shots.length}` })));
  }, 'image/jpeg', 0.92);
}

function stopWebcam() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  document.getElementById('webcam-video').hidden = true;
  document.getElementById('webcam-capture').hidden = true;
  document.getElementById('webcam-stop').hidden = true;
  document.getElementById('webcam-start').hidden = false;
}

let shown = null;

export async function showPerson(id) {
  shown = id;
  document.getElementById('person-status').textContent = '';
  const person = await get(`/admin/identities/${encodeURIComponent(id)}`);
  document.getElementById('person-title').textContent = person.name;
  document.getElementById('person-facts').replaceChildren(
    el('dt', {}, 'Id'), el('dd', {}, person.id),
    el('dt', {}, 'Samples'), el('dd', {}, person.samples),
    el('dt', {}, 'Model versions'), el('dd', {}, (person.model_versions || []).join(', ')));
  document.getElementById('person-delete').disabled = false;
  await showSamples(id);
  const activity = await get(`/console/api/identities/${encodeURIComponent(id)}/activity`);
  document.querySelector('#person-cameras tbody').replaceChildren(...Object.entries(activity.per_camera)
    .map(([camera, count]) => el('tr', {}, el('td', {}, camera), el('td', {}, count))));
  document.getElementById('person-recent').replaceChildren(...activity.recent.map(matchItem));
}

async function showSamples(id) {
  const base = `/console/api/identities/${encodeURIComponent(id)}/samples`;
  const samples = await get(base);
  document.getElementById('person-samples').replaceChildren(...samples.map((s) => el('li', { 'data-sample': s.sample_id },
    s.has_crop ? el('img', { src: `${base}/${encodeURIComponent(s.sample_id)}/crop`, alt: `face crop of ${s.source || s.sample_id}`, width: 112, height: 112 })
      : el('span', { class: 'muted' }, 'no crop kept here'),
    el('small', {}, s.source || s.sample_id),
    el('button', { type: 'button', class: 'danger', onclick: () => deleteSample(id, s).catch((e) => notice(e.message)) }, 'Delete sample'))));
}

async function deleteSample(id, sample) {
  const samples = document.getElementById('person-samples').children.length;
  const last = samples === 1 ? ' It is the last one: the person will no longer be recognized.' : '';
  if (!(await confirmAction(`Delete the sample ${sample.source || sample.sample_id}?${last}`))) return;
  await send('DELETE', `/console/api/identities/${encodeURIComponent(id)}/samples/${encodeURIComponent(sample.sample_id)}`);
  if (samples === 1) {
    location.hash = '#people';
    return;
  }
  await showPerson(id);
  document.getElementById('person-status').textContent = `sample ${sample.source || sample.sample_id} deleted`;
}

async function deletePerson() {
  const id = shown;
  const name = document.getElementById('person-title').textContent;
  if (!(await confirmAction(`Delete ${name} (${id}) and all their samples? They will no longer be recognized.`))) {
    return;
  }
  const status = document.getElementById('person-status');
  document.getElementById('person-delete').disabled = true;
  await send('DELETE', `/admin/identities/${encodeURIComponent(id)}`);
  status.textContent = `${name} is being removed from matching…`;
  const deadline = Date.now() + DELETE_PATIENCE_MS;
  while (Date.now() < deadline) {
    const ids = (await get('/admin/identities')).map((p) => p.id);
    if (!ids.includes(id)) {
      status.textContent = `${name} was deleted and is no longer matched.`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, DELETE_CHECK_MS));
  }
  status.textContent = `${name} was deleted; matching has not confirmed it yet.`;
}
