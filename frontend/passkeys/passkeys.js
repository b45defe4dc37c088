// Passkeys in the portal: adds one (navigator.credentials.create) and signs in with one
// (navigator.credentials.get). The server makes the options and checks the answers
// (webauthn-rs); this only carries them between the server functions and the browser, in
// WebAuthn's JSON forms (parse*OptionsFromJSON, toJSON). The controls are hidden in the
// server's HTML and shown here, so a browser without scripts or without passkeys never shows a
// button that cannot work.

const supported = () =>
  window.isSecureContext &&
  typeof window.PublicKeyCredential === 'function' &&
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function' &&
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

// The API's message and the problems it lists, as the pages write them.
function describe(error) {
  if (!error || typeof error.message !== 'string') return null;
  const problems = (error.details && error.details.errors) || [];
  return [error.message, ...problems].join(' ');
}

class Refused extends Error {
  constructor(message, problems) {
    super(message);
    this.problems = problems;
  }
}

async function call(path, fields) {
  let response;
  try {
    response = await fetch(`/api/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields),
      credentials: 'same-origin',
    });
  } catch {
    throw new Refused('The server could not be reached: check the connection and try again.');
  }
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the status says what happened.
  }
  if (!response.ok) {
    throw new Refused(describe(body) || `The server answered ${response.status}.`, body?.details?.errors || []);
  }
  return body;
}

// What the browser's refusal means for the person holding the phone.
function fromBrowser(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
      return new Refused('The passkey was not used (cancelled, or it timed out). Try again.');
    case 'InvalidStateError':
      return new Refused('This device already holds one of your passkeys for this site.');
    case 'SecurityError':
      return new Refused('This browser does not allow passkeys on this address.');
    default:
      return new Refused(`The browser refused: ${error && error.message ? error.message : error}`);
  }
}

function say(root, message, failed) {
  const status = root.querySelector('[data-passkey-status]');
  if (!status) return;
  status.textContent = message;
  status.classList.toggle('text-red-800', !!failed);
}

async function register(root) {
  const input = root.querySelector('input[name="passkey_name"]');
  const problems = root.querySelector('#passkey_name-problems');
  if (problems) problems.textContent = '';
  if (input) input.setAttribute('aria-invalid', 'false');
  say(root, 'Waiting for your device…');
  const options = await call('passkeys/registration', { name: input ? input.value : '' });
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey),
    });
  } catch (error) {
    throw fromBrowser(error);
  }
  await call('passkeys/register', { credential: JSON.stringify(credential.toJSON()) });
  say(root, 'Passkey added. Next time, sign in with it.');
  window.location.reload();
}

// `data-passkey-sign-in` names where the passkey signs in: `portal` or `dashboard`.
async function signIn(root) {
  const to = root.dataset.passkeySignIn === 'dashboard' ? 'dashboard' : 'portal';
  say(root, 'Waiting for your device…');
  const options = await call(`${to}/passkeys/sign_in/options`, {});
  let credential;
  try {
    credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey),
    });
  } catch (error) {
    throw fromBrowser(error);
  }
  const who = await call(`${to}/passkeys/sign_in`, { credential: JSON.stringify(credential.toJSON()) });
  say(root, `Signed in as ${who.name}.`);
  window.location.assign(`/${to}`);
}

async function run(root, ceremony) {
  const button = root.querySelector('button');
  if (button) button.disabled = true;
  try {
    await ceremony(root);
  } catch (error) {
    const problems = root.querySelector('#passkey_name-problems');
    const named = error.problems && error.problems.filter((p) => p.startsWith('/name'));
    if (problems && named && named.length) {
      problems.textContent = named.join(' ');
      root.querySelector('input[name="passkey_name"]')?.setAttribute('aria-invalid', 'true');
    }
    say(root, error.message || String(error), true);
  } finally {
    if (button) button.disabled = false;
  }
}

// The controls are shown wherever they appear, also when the page's wasm draws them anew
// (signing out redraws the portal's page without loading it).
function reveal() {
  const ok = supported();
  for (const note of document.querySelectorAll('[data-passkey-unsupported]')) note.hidden = ok;
  if (!ok) return;
  for (const root of document.querySelectorAll('[data-passkey-register], [data-passkey-sign-in]')) root.hidden = false;
}

function start() {
  reveal();
  new MutationObserver(reveal).observe(document.body, { childList: true, subtree: true });
  if (!supported()) return;
  // Listened for on the document, so that redrawn controls work too.
  document.addEventListener('submit', (event) => {
    const root = event.target.closest('[data-passkey-register]');
    if (!root) return;
    event.preventDefault();
    run(root, register);
  });
  document.addEventListener('click', (event) => {
    const root = event.target.closest('[data-passkey-sign-in]');
    if (!root || !event.target.closest('button')) return;
    event.preventDefault();
    run(root, signIn);
  });
}

// The script may be inserted again when a page is redrawn; one set of listeners is enough.
if (!window.hdPasskeys) {
  window.hdPasskeys = true;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
