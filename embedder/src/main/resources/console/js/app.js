// The console's entry point: signs in (the browser's HTTP Basic credentials), then shows the section
// named by the URL's hash: #live, #people, #people/<id>, #models.
import { startSession } from './api.js';
import { notice } from './ui.js';
import * as live from './live.js';
import * as people from './people.js';
import * as models from './models.js';
import * as review from './review.js';

const sections = {
  live: { node: 'live', page: live },
  people: { node: 'people', page: people },
  person: { node: 'person', page: people },
  review: { node: 'review', page: review },
  models: { node: 'models', page: models },
};

let current = null;

function route() {
  const [name, ...rest] = (location.hash.slice(1) || 'live').split('/');
  const key = name === 'people' && rest.length ? 'person' : name;
  const section = sections[key] || sections.live;
  notice('');
  for (const s of Object.values(sections)) {
    document.getElementById(s.node).hidden = s !== section;
  }
  for (const link of document.querySelectorAll('nav a')) {
    const active = link.dataset.section === (key === 'person' ? 'people' : key);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (current && current !== section && current.page.leave) current.page.leave();
  current = section;
  const argument = rest.map(decodeURIComponent).join('/');
  Promise.resolve(key === 'person' ? people.showPerson(argument) : section.page.show())
    .catch((e) => notice(e.message));
}

async function start() {
  try {
    const session = await startSession();
    document.getElementById('user').textContent = `signed in as ${session.user}`;
  } catch (e) {
    notice(`cannot start a session: ${e.message}`);
    return;
  }
  live.init();
  people.init();
  models.init();
  review.init();
  window.addEventListener('hashchange', route);
  route();
}

start();
