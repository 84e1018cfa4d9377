// The console's pages. Each has a title, a refresh interval when it is live, and mount(view), which draws the page's
// frame into view and returns refresh(), an async function that fetches and draws its data.

import {get, patch} from './api.js';
import {barChart} from './charts.js';
import {el, epoch, fact, instant, percent, replace, seconds, table} from './dom.js';

const AGENT_STATUSES = ['Logged Out', 'Available', 'Available (On Demand)', 'On Break'];
const AVAILABLE = new Set(['Available', 'Available (On Demand)']);
const ALL = 1000; // the API's largest page of live rows

function section(title, ...children) {
  return el('section', {class: 'card'}, el('h3', null, title), children);
}

const overview = {
  title: 'Overview',
  interval: 3000,
  mount(view) {
    const body = el('div', {class: 'cards'});
    replace(view, el('h2', null, 'Overview'), body);
    return async () => {
      const o = await get('v1/admin/overview');
      const m = o.migrations;
      const cache = o.directory_cache;
      const lookups = cache.hits + cache.misses;
      replace(body,
          section('Database', el('dl', null,
              fact('Status', o.database.up ? 'UP' : 'DOWN', 'database', o.database.up ? 'ok' : 'bad'),
              fact('Client sessions', o.database.connections ?? '—', 'connections'),
              fact('Change listener', o.change_listener, 'change-listener',
                  o.change_listener === 'DOWN' ? 'bad' : 'ok'))),
          section('Migrations', m === null ? el('p', null, 'Unknown while the database is down.') : el('dl', null,
              fact('Schema', m.current ? 'current' : 'needs migrate', 'migrations', m.current ? 'ok' : 'bad'),
              fact('Latest applied', m.latest_applied ?? 'none', 'latest-migration'),
              fact('Applied', m.applied, 'migrations-applied'),
              fact('Pending', m.pending, 'migrations-pending', m.pending > 0 ? 'bad' : null),
              fact('Failed', m.failed, 'migrations-failed', m.failed > 0 ? 'bad' : null))),
          section('Directory cache', el('dl', null,
              fact('Caching', cache.caching ? 'on' : 'off', 'cache-caching'),
              fact('Entries', cache.size, 'cache-size'),
              fact('Hits', cache.hits, 'cache-hits'),
              fact('Misses', cache.misses, 'cache-misses'),
              fact('Hit ratio', lookups === 0 ? '—' : percent(cache.hits / lookups), 'cache-hit-ratio'),
              fact('Invalidations', cache.invalidations, 'cache-invalidations'))),
          el('section', {class: 'card wide'}, el('h3', null, 'FreeSWITCH nodes'), table([
            {title: 'Node', field: 'node', value: n => n.node},
            {title: 'Status', field: 'status', value: n => el('span', {class: n.status === 'UP' ? 'ok' : 'bad'},
                n.status)},
            {title: 'Last answer', field: 'last-success', value: n => instant(n.last_success)},
            {title: 'Failures in a row', field: 'consecutive-failures', value: n => n.consecutive_failures},
            {title: 'Answers / failures', field: 'answers', value: n => n.answers + ' / ' + n.failures},
            {title: 'Last error', field: 'last-error', value: n => n.last_error ?? '—'},
          ], o.freeswitch, n => n.node, 'No FreeSWITCH node is configured (OMINIS_FREESWITCH_NODES).')));
    };
  },
};

