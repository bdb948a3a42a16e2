/**
 * Script of the labeling page (GET /label/app.js): plain browser JavaScript, no build step. It
 * talks to the same JSON API as every other client and shows the API's own error messages
 * (`{error: {message}}`). Written without template literals so it can live in this string.
 */
export const LABEL_PAGE_JS = String.raw`(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var state = { annotator: null, campaign: null, campaigns: [], task: null, focus: 0, busy: false, suggestions: [], active: -1, suggestSeq: 0, suggestTimer: 0 };

  // --- API ------------------------------------------------------------------------------------
  async function api(method, url, body) {
    var init = { method: method, headers: { accept: 'application/json' } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    var res;
    try { res = await fetch(url, init); } catch (e) { throw new Error('Cannot reach the Caveat service: ' + e.message); }
    var text = await res.text();
    var data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) {
      var message = data && data.error && data.error.message ? data.error.message : 'The service answered ' + res.status + ' ' + res.statusText;
      var err = new Error(message);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  // --- messages -------------------------------------------------------------------------------
  function showError(message) { var el = $('error'); el.textContent = message; el.hidden = false; }
  function clearError() { var el = $('error'); el.textContent = ''; el.hidden = true; }
  function say(message) { $('message').textContent = message; }
  function setBusy(busy) {
    state.busy = busy;
    ['start', 'submit', 'retry'].forEach(function (id) { var b = $(id); if (b) b.disabled = busy; });
  }

  // --- setup ----------------------------------------------------------------------------------
  async function loadChoices() {
    try {
      var annotators = await api('GET', '/annotators');
      var list = $('annotator-list');
      list.textContent = '';
      annotators.forEach(function (a) {
        var o = document.createElement('option');
        o.value = String(a.id);
        o.label = a.name + ' (' + a.role + ')';
        list.appendChild(o);
      });
      state.campaigns = await api('GET', '/campaigns?status=open');
      var select = $('campaign');
      select.textContent = '';
      if (state.campaigns.length === 0) {
        var none = document.createElement('option');
        none.value = '';
        none.textContent = 'No open campaign';
        select.appendChild(none);
      }
      state.campaigns.forEach(function (c) {
        var o = document.createElement('option');
        o.value = String(c.id);
        o.textContent = c.name + ' — ' + c.model + ' (' + c.progress.remaining + ' labels left)';
        select.appendChild(o);
      });
    } catch (e) {
      showError(e.message);
    }
  }

  async function start(annotatorRaw, campaignRaw) {
    clearError();
    var annotator = String(annotatorRaw || '').trim();
    if (!/^[1-9][0-9]*$/.test(annotator)) { showError('Enter your annotator id (a number).'); $('annotator').focus(); return; }
    if (!campaignRaw) { showError('Choose a campaign.'); $('campaign').focus(); return; }
    setBusy(true);
    try {
      var who = await api('GET', '/annotators/' + annotator);
      state.annotator = who;
      state.campaign = Number(campaignRaw);
      try { localStorage.setItem('caveat.annotator', annotator); } catch (e) { /* private mode */ }
      var url = new URL(window.location.href);
      url.searchParams.set('annotator', annotator);
      url.searchParams.set('campaign', String(state.campaign));
      history.replaceState(null, '', url.toString());
      $('who').textContent = who.name + ' · ' + who.role;
      $('who').hidden = false;
      $('setup').hidden = true;
      await nextTask();
    } catch (e) {
      showError(e.message);
    } finally {
      setBusy(false);
    }
  }

  // --- tasks ----------------------------------------------------------------------------------
  async function nextTask() {
    var result = await api('POST', '/campaigns/' + state.campaign + '/tasks/next', { annotatorId: state.annotator.id });
    if (!result.task) {
      state.task = null;
      $('task').hidden = true;
      $('done').hidden = false;
      $('done-reason').textContent = result.reason === 'budget spent' ? 'This campaign has used its whole labeling budget.'
        : result.reason === 'closed' ? 'This campaign is closed.'
        : 'You have labeled every item this campaign has for you. Thank you!';
      return;
    }
    renderTask(result.task, result.progress);
  }

  function renderTask(task, progress) {
    state.task = task;
    state.focus = 0;
    $('done').hidden = true;
    $('task').hidden = false;
    $('task-meta').textContent = task.campaign + ' · ' + task.model + ' · task ' + task.id + ' · ' + progress.used + ' of ' + progress.budget + ' labels handed out';
    $('item-id').textContent = task.item.externalId;
    var text = $('item-text');
    text.textContent = task.item.text === null || task.item.text === '' ? '(this item has no text)' : task.item.text;
    text.classList.toggle('empty', !task.item.text);
    var table = $('item-attributes');
    var body = table.querySelector('tbody');
    body.textContent = '';
    var attrs = task.item.attributes || {};
    Object.keys(attrs).forEach(function (k) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = k;
      var td = document.createElement('td');
      var v = attrs[k];
      td.textContent = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
      tr.appendChild(th);
      tr.appendChild(td);
      body.appendChild(tr);
    });
    table.hidden = Object.keys(attrs).length === 0;
    var answer = $('model-answer');
    if (task.showModelAnswer && task.item.predicted !== undefined) {
      answer.textContent = 'The model says: ' + task.item.predicted + ' (confidence ' + Math.round(task.item.confidence * 100) + '%)';
      answer.hidden = false;
      $('model-judgement').hidden = false;
    } else {
      answer.hidden = true;
      $('model-judgement').hidden = true;
    }
    document.querySelectorAll('input[name=model-correct]').forEach(function (r) { r.checked = false; });
    $('prompt').textContent = task.prompt;
    $('free-text').value = '';
    hideSuggestions();
    var list = $('concept-list');
    list.textContent = '';
    task.concepts.forEach(function (c, i) {
      var row = document.createElement('div');
      row.className = 'concept';
      row.tabIndex = -1;
      row.dataset.index = String(i);
      row.dataset.conceptId = String(c.id);
      row.dataset.conceptName = c.name;
      row.setAttribute('role', 'radiogroup');
      row.setAttribute('aria-labelledby', 'concept-name-' + c.id);
      var name = document.createElement('span');
      name.className = 'name';
      name.id = 'concept-name-' + c.id;
      name.textContent = c.name;
      if (c.description) {
        var desc = document.createElement('span');
        desc.className = 'desc';
        desc.textContent = c.description;
        name.appendChild(desc);
      }
      var choices = document.createElement('span');
      choices.className = 'choices';
      [['yes', 'Yes'], ['no', 'No'], ['unsure', 'Unsure']].forEach(function (pair) {
        var label = document.createElement('label');
        var input = document.createElement('input');
        input.type = 'radio';
        input.name = 'concept-' + c.id;
        input.value = pair[0];
        input.addEventListener('focus', function () { setFocus(i, false); });
        var span = document.createElement('span');
        span.textContent = pair[1];
        label.appendChild(input);
        label.appendChild(span);
        choices.appendChild(label);
      });
      row.appendChild(name);
      row.appendChild(choices);
      row.addEventListener('click', function () { setFocus(i, false); });
      list.appendChild(row);
    });
    $('concepts').hidden = task.concepts.length === 0;
    setFocus(0, true);
  }

  function conceptRows() { return Array.prototype.slice.call(document.querySelectorAll('#concept-list .concept')); }

  function setFocus(i, moveFocus) {
    var rows = conceptRows();
    if (rows.length === 0) return;
    state.focus = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle('focused', j === state.focus); });
    if (moveFocus) rows[state.focus].focus({ preventScroll: false });
  }

  function answerFocused(value) {
    var rows = conceptRows();
    var row = rows[state.focus];
    if (!row) return;
    var input = row.querySelector('input[value=' + value + ']');
    input.checked = true;
    if (state.focus < rows.length - 1) setFocus(state.focus + 1, true);
  }

  async function submit() {
    if (!state.task || state.busy) return;
    clearError();
    var answers = [];
    conceptRows().forEach(function (row) {
      var checked = row.querySelector('input:checked');
      if (checked) answers.push({ conceptId: Number(row.dataset.conceptId), answer: checked.value });
    });
    var freeText = $('free-text').value.trim();
    if (answers.length === 0 && freeText === '') {
      showError('Answer at least one concept (y / n / u) or write what makes the item hard.');
      setFocus(state.focus, true);
      return;
    }
    var body = { annotatorId: state.annotator.id, answers: answers };
    if (freeText !== '') body.freeText = freeText;
    var judged = document.querySelector('input[name=model-correct]:checked');
    if (judged && state.task.showModelAnswer) body.modelCorrect = judged.value === 'true';
    setBusy(true);
    try {
      var result = await api('POST', '/tasks/' + state.task.id + '/submit', body);
      var parts = ['Saved task ' + state.task.id + ': ' + result.answers + ' answer' + (result.answers === 1 ? '' : 's')];
      if (result.freeText && result.freeText.matched.length) parts.push('recognised ' + result.freeText.matched.map(function (m) { return '“' + m.name + '”'; }).join(', '));
      if (result.freeText && result.freeText.proposed.length) parts.push('new idea' + (result.freeText.proposed.length === 1 ? '' : 's') + ' for the curators: ' + result.freeText.proposed.map(function (p) { return '“' + p.name + '”'; }).join(', '));
      say(parts.join(' · ') + '.');
      await nextTask();
    } catch (e) {
      showError(e.message);
    } finally {
      setBusy(false);
    }
  }

  // --- free-text suggestions --------------------------------------------------------------------
  function currentFragment() {
    var box = $('free-text');
    var before = box.value.slice(0, box.selectionStart);
    var cut = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('.'), before.lastIndexOf('\n'));
    return { start: cut + 1, text: before.slice(cut + 1).trim() };
  }

  function scheduleSuggestions() {
    clearTimeout(state.suggestTimer);
    state.suggestTimer = setTimeout(fetchSuggestions, 120);
  }

  async function fetchSuggestions() {
    var fragment = currentFragment();
    if (!state.task || fragment.text.length < 2) { hideSuggestions(); return; }
    var seq = ++state.suggestSeq;
    try {
      var found = await api('GET', '/models/' + encodeURIComponent(state.task.model) + '/concepts/suggest?limit=6&q=' + encodeURIComponent(fragment.text));
      if (seq !== state.suggestSeq) return; // a later keystroke has its own request
      showSuggestions(found);
    } catch (e) {
      hideSuggestions();
    }
  }

  function showSuggestions(found) {
    var list = $('suggestions');
    list.textContent = '';
    state.suggestions = found;
    state.active = found.length ? 0 : -1;
    found.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'suggestion-' + i;
      li.setAttribute('role', 'option');
      li.dataset.name = s.name;
      li.textContent = s.name;
      if (s.matched.toLowerCase() !== s.name.toLowerCase()) {
        var via = document.createElement('span');
        via.className = 'via';
        via.textContent = '(' + s.matched + ')';
        li.appendChild(via);
      }
      if (s.status === 'proposed') {
        var tag = document.createElement('span');
        tag.className = 'proposed';
        tag.textContent = 'proposed';
        li.appendChild(tag);
      }
      // mousedown, not click: the text box must not lose its caret first.
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); takeSuggestion(i); });
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    markActive();
  }

  function markActive() {
    var items = document.querySelectorAll('#suggestions li');
    items.forEach(function (li, i) { li.setAttribute('aria-selected', i === state.active ? 'true' : 'false'); });
    $('free-text').setAttribute('aria-activedescendant', state.active >= 0 ? 'suggestion-' + state.active : '');
  }

  function hideSuggestions() {
    state.suggestions = [];
    state.active = -1;
    var list = $('suggestions');
    list.hidden = true;
    list.textContent = '';
  }

  function takeSuggestion(i) {
    var s = state.suggestions[i];
    if (!s) return;
    var box = $('free-text');
    var fragment = currentFragment();
    var head = box.value.slice(0, fragment.start);
    var tail = box.value.slice(box.selectionStart);
    var lead = fragment.start > 0 ? ' ' : '';
    box.value = head + lead + s.name + ', ' + tail.replace(/^\s*,?\s*/, '');
    var caret = (head + lead + s.name + ', ').length;
    box.setSelectionRange(caret, caret);
    hideSuggestions();
    box.focus();
  }

  // --- keyboard -------------------------------------------------------------------------------
  function onKey(ev) {
    var target = ev.target;
    var inText = target && (target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && target.type !== 'radio') || target.tagName === 'SELECT');
    if (target && target.id === 'free-text') {
      if (!$('suggestions').hidden && state.suggestions.length) {
        if (ev.key === 'ArrowDown') { ev.preventDefault(); state.active = (state.active + 1) % state.suggestions.length; markActive(); return; }
        if (ev.key === 'ArrowUp') { ev.preventDefault(); state.active = (state.active - 1 + state.suggestions.length) % state.suggestions.length; markActive(); return; }
        if (ev.key === 'Tab' && state.active >= 0) { ev.preventDefault(); takeSuggestion(state.active); return; }
      }
      if (ev.key === 'Escape') { ev.preventDefault(); hideSuggestions(); target.blur(); setFocus(state.focus, true); return; }
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); submit(); }
      return;
    }
    if (inText || !state.task || $('task').hidden || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    switch (ev.key) {
      case 'y': case 'Y': ev.preventDefault(); answerFocused('yes'); break;
      case 'n': case 'N': ev.preventDefault(); answerFocused('no'); break;
      case 'u': case 'U': ev.preventDefault(); answerFocused('unsure'); break;
      case 'j': case 'ArrowDown': ev.preventDefault(); setFocus(state.focus + 1, true); break;
      case 'k': case 'ArrowUp': ev.preventDefault(); setFocus(state.focus - 1, true); break;
      case '/': ev.preventDefault(); $('free-text').focus(); break;
      case 'Enter':
        if (target && target.tagName === 'BUTTON') return; // the button's own activation
        ev.preventDefault();
        submit();
        break;
      default:
    }
  }

  // --- wiring ---------------------------------------------------------------------------------
  document.addEventListener('keydown', onKey);
  $('setup-form').addEventListener('submit', function (ev) { ev.preventDefault(); start($('annotator').value, $('campaign').value); });
  $('answer-form').addEventListener('submit', function (ev) { ev.preventDefault(); submit(); });
  $('retry').addEventListener('click', function () { clearError(); nextTask().catch(function (e) { showError(e.message); }); });
  $('free-text').addEventListener('input', scheduleSuggestions);
  $('free-text').addEventListener('blur', function () { setTimeout(hideSuggestions, 150); });

  (async function init() {
    var params = new URLSearchParams(window.location.search);
    var annotator = params.get('annotator');
    if (!annotator) { try { annotator = localStorage.getItem('caveat.annotator'); } catch (e) { annotator = null; } }
    if (annotator) $('annotator').value = annotator;
    await loadChoices();
    var campaign = params.get('campaign');
    if (campaign) {
      var select = $('campaign');
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === campaign; })) {
        var o = document.createElement('option');
        o.value = campaign;
        o.textContent = 'Campaign ' + campaign;
        select.appendChild(o);
      }
      select.value = campaign;
    }
    if (params.get('annotator') && campaign) await start(params.get('annotator'), campaign);
  })();
})();
`;
