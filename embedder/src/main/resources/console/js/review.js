// Review: unknown faces grouped by similarity; name a group (enrolls its faces) or dismiss it.
import { send, get } from './api.js';
import { cropUrl, el, notice, time } from './ui.js';

export function init() {
  document.getElementById('review-refresh').addEventListener('click', () => show().catch((e) => notice(e.message)));
}

export async function show() {
  const groups = await get('/console/api/unknowns');
  document.getElementById('review-status').textContent = groups.length
    ? `${groups.length} group(s) of unknown faces` : 'no unknown faces to review';
  document.getElementById('review-groups').replaceChildren(...groups.map(groupItem));
}

function groupItem(group, index) {
  const faces = group.faces.map((f) => ({ camera: f.camera, sequence: f.sequence, face: f.face }));
  const n = index + 1;
  const id = el('input', { id: `review-id-${n}`, required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}', autocomplete: 'off' });
  const name = el('input', { id: `review-name-${n}`, required: true, maxlength: 256, autocomplete: 'off' });
  const result = el('p', { role: 'status' });
  const form = el('form', { class: 'filters' },
    el('label', { for: id.id }, 'Id', id), el('label', { for: name.id }, 'Name', name),
    el('button', { type: 'submit' }, 'Name and enroll'),
    el('button', { type: 'button', class: 'danger', onclick: () => dismiss(faces).catch((e) => notice(e.message)) }, 'Dismiss'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    nameGroup(id.value.trim(), name.value.trim(), faces, result).catch((error) => notice(error.message));
  });
  return el('li', { class: 'group', 'data-size': group.faces.length },
    el('h3', {}, `Unknown person ${n}: ${group.faces.length} face(s)`),
    el('ul', { class: 'shots' }, group.faces.map((f) => el('li', {},
      el('img', { src: cropUrl(f), alt: `unknown face, ${f.camera} at ${time(f.captured_at)}`, width: 64, height: 64 })))),
    form, result);
}

async function nameGroup(id, name, faces, result) {
  try {
    const outcome = await send('POST', '/console/api/unknowns/name', { id, name, faces });
    result.textContent = `${name} enrolled from ${outcome.accepted} face(s)`
      + (outcome.rejected.length ? `; not used: ${outcome.rejected.join('; ')}` : '');
  } catch (e) {
    result.textContent = e.body && e.body.rejected ? `not enrolled: ${e.body.rejected.join('; ')}` : e.message;
    return;
  }
  setTimeout(() => show().catch((e) => notice(e.message)), 1500);
}

async function dismiss(faces) {
  await send('POST', '/console/api/unknowns/dismiss', { faces });
  await show();
}
