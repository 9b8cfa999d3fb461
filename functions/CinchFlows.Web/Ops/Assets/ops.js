// CinchFlows ops dashboard: plain JavaScript over the JSON API (docs/api.md §4 and §5). No framework, nothing fetched
// from elsewhere. Data is always written with textContent, never as HTML.
'use strict';

(() => {
  const API = '/api';
  const KEY_STORE = 'cinchflows.apiKey';
  // Sent on every call. With App Service sign-in the session is a cookie the browser adds by itself; the service takes
  // it only with this header, which another site's page cannot send (docs/api.md §0).
  const PAGE_HEADER = { 'X-CinchFlows-Page': '1' };
  const SIGN_OUT_URL = '/.auth/logout?post_logout_redirect_uri=/api/ops/';
  const REFRESH_MS = 5000;
  const FLOW_TYPES = { 'medical-': 'Medical-emergency transfer', 'escalation-': 'Severity escalation', 'callback-': 'Supervisor callback' };
  // The events ops may raise on each flow and the fields each takes: the management API's allowlist (ManagedInput.cs,
  // docs/api.md §5), which refuses any other field. Claims, completions and acknowledgements name a person, so they go
  // through the supervisor API only. Values are ids, keys or codes: no spaces, no free text.
  const TRANSFER_EVENTS = ['TransferConnected', 'TransferFailed', 'CallEnded'];
  const FLOW_EVENTS = { MedicalEmergencyTransfer: TRANSFER_EVENTS, SupervisorCallback: TRANSFER_EVENTS, SeverityEscalation: ['SeverityChanged'] };
  const EVENT_FIELDS = {
    TransferConnected: { callId: 'the call', targetExtension: 'where the transfer connected', idempotencyKey: 'optional: the transfer command\'s key' },
    TransferFailed: { callId: 'the call', targetExtension: 'where the transfer was going', reason: 'optional: the platform\'s code, e.g. busy or no-answer', idempotencyKey: 'optional: the transfer attempt\'s key' },
    CallEnded: { callId: 'the call' },
    SeverityChanged: { serviceJobId: 'the service job', severity: 'Normal, High, Critical or MedicalEmergency' },
  };

  const $ = (id) => document.getElementById(id);
  // A key names no one: it may read, but every action needs a person's sign-in (docs/api.md §0).
  const READ_ONLY = 'Read-only: an API key is for machine readers (monitoring, dashboards) and names no one. To act, sign in as yourself: with Sign in with Microsoft where the page offers it, or paste your person token (locally ./scripts/token.sh --person you --roles Ops).';
  // platform: signed in by App Service (a cookie), not by a pasted token or key; signInUrl: where App Service signs people in, when it does.
  const state = { role: null, person: null, platform: false, signInUrl: null, continuation: null, search: null, openFlow: null, openFlowData: null, timer: null, view: 'flows' };

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function key() { return sessionStorage.getItem(KEY_STORE); }

  // A pasted JWT (three base64url parts) is a person's token, sent as a bearer token; anything else is an API key.
  function isToken(value) { return /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(value || ''); }

  // Nothing pasted: no credential header at all, so App Service's sign-in (if any) is what counts.
  function credentialHeaders() {
    const value = key();
    if (!value) return {};
    return isToken(value) ? { Authorization: 'Bearer ' + value } : { 'X-Api-Key': value };
  }

  async function api(method, path, body, headers) {
    const init = { method, headers: { ...PAGE_HEADER, ...credentialHeaders(), ...(headers || {}) } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch (e) {
      throw new ApiError(0, 'The service did not answer (' + e.message + '). Is it running?');
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    if (response.status === 401) {
      // The service says where people sign in when App Service does it; only a path of App Service's own is followed.
      const signIn = json && json.signIn;
      state.signInUrl = typeof signIn === 'string' && signIn.startsWith('/.auth/login/') ? signIn : null;
      throw new ApiError(401, key()
        ? 'That key or token was not accepted (401): it is unknown, expired or for another app. Paste a valid key or token.'
        : 'You are not signed in (401)' + (json && json.detail ? ': ' + json.detail : '.'));
    }
    if (response.status === 403) {
      throw new ApiError(403, 'Not allowed (403): ' + ((json && json.detail) || 'this needs the ops role.'));
    }
    if (!response.ok) {
      const detail = json && (json.detail || json.title);
      throw new ApiError(response.status, response.status + ' ' + (detail || response.statusText));
    }
    return { json, headers: response.headers, status: response.status };
  }

  function showAlert(message) {
    const alert = $('alert');
    alert.textContent = message || '';
    alert.hidden = !message;
  }

  function fail(error) {
    showAlert(error.message);
    if (error.status === 401) {
      signOut(false);
    }
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function time(value) {
    if (!value) return '';
    const d = new Date(value);
    return isNaN(d) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
  }

  function flowType(instanceId) {
    const prefix = Object.keys(FLOW_TYPES).find((p) => instanceId.startsWith(p));
    return prefix ? FLOW_TYPES[prefix] : '';
  }

  function isOpen(flow) { return ['Running', 'Pending', 'Suspended'].includes(flow.runtimeStatus); }

  // A flow can complete without reaching its goal (a caller never connected, a callback past its deadline, an
  // escalation nobody acknowledged): the outcome, not the runtime status, decides how a finished flow is shown, in
  // words and colour (docs/api.md §7 gives each flow's output).
  function outcomeOf(flow) {
    const output = flow.output;
    if (flow.runtimeStatus !== 'Completed' || !output || typeof output !== 'object') return null;
    switch (output.outcome) {
      case 'NotConnected': return { text: 'not connected', met: false };
      case 'Connected': return { text: 'connected', met: true };
      case 'TransferredToSupervisor': return { text: 'transferred to a supervisor', met: true };
      case 'Completed': return { text: 'callback completed' + (output.claimedBy ? ' by ' + output.claimedBy : ''), met: true };
      case 'Breached': return { text: output.claimedBy ? 'breached: not completed in time' : 'breached: never claimed', met: false };
      default: break;
    }
    if (typeof output.outcome === 'string') return { text: output.outcome.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), met: true };
    if ('route' in output) {
      return output.acknowledgedBy ? { text: 'acknowledged by ' + output.acknowledgedBy, met: true } : { text: 'never acknowledged', met: false };
    }
    return null;
  }

  function statusBadge(flow) {
    const outcome = outcomeOf(flow);
    const text = flow.runtimeStatus + (outcome ? ' · ' + outcome.text : '');
    return el('span', text, 'badge ' + (outcome ? (outcome.met ? 'met' : 'unmet') : flow.runtimeStatus));
  }

  // Where a flow stands: an open flow's own status line; a finished flow's end, never the wait it was in when it ended
  // (a terminated flow keeps its last custom status).
  function standingOf(flow) {
    if (isOpen(flow)) return (flow.customStatus && flow.customStatus.text) || '';
    if (flow.runtimeStatus === 'Terminated') return 'terminated by ops' + (typeof flow.output === 'string' && flow.output ? ': ' + flow.output : ' (no reason given)');
    if (flow.runtimeStatus === 'Failed') return 'failed';
    const outcome = outcomeOf(flow);
    return (flow.customStatus && flow.customStatus.text) || (outcome ? outcome.text : 'ended');
  }

  function isBreached(flow) {
    const due = flow.customStatus && flow.customStatus.due;
    return isOpen(flow) && due && new Date(due) < new Date();
  }

  // ---- sign in ----

  // Who is signed in (GET /api/me): a person acts as themselves; a key only reads.
  async function whoAmI() {
    const me = (await api('GET', '/me')).json || {};
    const roles = me.roles || [];
    if (!roles.includes('ops') && !roles.includes('supervisor')) {
      throw new ApiError(403, 'Signed in, but with neither the ops nor the supervisor role (403).');
    }
    return { role: roles.includes('ops') ? 'ops' : 'supervisor', person: me.kind === 'person' ? me.id : null };
  }

  // Action buttons stay visible; without a person they explain instead of acting.
  function canAct() {
    if (state.person) return true;
    showAlert(READ_ONLY);
    return false;
  }

  async function signIn() {
    showAlert('');
    try {
      Object.assign(state, await whoAmI());
    } catch (e) {
      fail(e);
      if (e.status === 403) signOut(false);
      return;
    }
    showSignedIn();
  }

  // Opened with nothing pasted: App Service may have signed the person in already (GET /api/me answers 200); if not,
  // its 401 says whether App Service signs people in here, and the page offers that link above the paste box.
  async function signInThroughPlatform() {
    let me;
    try {
      me = await whoAmI();
    } catch (e) {
      // Not signed in here: offer App Service's sign-in if there is one. The paste box stays as it is (someone may be
      // typing in it already), and a pasted sign-in that finished meanwhile stays.
      if (e.status !== 401) showAlert(e.message);
      if (!state.role) offerSignIn();
      return;
    }
    if (state.role) return;
    Object.assign(state, me);
    showSignedIn();
  }

  // The "Sign in with Microsoft" link, while nobody is signed in and the service said where (a 401's signIn).
  function offerSignIn() {
    $('sign-in-link').hidden = !state.signInUrl || !!state.role;
    if (state.signInUrl) $('sign-in-link').href = state.signInUrl;
  }

  function showSignedIn() {
    state.platform = !key();
    $('key-form').hidden = true;
    $('sign-in-link').hidden = true;
    $('signed-in').hidden = false;
    // A platform session ends at App Service (its cookie); a pasted one here.
    $('sign-out').hidden = state.platform;
    $('sign-out-link').hidden = !state.platform;
    const scope = state.role === 'ops' ? 'ops' : 'supervisor';
    $('role-line').textContent = state.person
      ? 'Signed in as ' + state.person + ' (' + scope + ')'
      : 'Signed in with ' + (state.role === 'ops' ? 'an ops' : 'a supervisor') + ' key (' + scope + '): read-only, sign in as a person to act';
    $('read-only').hidden = !!state.person;
    $('views').hidden = false;
    // Which views a role sees: a supervisor only the supervisor view (the ops views' API would refuse them anyway).
    $('tab-flows').hidden = state.role !== 'ops';
    $('tab-stuck').hidden = state.role !== 'ops';
    show(state.role === 'ops' ? state.view : 'callbacks');
  }

  function signOut(clearAlert = true) {
    sessionStorage.removeItem(KEY_STORE);
    state.role = null;
    state.person = null;
    state.platform = false;
    clearInterval(state.timer);
    state.timer = null;
    if (clearAlert) showAlert('');
    $('key-form').hidden = false;
    offerSignIn();
    $('signed-in').hidden = true;
    $('views').hidden = true;
    $('flows-view').hidden = true;
    $('callbacks-view').hidden = true;
    $('stuck-view').hidden = true;
    $('api-key').value = '';
    $('api-key').focus();
  }

  function show(view) {
    state.view = view;
    $('flows-view').hidden = view !== 'flows';
    $('callbacks-view').hidden = view !== 'callbacks';
    $('stuck-view').hidden = view !== 'stuck';
    $('tab-flows').setAttribute('aria-pressed', String(view === 'flows'));
    $('tab-callbacks').setAttribute('aria-pressed', String(view === 'callbacks'));
    $('tab-stuck').setAttribute('aria-pressed', String(view === 'stuck'));
    if (view === 'stuck') loadStuck();
    refresh();
    clearInterval(state.timer);
    state.timer = setInterval(() => { if ($('auto-refresh').checked) refresh(); }, REFRESH_MS);
  }

  // A refresh rebuilds lists: keep the keyboard where it was (same label), and never refresh under an open dialog.
  function keepingFocus(render) {
    const active = document.activeElement;
    const label = active && active.tagName === 'BUTTON' && active.closest('#flows-table, .board') ? active.getAttribute('aria-label') || active.textContent : null;
    render();
    if (!label) return;
    const again = [...document.querySelectorAll('#flows-table button, .board button')].find((b) => (b.getAttribute('aria-label') || b.textContent) === label);
    if (again) again.focus();
  }

  function refresh() {
    if (!state.role || $('confirm').open) return;
    if (state.view === 'flows') {
      loadFlows(false);
      if (state.openFlow) openFlow(state.openFlow, false);
    } else if (state.view === 'callbacks') {
      loadCallbacks();
    }
    // The stuck-flow check reads histories: it runs when the view opens and on "Check now", not every few seconds.
  }

  // ---- flows ----

  function listQuery() {
    const params = new URLSearchParams({ top: '50', showInput: 'false' });
    const status = $('filter-status').value;
    const type = $('filter-type').value;
    const from = $('filter-from').value;
    const to = $('filter-to').value;
    if (status) params.set('runtimeStatus', status);
    if (type) params.set('instanceIdPrefix', type);
    if (from) params.set('createdTimeFrom', from + ':00Z');
    if (to) params.set('createdTimeTo', to + ':00Z');
    return '/instances?' + params.toString();
  }

  async function loadFlows(more) {
    try {
      let flows;
      if (state.search) {
        flows = (await api('GET', '/ops/flows?' + new URLSearchParams({ [state.search.kind]: state.search.id }))).json;
        state.continuation = null;
        $('flows-summary').textContent = flows.length + ' flow(s) for ' + (state.search.kind === 'callId' ? 'call ' : 'service job ') + state.search.id;
      } else {
        const headers = more && state.continuation ? { 'x-ms-continuation-token': state.continuation } : undefined;
        const answer = await api('GET', listQuery(), undefined, headers);
        flows = answer.json;
        state.continuation = answer.headers.get('x-ms-continuation-token');
        $('flows-summary').textContent = 'Updated ' + time(new Date().toISOString());
      }
      showAlert('');
      keepingFocus(() => renderFlows(flows, more));
      $('more').hidden = !state.continuation;
    } catch (e) {
      fail(e);
    }
  }

  function renderFlows(flows, append) {
    const body = $('flows-table').tBodies[0];
    if (!append) body.replaceChildren();
    for (const flow of flows) {
      const row = el('tr');
      row.dataset.instanceId = flow.instanceId;
      const outcome = outcomeOf(flow);
      if (flow.runtimeStatus === 'Failed') row.className = 'failed';
      else if (isBreached(flow)) row.className = 'breached';
      else if (outcome && !outcome.met) row.className = 'unmet';
      const idCell = el('td');
      const open = el('button', flow.instanceId, 'link');
      open.type = 'button';
      open.addEventListener('click', () => openFlow(flow.instanceId, true));
      idCell.append(open);
      const statusCell = el('td');
      statusCell.append(statusBadge(flow));
      const dueCell = el('td', isOpen(flow) ? time(flow.customStatus && flow.customStatus.due) : '');
      if (isBreached(flow)) dueCell.append(' ', el('span', 'SLA breached', 'flag'));
      row.append(idCell, el('td', flowType(flow.instanceId) || flow.name), statusCell,
        el('td', standingOf(flow)), dueCell, el('td', time(flow.createdTime)), el('td', time(flow.lastUpdatedTime)));
      body.append(row);
    }
    if (!body.rows.length) {
      const row = el('tr');
      const cell = el('td', 'No flows match.');
      cell.colSpan = 7;
      row.append(cell);
      body.append(row);
    }
  }

  function fact(list, name, value, className) {
    if (value === undefined || value === null || value === '') return;
    list.append(el('dt', name));
    list.append(el('dd', value, className));
  }

  function describe(event, names) {
    const parts = [event.eventType];
    if (event.name) parts.push(event.name);
    else if (names.has(event.taskScheduledId)) parts.push(names.get(event.taskScheduledId));
    if (event.fireAt) parts.push('fires ' + time(event.fireAt));
    if (event.instanceId) parts.push(event.instanceId);
    // The engine keeps a termination's reason as the event's input; suspend and resume keep it as reason.
    const reason = event.reason || (event.eventType === 'ExecutionTerminated' ? event.input : undefined);
    if (reason !== undefined && reason !== null && reason !== '') parts.push('reason: ' + (typeof reason === 'string' ? reason : JSON.stringify(reason)));
    if (event.status) parts.push(event.status);
    const failure = event.failure || event.failureDetails;
    if (failure) parts.push((failure.errorType || '') + ' ' + (failure.errorMessage || failure.message || ''));
    return parts.join(' · ');
  }

  // The notifications a flow sent: each PublishNotificationActivity step's input is the notification, its completion or
  // failure says how it went; retries of one message id are one row (tools/…/Demo/FlowNotifications.cs reads them the same way).
  function notificationsOf(history) {
    const byTask = new Map();
    const byMessage = new Map();
    for (const event of history || []) {
      // The engine records an activity's input as its argument list: one notification in an array.
      const input = Array.isArray(event.input) ? event.input[0] : event.input;
      if (event.eventType === 'TaskScheduled' && event.name === 'PublishNotificationActivity' && input && input.messageId) {
        byTask.set(event.taskId, input.messageId);
        const earlier = byMessage.get(input.messageId);
        byMessage.set(input.messageId, earlier
          ? Object.assign(earlier, { status: 'sending', tries: earlier.tries + 1 })
          : { topic: input.topic, subject: input.subject, messageId: input.messageId, body: input.body, status: 'sending', tries: 1 });
      } else if (event.eventType === 'TaskCompleted' && byTask.has(event.taskScheduledId)) {
        byMessage.get(byTask.get(event.taskScheduledId)).status = 'sent';
      } else if (event.eventType === 'TaskFailed' && byTask.has(event.taskScheduledId)) {
        const failure = event.failureDetails || {};
        byMessage.get(byTask.get(event.taskScheduledId)).status = 'failed: ' + (failure.errorMessage || failure.ErrorMessage || event.reason || 'no reason given');
      }
    }
    return [...byMessage.values()];
  }

  function showNotifications(history) {
    const body = $('notifications').querySelector('tbody');
    body.replaceChildren();
    const notifications = notificationsOf(history);
    for (const n of notifications) {
      const row = el('tr');
      row.append(el('td', n.topic), el('td', n.subject),
        el('td', n.status + (n.tries > 1 ? ' (' + n.tries + ' tries)' : ''), n.status.startsWith('failed') ? 'flag' : undefined),
        el('td', n.messageId));
      const cell = el('td');
      cell.append(el('pre', JSON.stringify(n.body ?? null, null, 2)));
      row.append(cell);
      body.append(row);
    }
    $('notifications').hidden = notifications.length === 0;
    $('notifications-none').hidden = notifications.length !== 0;
  }

  // Who did what to the flow, oldest first: "claimed by alice@contoso.test at 02:13 UTC".
  const ACTION_WORDS = {
    claim: 'claimed', complete: 'completed', acknowledge: 'acknowledged', start: 'started', terminate: 'terminated',
    suspend: 'suspended', resume: 'resumed', purge: 'purged', repair: 'repaired',
  };

  async function showActions(instanceId) {
    const list = $('actions-taken');
    list.replaceChildren();
    let actions = [];
    try {
      actions = (await api('GET', '/ops/flows/' + encodeURIComponent(instanceId) + '/actions')).json || [];
    } catch (e) {
      list.append(el('li', 'Could not read the actions: ' + e.message));
    }
    for (const a of actions) {
      const what = a.action.startsWith('raise-event:') ? 'event ' + a.action.slice('raise-event:'.length) + ' raised' : (ACTION_WORDS[a.action] || a.action);
      const text = what + ' by ' + a.by + ' at ' + time(a.time) +
        (a.reason ? ' (reason ' + a.reason + ')' : '') + (a.outcome >= 400 ? ' — refused ' + a.outcome : '');
      list.append(el('li', text, a.outcome >= 400 ? 'flag' : undefined));
    }
    $('actions-none').hidden = actions.length !== 0 || list.childElementCount !== 0;
  }

  // The flow told in the trade's words (GET /api/ops/flows/{id}/story); the raw history stays one click away below it.
  const STORY_KINDS = { step: '', wait: 'waiting', person: 'by a person', success: 'done', warning: 'warning', failure: 'failed' };

  async function showStory(instanceId) {
    const list = $('story');
    let story;
    try {
      story = (await api('GET', '/ops/flows/' + encodeURIComponent(instanceId) + '/story')).json;
    } catch (e) {
      list.replaceChildren(el('li', 'Could not read the story: ' + e.message, 'flag'));
      $('story-standing').textContent = '';
      return;
    }
    list.replaceChildren();
    for (const entry of story.entries || []) {
      const item = el('li', undefined, 'story-' + entry.kind);
      item.append(el('time', time(entry.time)), ' ');
      // Never colour alone: a word says what kind of line it is.
      const word = STORY_KINDS[entry.kind];
      if (word) item.append(el('span', word, 'story-kind'), ' ');
      item.append(el('span', entry.text, 'story-text'));
      list.append(item);
    }
    if (!list.childElementCount) list.append(el('li', 'Nothing has happened yet.'));
    // An open flow's wait leads; a finished flow's end is the last line already.
    const running = ['Running', 'Pending', 'Suspended'].includes(story.runtimeStatus);
    $('story-standing').textContent = running && story.standing ? 'Now: ' + story.standing : '';
  }

  async function openFlow(instanceId, focus) {
    let flow;
    try {
      flow = (await api('GET', '/instances/' + encodeURIComponent(instanceId) + '?showHistory=true&showInput=true')).json;
    } catch (e) {
      fail(e);
      return;
    }
    state.openFlow = instanceId;
    state.openFlowData = flow;
    $('detail').hidden = false;
    $('detail-heading').textContent = instanceId;
    const facts = $('detail-facts');
    facts.replaceChildren();
    fact(facts, 'Flow', (flowType(instanceId) || '') + ' (' + flow.name + ')');
    fact(facts, 'Status', flow.runtimeStatus, flow.runtimeStatus === 'Failed' ? 'flag' : undefined);
    const outcome = outcomeOf(flow);
    if (outcome) fact(facts, 'Outcome', outcome.text, outcome.met ? undefined : 'flag');
    const custom = flow.customStatus || {};
    const open = isOpen(flow);
    fact(facts, 'Where it stands', standingOf(flow));
    if (open) fact(facts, 'Phase', custom.phase);
    fact(facts, 'Due', open && custom.due ? time(custom.due) + (isBreached(flow) ? ' (SLA breached)' : '') : '', isBreached(flow) ? 'flag' : undefined);
    fact(facts, 'Waiting for', flow.waitingFor);
    fact(facts, 'Waiting since', time(flow.waitingSince));
    fact(facts, 'Created', time(flow.createdTime));
    fact(facts, 'Last updated', time(flow.lastUpdatedTime));
    if (flow.failureDetails) fact(facts, 'Failure', (flow.failureDetails.errorType || '') + ': ' + (flow.failureDetails.errorMessage || ''), 'flag');
    for (const button of $('detail-actions').querySelectorAll('button[data-action]')) {
      const action = button.dataset.action;
      button.disabled = !open || (action === 'suspend' && flow.runtimeStatus === 'Suspended') || (action === 'resume' && flow.runtimeStatus !== 'Suspended');
    }
    showNotifications(flow.historyEvents);
    await showActions(instanceId);
    await showStory(instanceId);
    const timeline = $('timeline');
    timeline.replaceChildren();
    // A completion names the task it completes only by number: show the task's name there too.
    const names = new Map();
    for (const event of flow.historyEvents || []) {
      if (event.taskId !== undefined && event.name) names.set(event.taskId, event.name);
      if (event.timerId !== undefined) names.set(event.timerId, 'timer');
    }
    for (const event of flow.historyEvents || []) {
      if (event.eventType === 'OrchestratorStarted' || event.eventType === 'OrchestratorCompleted') continue;
      const item = el('li');
      item.append(el('time', time(event.timestamp)), ' ', describe(event, names));
      timeline.append(item);
    }
    $('detail-input').textContent = JSON.stringify(flow.input ?? null, null, 2);
    $('detail-output').textContent = JSON.stringify(flow.output ?? null, null, 2);
    if (focus) $('detail-heading').focus();
  }

  // ---- confirmation ----

  // Asks in a modal dialog; resolves with the fields' values, or null when cancelled. `run` may throw to keep it open.
  function confirmAction(title, text, fields, run) {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-error').textContent = '';
    const box = $('confirm-fields');
    box.replaceChildren();
    for (const field of fields) {
      const id = 'confirm-field-' + field.name;
      const label = el('label', field.label);
      label.htmlFor = id;
      const input = el(field.options ? 'select' : field.multiline ? 'textarea' : 'input');
      input.id = id;
      input.name = field.name;
      for (const option of field.options || []) input.append(el('option', option));
      input.value = field.value || (field.options ? field.options[0] : '');
      if (field.required) input.required = true;
      if (field.pattern) input.pattern = field.pattern;
      box.append(label, input);
      if (field.hint !== undefined) {
        const hint = el('p', field.hint, 'hint');
        hint.id = id + '-hint';
        input.setAttribute('aria-describedby', hint.id);
        box.append(hint);
      }
    }
    // A field's change may fill others (the raise-event dialog fills the body for the event chosen).
    for (const field of fields.filter((f) => f.change)) {
      const input = $('confirm-field-' + field.name);
      input.addEventListener('change', () => field.change(input.value));
      field.change(input.value);
    }
    return new Promise((resolve) => {
      const form = $('confirm-form');
      const onSubmit = async (event) => {
        if (event.submitter && event.submitter.value === 'cancel') {
          return;
        }
        event.preventDefault();
        const values = Object.fromEntries(fields.map((f) => [f.name, $('confirm-field-' + f.name).value]));
        try {
          await run(values);
          dialog.close('ok');
        } catch (e) {
          $('confirm-error').textContent = e.message;
        }
      };
      const onClose = () => {
        form.removeEventListener('submit', onSubmit);
        dialog.removeEventListener('close', onClose);
        resolve(dialog.returnValue === 'ok');
      };
      dialog.returnValue = '';
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('close', onClose);
      dialog.showModal();
      const first = box.querySelector('input, select, textarea');
      (first || $('confirm-cancel')).focus();
    });
  }

  // A body the management API accepts for `eventName`, with the values this flow knows: its call and service job from
  // its input, the target and key of its last warm transfer from its history.
  function eventBody(eventName, flow) {
    const input = flow.input || {};
    let transfer = {};
    for (const event of flow.historyEvents || []) {
      const command = Array.isArray(event.input) ? event.input[0] : event.input;
      if (event.eventType === 'TaskScheduled' && command && command.type === 'transfer.warm') transfer = command;
    }
    const callId = transfer.callId || input.callId || '';
    switch (eventName) {
      case 'TransferConnected':
        return { callId, targetExtension: transfer.targetExtension || '', ...(transfer.idempotencyKey ? { idempotencyKey: transfer.idempotencyKey } : {}) };
      case 'TransferFailed':
        return { callId, targetExtension: transfer.targetExtension || '', reason: 'no-answer', ...(transfer.idempotencyKey ? { idempotencyKey: transfer.idempotencyKey } : {}) };
      case 'CallEnded':
        return { callId };
      case 'SeverityChanged':
        return { serviceJobId: input.serviceJobId || '', severity: input.severity || 'High' };
      default:
        return {};
    }
  }

  async function flowAction(action) {
    if (!canAct()) return;
    const id = state.openFlow;
    const path = '/instances/' + encodeURIComponent(id) + '/';
    const done = () => { openFlow(id, false); loadFlows(false); };
    if (action === 'raiseEvent') {
      const flow = state.openFlowData || {};
      const events = FLOW_EVENTS[flow.name];
      const fill = (eventName) => {
        const fields = EVENT_FIELDS[eventName];
        const body = $('confirm-field-body');
        body.value = JSON.stringify(fields ? eventBody(eventName, flow) : {}, null, 2);
        body.rows = Math.max(3, body.value.split('\n').length);
        $('confirm-field-body-hint').textContent = fields
          ? eventName + ' takes only ' + Object.entries(fields).map(([name, what]) => name + ' (' + what + ')').join(', ') + '. Filled in from this flow; check the values before you send it.'
          : 'Any JSON this flow expects.';
      };
      await confirmAction('Raise an event', 'Send an event to ' + id + '. The flow acts on it as if it came from its trigger.',
        [
          events ? { name: 'event', label: 'Event name', options: events, change: fill } : { name: 'event', label: 'Event name', required: true, change: fill },
          { name: 'body', label: 'Event data (JSON)', multiline: true, hint: '' },
        ],
        async (v) => {
          let body;
          try { body = JSON.parse(v.body || 'null'); } catch { throw new Error('The event data is not valid JSON.'); }
          await api('POST', path + 'raiseEvent/' + encodeURIComponent(v.event), body);
        }) && done();
      return;
    }
    const words = { terminate: ['Terminate', 'It stops for good; nothing it still waits for will happen.'], suspend: ['Suspend', 'It pauses until resumed; events that arrive meanwhile are kept.'], resume: ['Resume', 'It carries on from where it was suspended.'] }[action];
    await confirmAction(words[0] + ' ' + id + '?', words[1], [{ name: 'reason', label: 'Reason code (kept in its history): duplicate, test-call, caller-hung-up, handled-elsewhere, operator-error, stuck, maintenance or issue-resolved', pattern: '[a-z-]*' }],
      (v) => api('POST', path + action + (v.reason ? '?reason=' + encodeURIComponent(v.reason) : ''))) && done();
  }

  // ---- supervisor view: escalations and callbacks (issue 21) ----

  // Where an escalation went and how severe, in the words of the trade (docs/api.md §4's taxonomy).
  const ROUTE_WORDS = {
    CustomerServiceEscalations: 'Customer Service escalations', ClaimsSpecialist: 'Claims Specialist', PotentialRisk: 'Potential Risk team',
    MediaPolicy: 'Media policy owners', Legal: 'Legal',
  };
  const SEVERITY_WORDS = { Normal: 'Normal', High: 'High', Critical: 'Critical', MedicalEmergency: 'Medical Emergency' };
  const CALLBACK_COLUMNS = ['open', 'claimed', 'breached', 'completed'];
  const TICK_MS = 500;
  const acknowledgedHere = new Set();

  // "04:59" under an hour, "3:59:59" above; the sign is said in words by the caller.
  function clock(ms) {
    const total = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const two = (n) => String(n).padStart(2, '0');
    return (h ? h + ':' + two(m) : two(m)) + ':' + two(s);
  }

  function isPast(due) { return !!due && new Date(due) <= new Date(); }

  // Breached first, then the nearest deadline; a card without one last.
  function byUrgency(breached, dueOf) {
    return (a, b) => (breached(b) - breached(a)) || ((dueOf(a) ? new Date(dueOf(a)) : Infinity) - (dueOf(b) ? new Date(dueOf(b)) : Infinity));
  }

  // A card's state in words and colour together: the words stay when colour cannot be seen.
  function stateLine(card, words, breached) {
    const state = el('p', undefined, 'state');
    state.append(el('span', breached ? 'Breached' : words, 'badge ' + (breached ? 'breached' : 'waiting')));
    card.append(state);
    if (breached) card.classList.add('breached');
  }

  // The live countdown: "acknowledge within 04:32"; once past, "breached 00:07 ago". Ticked by tickCountdowns.
  function countdown(card, due, verb) {
    if (!due) return;
    const line = el('p', undefined, 'countdown');
    line.dataset.due = due;
    line.dataset.verb = verb;
    card.append(line);
    paintCountdown(line);
  }

  function paintCountdown(line) {
    const left = new Date(line.dataset.due) - new Date();
    const card = line.closest('li');
    if (left > 0) {
      line.textContent = line.dataset.verb + ' within ' + clock(left) + ' (by ' + time(line.dataset.due) + ')';
      return;
    }
    line.textContent = 'Deadline passed ' + clock(left) + ' ago (' + time(line.dataset.due) + ')';
    // Turned on the spot, without waiting for the next refresh: words and colour.
    if (card && !card.classList.contains('breached')) {
      card.classList.add('breached');
      const badge = card.querySelector('.state .badge');
      if (badge) {
        badge.textContent = 'Breached';
        badge.className = 'badge breached';
      }
    }
  }

  function tickCountdowns() {
    for (const line of document.querySelectorAll('#callbacks-view .countdown[data-due]')) paintCountdown(line);
  }

  function notice(message, className) {
    const line = $('supervisor-notice');
    line.textContent = message || '';
    line.className = className || '';
  }

  async function loadCallbacks() {
    if (!state.ticker) state.ticker = setInterval(tickCountdowns, TICK_MS);
    try {
      const [escalations, ...lists] = await Promise.all([
        api('GET', '/escalations?status=open&top=200'),
        ...CALLBACK_COLUMNS.map((s) => api('GET', '/callbacks?top=200&status=' + s)),
      ]);
      showAlert('');
      if ($('confirm').open) return;
      keepingFocus(() => {
        renderEscalations(escalations.json || []);
        CALLBACK_COLUMNS.forEach((status, i) => renderCallbacks(status, lists[i].json || []));
      });
      $('callbacks-summary').textContent = 'Updated ' + time(new Date().toISOString());
    } catch (e) {
      fail(e);
    }
  }

  function renderEscalations(escalations) {
    const list = $('escalations-open');
    list.replaceChildren();
    // One acknowledged from this page is held already (the service's first claim wins at once), though the flow may
    // not have taken the event by the next refresh: it is not shown again.
    const sorted = escalations.filter((e) => !acknowledgedHere.has(e.escalationId)).sort(byUrgency((e) => isPast(e.dueTime), (e) => e.dueTime));
    for (const e of sorted) {
      const card = el('li');
      card.dataset.escalationId = e.escalationId;
      card.append(el('strong', (ROUTE_WORDS[e.route] || e.route || 'Escalation') + ' · ' + (SEVERITY_WORDS[e.severity] || e.severity || 'severity not set yet')));
      stateLine(card, 'Waiting for acknowledgement', isPast(e.dueTime));
      countdown(card, e.dueTime, 'Acknowledge');
      const facts = el('dl');
      fact(facts, 'Service job', e.serviceJobId);
      fact(facts, 'Reason', e.reason + ' / ' + e.subReason);
      fact(facts, 'Raised', 'by ' + e.raisedBy + ' at ' + time(e.createdTime));
      fact(facts, 'Tier reached', e.tier || 'not told yet (starting)');
      fact(facts, 'Escalation', e.escalationId);
      card.append(facts);
      const button = el('button', 'Acknowledge…');
      button.type = 'button';
      button.setAttribute('aria-label', 'Acknowledge ' + e.escalationId);
      button.addEventListener('click', () => acknowledge(e));
      card.append(button);
      list.append(card);
    }
    if (!sorted.length) list.append(el('li', 'None waiting.', 'none'));
  }

  function isToday(value) {
    if (!value) return false;
    const d = new Date(value);
    const now = new Date();
    return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  }

  function renderCallbacks(status, tasks) {
    const list = $('callbacks-' + status);
    list.replaceChildren();
    const me = state.person;
    let shown = status === 'completed' ? tasks.filter((t) => isToday(t.completedTime)) : [...tasks];
    shown = status === 'completed'
      ? shown.sort((a, b) => new Date(b.completedTime) - new Date(a.completedTime))
      : shown.sort(byUrgency((t) => status === 'breached' || isPast(t.dueTime), (t) => t.dueTime));
    for (const task of shown) {
      const item = el('li');
      item.dataset.callbackId = task.callbackId;
      item.append(el('strong', (task.priority === 'High' ? 'High priority · ' : '') + 'customer ' + task.customerId));
      if (status === 'completed') {
        item.append(el('p', 'Completed by ' + task.claimedBy + ' at ' + time(task.completedTime) + (task.outcome ? ' · ' + task.outcome : ''), 'state'));
      } else {
        stateLine(item, status === 'open' ? 'Open: waiting for a claim' : 'Claimed by ' + task.claimedBy, status === 'breached' || isPast(task.dueTime));
        // dueTime is the claim deadline of the current tier, or the completion deadline once claimed (docs/api.md §4).
        countdown(item, task.dueTime, task.claimedBy ? 'Complete' : 'Claim');
      }
      const facts = el('dl');
      fact(facts, 'Callback', task.callbackId);
      fact(facts, 'Reason', task.reason);
      fact(facts, 'Call', task.callId);
      fact(facts, 'Tier told', task.tier);
      fact(facts, 'Opened', time(task.createdTime));
      fact(facts, 'Claimed by', task.claimedBy);
      item.append(facts);
      // A breached task is still claimed and completed: it stays on the board, in red, until then.
      if (status !== 'completed') {
        if (!task.claimedBy) {
          item.append(callbackButton('Claim', task, () => claim(task)));
        } else if (me && task.claimedBy === me) {
          item.append(callbackButton('Complete', task, () => complete(task)));
        }
      }
      list.append(item);
    }
    if (!shown.length) list.append(el('li', 'None.', 'none'));
  }

  function callbackButton(text, task, onClick) {
    const button = el('button', text + '…');
    button.type = 'button';
    button.setAttribute('aria-label', text + ' ' + task.callbackId);
    button.addEventListener('click', onClick);
    return button;
  }

  // Exactly one person acknowledges: whoever was first is named to everyone else (the 409's detail).
  async function acknowledge(escalation) {
    if (!canAct()) return;
    const id = escalation.escalationId;
    let outcome = null;
    const done = await confirmAction('Acknowledge ' + id + '?',
      'You (' + state.person + ') take this escalation on service job ' + escalation.serviceJobId + ' (' + (ROUTE_WORDS[escalation.route] || escalation.route) + '); no further tier is told.', [],
      async () => {
        try {
          await api('POST', '/escalations/' + encodeURIComponent(id) + '/acknowledge', {});
          outcome = { text: 'You acknowledged ' + id + '.', className: '' };
        } catch (e) {
          if (e.status !== 409) throw e;
          // The 409 names who won, while the flow runs ("already acknowledged by alice") and after ("…, acknowledged by alice").
          const detail = e.message.replace(/^409 /, '');
          const who = /acknowledged by (.+?)\.?$/.exec(detail);
          outcome = { text: who ? 'Already acknowledged by ' + who[1] + ': ' + id + ' is theirs, you were not first.' : 'Not yours: ' + detail, className: 'flag' };
        }
      });
    if (done && outcome) {
      acknowledgedHere.add(id);
      notice(outcome.text, outcome.className);
      // Acknowledged now, whoever won: off this list at once; the next refresh agrees once the flow has it.
      const card = $('escalations-open').querySelector('li[data-escalation-id="' + CSS.escape(id) + '"]');
      if (card) card.remove();
    }
    loadCallbacks();
  }

  // The service records the signed-in person (the token's id): the body names no one.
  async function claim(task) {
    if (!canAct()) return;
    await confirmAction('Claim ' + task.callbackId + '?', 'You (' + state.person + ') will call customer ' + task.customerId + ' back.', [],
      () => api('POST', '/callbacks/' + encodeURIComponent(task.callbackId) + '/claim', {}));
    loadCallbacks();
  }

  async function complete(task) {
    if (!canAct()) return;
    await confirmAction('Complete ' + task.callbackId + '?', 'Record how the callback ended.',
      [{ name: 'outcome', label: 'Outcome code (lowercase, digits, -), e.g. resolved', value: 'resolved', required: true, pattern: '[a-z0-9\\-]{1,40}' }],
      (v) => api('POST', '/callbacks/' + encodeURIComponent(task.callbackId) + '/complete', { outcome: v.outcome }));
    loadCallbacks();
  }

  // ---- stuck flows ----

  const STUCK_WORDS = {
    EndedButShownRunning: 'Its history ended but its status still says running',
    NeverStarted: 'Created but never started',
    OverdueWithNothingScheduled: 'Past its deadline with nothing left to wake it',
  };

  async function loadStuck() {
    $('stuck-summary').textContent = 'Checking…';
    try {
      const report = (await api('GET', '/ops/stuck-flows')).json;
      showAlert('');
      const body = $('stuck-table').tBodies[0];
      body.replaceChildren();
      for (const finding of report.findings) {
        const row = el('tr', undefined, 'flag');
        row.append(el('td', finding.instanceId), el('td', STUCK_WORDS[finding.kind] || finding.kind), el('td', finding.runtimeStatus),
          el('td', finding.historyStatus || 'still running'), el('td', time(finding.lastUpdatedTime)), el('td', time(finding.dueTime)), el('td', finding.whatToDo));
        const action = el('td');
        if (finding.repairable) {
          const button = el('button', 'Repair…');
          button.type = 'button';
          button.setAttribute('aria-label', 'Repair ' + finding.instanceId);
          button.addEventListener('click', () => repairStuck(finding));
          action.append(button);
        }
        row.append(action);
        body.append(row);
      }
      $('stuck-summary').textContent = report.findings.length + ' stuck of ' + report.looked + ' quiet flows looked at, ' + time(report.checkedTime);
    } catch (e) {
      $('stuck-summary').textContent = '';
      fail(e);
    }
  }

  async function repairStuck(finding) {
    if (!canAct()) return;
    await confirmAction('Repair ' + finding.instanceId + '?',
      'Its status row will be rewritten from its history to ' + finding.historyStatus + '. You (' + state.person + ') are recorded with the repair.', [],
      () => api('POST', '/ops/stuck-flows/' + encodeURIComponent(finding.instanceId) + '/repair', { confirm: true }));
    loadStuck();
  }

  // ---- wiring ----

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORE, $('api-key').value.trim());
      $('api-key').value = '';
      signIn();
    });
    $('sign-out').addEventListener('click', () => signOut(true));
    $('tab-flows').addEventListener('click', () => show('flows'));
    $('tab-callbacks').addEventListener('click', () => show('callbacks'));
    $('tab-stuck').addEventListener('click', () => show('stuck'));
    $('stuck-check').addEventListener('click', loadStuck);
    $('filter-form').addEventListener('submit', (event) => { event.preventDefault(); state.search = null; loadFlows(false); });
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      state.search = { kind: $('search-kind').value, id: $('search-id').value.trim() };
      loadFlows(false);
    });
    $('search-clear').addEventListener('click', () => { state.search = null; $('search-id').value = ''; loadFlows(false); });
    $('more').addEventListener('click', () => loadFlows(true));
    $('detail-close').addEventListener('click', () => { state.openFlow = null; $('detail').hidden = true; });
    for (const button of $('detail-actions').querySelectorAll('button[data-action]')) {
      button.addEventListener('click', () => flowAction(button.dataset.action));
    }
    $('sign-out-link').href = SIGN_OUT_URL;
    if (key()) {
      signIn();
    } else {
      $('api-key').focus();
      signInThroughPlatform();
    }
  });
})();
