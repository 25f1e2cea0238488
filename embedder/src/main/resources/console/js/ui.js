import { send } from './api.js';

// Small DOM helpers shared by the pages: building elements without innerHTML, notices, confirmation.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function notice(message) {
  const box = document.getElementById('notice');
  box.textContent = message || '';
  box.hidden = !message;
}

export function time(millis) {
  return new Date(millis).toLocaleTimeString();
}

export function score(value) {
  return value < -0.99 ? '–' : value.toFixed(3);
}

export function cropUrl(match) {
  return `/console/api/frames/${encodeURIComponent(match.camera)}/${match.sequence}/faces/${match.face}`;
}

/** A match as a list item: crop, who, scores, camera and time. */
export function matchItem(match) {
  const known = match.identity !== 'unknown';
  const who = known ? (match.name || match.identity) : 'unknown';
  const img = el('img', { src: cropUrl(match), alt: `face of ${who}`, loading: 'lazy', width: 64, height: 64 });
  img.addEventListener('error', () => img.replaceWith(el('span', { class: 'visually-hidden' }, 'no crop')), { once: true });
  return el('li', {
    class: known ? 'known' : 'unknown', 'data-identity': match.identity, 'data-camera': match.camera,
    'data-sequence': match.sequence, 'data-face': match.face,
  },
    img,
    el('div', {},
      el('span', { class: 'who' }, who),
      el('small', {}, `score ${score(match.score)}, runner-up ${score(match.runner_up_score)}`),
      el('small', {}, `${match.camera} · ${time(match.captured_at)}`)),
    known ? el('button', { type: 'button', class: 'mark', onclick: (e) => markWrong(match, e.currentTarget) }, 'Wrong?') : null);
}

// A recognition the operator says is wrong becomes a labelled negative for the trainer
async function markWrong(match, button) {
  const who = match.name || match.identity;
  if (!(await confirmAction(`Mark this face as NOT ${who}? It is kept as a labelled mistake for the next training run.`, 'Mark wrong'))) {
    return;
  }
  try {
    await send('POST', '/console/api/labels/wrong', { camera: match.camera, sequence: match.sequence, face: match.face });
    button.replaceWith(el('small', { class: 'marked' }, 'marked wrong'));
  } catch (e) {
    notice(e.message);
  }
}

/** Asks in a modal dialog; resolves true when the operator confirms. */
export function confirmAction(text, action = 'Delete') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = action;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}