const queues = {
  title: 'Queues',
  interval: 3000,
  mount(view) {
    const body = el('div');
    replace(view, el('h2', null, 'Queues'),
        el('p', {class: 'hint'}, 'Callers waiting now, the longest wait, the agents available in each queue ' +
            '(through their tiers) and today\'s figures from the CDRs.'), body);
    return async () => {
      const [list, tiers, agents] = await Promise.all([get('v1/callcenter/queues'),
        get('v1/callcenter/tiers', {limit: ALL}), get('v1/callcenter/agents', {limit: ALL})]);
      const status = new Map(agents.items.map(a => [a.name, a.status]));
      const available = queue => tiers.items.filter(t => t.queue === queue && AVAILABLE.has(status.get(t.agent)))
          .map(t => t.agent).sort();
      replace(body, table([
        {title: 'Queue', field: 'queue', value: q => q.name},
        {title: 'Callers waiting', field: 'callers-waiting', value: q => q.live.callers_waiting},
        {title: 'Longest wait', field: 'longest-wait', value: q => seconds(q.live.longest_wait_seconds)},
        {title: 'With an agent', field: 'callers-with-agent', value: q => q.live.callers_with_agent},
        {title: 'Available agents', field: 'available-agents', value: q => available(q.name).join(', ') || 'none'},
        {title: 'Agents by status', field: 'agents-by-status', value: q => byStatus(q.live.agents)},
        {title: 'Calls today', field: 'calls-today', value: q => q.live.today.calls},
        {title: 'Answered', field: 'answered-today', value: q => q.live.today.answered},
        {title: 'Abandoned', field: 'abandoned-today', value: q => q.live.today.abandoned},
        {title: 'Service level', field: 'service-level-today',
          value: q => percent(q.live.today.service_level) + ' in ' + q.live.today.threshold_seconds + ' s'},
      ], list.items, q => q.name, 'No queue is served.'));
    };
  },
};

function byStatus(counts) {
  const total = new Map();
  for (const c of counts) {
    total.set(c.status, (total.get(c.status) || 0) + c.agents);
  }
  return [...total].map(([s, n]) => s + ': ' + n).join(', ') || '—';
}

const agents = {
  title: 'Agents',
  interval: 3000,
  mount(view) {
    const summary = el('p', {class: 'summary', dataField: 'agents-by-status'});
    const filter = el('select', {id: 'agent-filter', 'aria-label': 'Show agents with status'},
        el('option', {value: ''}, 'All statuses'), AGENT_STATUSES.map(s => el('option', {value: s}, s)));
    const message = el('p', {class: 'message', role: 'status', id: 'agent-message'});
    const body = el('div');
    const pending = new Map(); // choices made in a row's select and not applied yet survive the refresh
    let refresh;
    filter.addEventListener('change', () => refresh());
    replace(view, el('h2', null, 'Agents'), summary, el('label', null, 'Show ', filter), message, body);

    async function change(name, select, button) {
      const wanted = select.value;
      button.disabled = true;
      try {
        const answer = await patch('v1/callcenter/agents/' + encodeURIComponent(name), {status: wanted});
        pending.delete(name);
        message.className = 'message ok';
        message.textContent = answer.status === 202
            ? `FreeSWITCH took ${name} → ${wanted}; the database does not show it yet.`
            : `${name} is now ${answer.body.status}.`;
        await refresh();
      } catch (e) {
        message.className = 'message bad';
        message.textContent = `${name}: ${e.message}`;
        button.disabled = false;
      }
    }

    refresh = async () => {
      const list = await get('v1/callcenter/agents', {limit: ALL, status: filter.value});
      const counts = new Map();
      for (const a of list.items) {
        counts.set(a.status, (counts.get(a.status) || 0) + 1);
      }
      summary.textContent = [...counts].map(([s, n]) => s + ': ' + n).join(' · ') || 'No agent.';
      replace(body, table([
        {title: 'Agent', field: 'name', value: a => a.name},
        {title: 'Status', field: 'status', value: a => a.status},
        {title: 'State', field: 'state', value: a => a.state},
        {title: 'Calls answered', field: 'calls-answered', value: a => a.calls_answered},
        {title: 'Talk time', field: 'talk-time', value: a => seconds(a.talk_time)},
        {title: 'Status since', field: 'last-status-change', value: a => epoch(a.last_status_change)},
        {title: 'Change status', field: 'change', value: a => {
          const select = el('select', {'aria-label': 'New status of ' + a.name, class: 'status-choice'},
              AGENT_STATUSES.map(s => el('option', {value: s}, s)));
          select.value = pending.get(a.name) ?? a.status;
          select.addEventListener('change', () => pending.set(a.name, select.value));
          const button = el('button', {type: 'button', class: 'apply'}, 'Set');
          button.addEventListener('click', () => change(a.name, select, button));
          return el('span', {class: 'change'}, select, button);
        }},
      ], list.items, a => a.name, 'No agent' + (filter.value ? ' is ' + filter.value : '') + '.'));
    };
    return refresh;
  },
};

