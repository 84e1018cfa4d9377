// The console's shell: signs in when the API needs a token, shows the page the address names (#queues, …) and keeps
// the live ones fresh with one bounded poller.

import {AuthRequired, forgetToken, keepToken, session, storedToken} from './api.js';
import {PAGES} from './pages.js';
import {Poller} from './poll.js';

const $ = id => document.getElementById(id);
let poller = null;

function show(part) {
  for (const id of ['login', 'denied', 'page']) {
    $(id).hidden = id !== part;
  }
  $('nav').hidden = part !== 'page';
}

function report(error, delay) {
  const status = $('refresh');
  if (error instanceof AuthRequired) {
    signIn('The token was refused; sign in again.');
    return;
  }
  if (error) {
    status.className = 'bad';
    status.textContent = `Cannot refresh: ${error.message}. Next try in ${Math.round(delay / 1000)} s.`;
  } else {
    status.className = '';
    status.textContent = 'Updated ' + new Date().toLocaleTimeString();
  }
}

function open() {
  if (poller) {
    poller.stop();
    poller = null;
  }
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : 'overview';
  const page = PAGES[name];
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.dataset.page === name);
  }
  document.title = page.title + ' · Ominis console';
  const view = $('page');
  view.dataset.page = name;
  const refresh = page.mount(view);
  if (page.interval > 0) {
    poller = new Poller(refresh, report, page.interval).start();
  } else {
    refresh().then(() => report(null), e => report(e, 0));
  }
}

function signIn(message) {
  if (poller) {
    poller.stop();
    poller = null;
  }
  forgetToken();
  $('sign-out').hidden = true;
  $('login-error').textContent = message || '';
  show('login');
  $('token').focus();
}

async function start() {
  let s;
  try {
    s = await session();
  } catch (e) {
    $('refresh').textContent = 'The server does not answer: ' + e.message;
    $('refresh').className = 'bad';
    setTimeout(start, 5000);
    return;
  }
  if (s.authenticated) {
    $('sign-out').hidden = !s.token_required;
    show('page');
    open();
  } else if (s.token_required) {
    signIn(storedToken() ? 'The token was refused; sign in again.' : '');
  } else {
    show('denied');
  }
}

$('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const token = $('token').value.trim();
  const s = await session(token).catch(e => ({error: e}));
  if (s.error) {
    $('login-error').textContent = 'The server does not answer: ' + s.error.message;
  } else if (s.authenticated) {
    keepToken(token);
    $('token').value = '';
    start();
  } else {
    $('login-error').textContent = 'That token is not accepted.';
  }
});
$('sign-out').addEventListener('click', () => signIn('Signed out.'));
window.addEventListener('hashchange', () => {
  if (!$('page').hidden) {
    open();
  }
});
start();
