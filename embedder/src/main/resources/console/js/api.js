// Requests to the service. The browser sends the HTTP Basic credentials it was given for the page;
// every state-changing request also carries the CSRF token of the session (see CsrfRule on the server).

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function startSession() {
  const session = await get('/console/api/session');
  csrfToken = session.csrf_token;
  return session;
}

export function get(path) {
  return send('GET', path);
}

export function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return fetch(path, { method, headers, body: payload, credentials: 'same-origin' }).then(async (response) => {
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      throw new ApiError(response.status, errorMessage(response.status, parsed), parsed);
    }
    return parsed;
  });
}

// Micronaut answers errors as {"_embedded":{"errors":[{"message":...}]}}, or a plain message
function errorMessage(status, body) {
  const errors = body && body._embedded && body._embedded.errors;
  if (errors && errors.length) {
    return errors.map((e) => e.message).join('; ');
  }
  if (typeof body === 'string' && body) {
    return body;
  }
  return (body && body.message) || `HTTP ${status}`;
}