function party(channel) {
  if (!channel) {
    return '—';
  }
  const who = [channel.cid_name, channel.cid_num].filter(Boolean).join(' ');
  return who || channel.name || channel.uuid;
}

const calls = {
  title: 'Live calls',
  interval: 3000,
  mount(view) {
    const count = el('p', {class: 'summary'});
    const body = el('div');
    replace(view, el('h2', null, 'Live calls'), count, body);
    return async () => {
      const [list, channels] = await Promise.all([get('v1/calls', {limit: ALL}), get('v1/channels/count')]);
      const now = Date.now() / 1000;
      count.replaceChildren('Channels: ', el('strong', {dataField: 'channel-count'}, channels.count),
          ' · calls and lone legs: ', el('strong', {dataField: 'call-count'}, list.items.length));
      replace(body, table([
        {title: 'Caller', field: 'caller', value: c => party(c.caller)},
        {title: 'Destination', field: 'destination', value: c => c.caller.dest ?? '—'},
        {title: 'Callee', field: 'callee', value: c => party(c.callee)},
        {title: 'State', field: 'callstate', value: c => c.caller.callstate ?? c.caller.state ?? '—'},
        {title: 'Application', field: 'application', value: c => c.caller.application ?? '—'},
        {title: 'Switch', field: 'hostname', value: c => c.caller.hostname ?? '—'},
        {title: 'Duration', field: 'duration', value: c => {
          const since = c.call_created_epoch ?? c.caller.created_epoch;
          return since ? seconds(Math.max(0, Math.round(now - since))) : '—';
        }},
      ], list.items, c => c.caller.uuid, 'No call right now.'));
    };
  },
};

const registrations = {
  title: 'Registrations',
  interval: 5000,
  mount(view) {
    const body = el('div');
    replace(view, el('h2', null, 'Registrations'), body);
    return async () => {
      const list = await get('v1/registrations', {limit: ALL});
      replace(body, table([
        {title: 'User', field: 'user', value: r => r.reg_user + '@' + r.realm},
        {title: 'Contact', field: 'url', value: r => r.url ?? '—'},
        {title: 'From', field: 'network', value: r => [r.network_ip, r.network_port].filter(Boolean).join(':') +
            (r.network_proto ? ' (' + r.network_proto + ')' : '')},
        {title: 'Switch', field: 'hostname', value: r => r.hostname ?? '—'},
        {title: 'Expires', field: 'expires', value: r => epoch(r.expires)},
        {title: 'Expired', field: 'expired', value: r => el('span', {class: r.expired ? 'bad' : 'ok'},
            r.expired ? 'yes' : 'no')},
      ], list.items, r => r.reg_user + '@' + r.realm + '/' + (r.token ?? ''), 'No phone is registered.'));
    };
  },
};

function localDateTime(d) {
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00:00`;
}

const cdr = {
  title: 'Call volume',
  interval: 60000,
  mount(view) {
    const volume = el('div', {id: 'volume-chart'});
    const level = el('div', {id: 'service-level-chart'});
    const body = el('div');
    const range = el('p', {class: 'hint'});
    replace(view, el('h2', null, 'Call volume and service level, last 24 h'), range,
        section('Calls per hour', volume), section('Service level per queue', level), body);
    return async () => {
      // CDR stamps are the switch's local time; the browser is taken to be in the same zone
      const to = new Date();
      to.setMinutes(60, 0, 0);
      const from = new Date(to.getTime() - 24 * 3600 * 1000);
      const window = {from: localDateTime(from), to: localDateTime(to)};
      const [v, q] = await Promise.all([get('v1/cdr/stats/volume', {...window, bucket: 'hour'}),
        get('v1/cdr/stats/queues', window)]);
      range.textContent = `From ${window.from.replace('T', ' ')} to ${window.to.replace('T', ' ')} (switch time); ` +
          `service level: answered within ${q.threshold} s.`;
      replace(volume, barChart(v.buckets.map(b => ({label: b.bucket.slice(11, 16), value: b.calls})),
          {title: 'Calls per hour', format: n => String(Math.round(n))}));
      replace(level, q.queues.length === 0 ? el('p', {class: 'empty'}, 'No queue call in these 24 hours.')
          : barChart(q.queues.map(s => ({label: s.queue, value: s.service_level})),
              {title: 'Service level per queue', max: 1, format: percent, labelEvery: 1}));
      replace(body, table([
        {title: 'Queue', field: 'queue', value: s => s.queue},
        {title: 'Calls', field: 'calls', value: s => s.calls},
        {title: 'Answered', field: 'answered', value: s => s.answered},
        {title: 'Abandoned', field: 'abandoned', value: s => s.abandoned},
        {title: 'Average wait', field: 'avg-wait', value: s => s.avg_wait === null ? '—' : seconds(Math.round(s.avg_wait))},
        {title: 'Service level', field: 'service-level', value: s => percent(s.service_level)},
      ], q.queues, s => s.queue, 'No queue call in these 24 hours.'));
    };
  },
};

const extensions = {
  title: 'Extensions',
  interval: 0,
  mount(view) {
    const search = el('input', {id: 'extension-search', type: 'search', placeholder: 'Number, name or e-mail',
      'aria-label': 'Search extensions'});
    const status = el('select', {id: 'extension-status', 'aria-label': 'Status'},
        el('option', {value: ''}, 'Any status'),
        ['active', 'inactive', 'suspended'].map(s => el('option', {value: s}, s)));
    const body = el('div');
    const more = el('button', {type: 'button', id: 'extension-more', hidden: true}, 'Show more');
    let rows = [];
    let cursor = null;
    let generation = 0;
    let timer = null;

    function draw() {
      replace(body, table([
        {title: 'Number', field: 'number', value: x => x.number},
        {title: 'Name', field: 'display-name', value: x => x.display_name ?? '—'},
        {title: 'E-mail', field: 'email', value: x => x.email ?? '—'},
        {title: 'Department', field: 'department', value: x => x.department ?? '—'},
        {title: 'Status', field: 'status', value: x => x.status},
        {title: 'Changed', field: 'updated-at', value: x => instant(x.updated_at)},
      ], rows, x => x.number, 'No extension matches.'));
      more.hidden = cursor === null;
    }

    async function load(append) {
      const mine = append ? generation : ++generation;
      const page = await get('v1/extensions', {q: search.value.trim(), status: status.value, limit: 50,
        cursor: append ? cursor : null});
      if (mine !== generation) {
        return; // a newer search started meanwhile
      }
      rows = append ? rows.concat(page.items) : page.items;
      cursor = page.next_cursor ?? null;
      draw();
    }

    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(false).catch(e => shown(e)), 250);
    });
    status.addEventListener('change', () => load(false).catch(e => shown(e)));
    more.addEventListener('click', () => load(true).catch(e => shown(e)));
    const error = el('p', {class: 'message bad', role: 'alert'});
    function shown(e) {
      error.textContent = e.message;
    }
    replace(view, el('h2', null, 'Extensions'), el('div', {class: 'toolbar'}, search, status), error, body, more);
    return () => load(false);
  },
};

export const PAGES = {overview, queues, agents, calls, registrations, cdr, extensions};
