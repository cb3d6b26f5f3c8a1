/*!
 * Essex SEND Local Offer chat widget. No dependencies.
 * Embed with one tag:
 *   <script src="/static/widget/local-offer-chat.js" data-server="https://rasa.example" defer></script>
 * Optional: data-teams="Mid Essex|0333 013 9949;North East Essex|0333 013 7667" (Essex's SEND Operations
 *   teams, one per quadrant: casework teams for EHC plans, not an urgent line), data-helpline="..." (one
 *   team's number, when the host page knows the family's area), data-timeout="15000" (ms).
 *   With neither, the widget points to send.essex.gov.uk rather than imply one county helpline.
 * Safety rule for this file: message content only ever reaches the page as text nodes or as
 * elements made with createElement; never through HTML parsing.
 */
(function () {
  'use strict';

  if (window.LocChat && window.LocChat.started) { return; }

  var MAX_LENGTH = 1000;
  var MAX_ENTRIES = 200;
  var STORE_KEY = 'loc-chat-state';
  var HUMAN_PAYLOAD = '/request_human';
  /* "Mid Essex|0333 013 9949;North East Essex|0333 013 7667" -> [{name, phone}], skipping broken parts. */
  function parseTeams(value) {
    return (value || '').split(';').map(function (part) {
      var bits = part.split('|');
      return { name: (bits[0] || '').trim(), phone: (bits[1] || '').trim() };
    }).filter(function (team) { return team.name && /[0-9]/.test(team.phone); });
  }

  var script = document.currentScript ||
    document.querySelector('script[src*="local-offer-chat.js"]');
  var config = {
    server: ((script && script.getAttribute('data-server')) || window.location.origin).replace(/\/+$/, ''),
    helpline: (script && script.getAttribute('data-helpline')) || '',
    teams: parseTeams(script && script.getAttribute('data-teams')),
    teamsUrl: 'https://send.essex.gov.uk/',
    timeout: parseInt((script && script.getAttribute('data-timeout')) || '15000', 10) || 15000
  };

  /* ---- Transport: one POST to Rasa's REST channel, with a timeout. ---- */
  var LocChatTransport = {
    send: function (server, sender, message, timeoutMs) {
      var controller = typeof AbortController === 'function' ? new AbortController() : null;
      var timer = null;
      var request = fetch(server + '/webhooks/rest/webhook', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sender: sender, message: message }),
        credentials: 'omit',
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (response.ok) { return response.json(); }
        // The REST channel answers a refusal (400, 413, 415, 429) with a kind reply in Rasa's shape: show it.
        var failed = new Error('HTTP ' + response.status);
        if (response.status < 400 || response.status >= 500) { throw failed; }
        return response.json().then(function (data) {
          if (Array.isArray(data) && data.length) { return data; }
          throw failed;
        }, function () { throw failed; });
      }).then(function (data) {
        if (!Array.isArray(data)) { throw new Error('Unexpected reply'); }
        return data;
      });
      var timeout = new Promise(function (resolve, reject) {
        timer = setTimeout(function () {
          if (controller) { controller.abort(); }
          reject(new Error('Timed out'));
        }, timeoutMs);
      });
      return Promise.race([request, timeout]).then(function (data) {
        clearTimeout(timer);
        return data;
      }, function (error) {
        clearTimeout(timer);
        throw error;
      });
    }
  };

  /* ---- Text: clean bot text and turn it into safe tokens, then DOM nodes. ---- */
  var LocChatText = {
    clean: function (value) {
      // Control characters and bidi overrides, keeping tab and newline.
      return String(value == null ? '' : value)
        .replace(/\r\n?/g, '\n')
        .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2066-\u2069]/g, '');
    },
    safeUrl: function (raw) {
      try {
        var url = new URL(raw);
        return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
      } catch (e) { return null; }
    },
    /* A UK phone number as the bot writes it ("0345 603 7627", "0800 1111", "116 123", "999", "111", "101"), or
       SHOUT's text number 85258; a family on a phone can then call or text with one tap. */
    phoneHref: function (number) {
      var digits = number.replace(/[^0-9]/g, '');
      return (digits === '85258' ? 'sms:' : 'tel:') + digits;
    },
    /* Returns [{type: 'text'|'bold'|'link'|'phone'|'break', text, href}]. */
    tokenize: function (value) {
      var text = LocChatText.clean(value);
      var pattern = /\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)|(https?:\/\/[^\s<>"')\]]+)|\*\*([^*\n]{1,500})\*\*|(\n)|(?<![\d£,.])(0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?123|85258|999|111|101)(?!\d)/g;
      var tokens = [];
      var last = 0;
      var match;
      function plain(s) { if (s) { tokens.push({ type: 'text', text: s }); } }
      while ((match = pattern.exec(text)) !== null) {
        plain(text.slice(last, match.index));
        last = pattern.lastIndex;
        if (match[1] !== undefined) {
          var href = LocChatText.safeUrl(match[2]);
          if (href) { tokens.push({ type: 'link', text: match[1], href: href }); } else { plain(match[1]); }
        } else if (match[3] !== undefined) {
          var bare = match[3];
          var trail = /[.,;:!?]+$/.exec(bare);
          if (trail) { bare = bare.slice(0, trail.index); last -= trail[0].length; pattern.lastIndex = last; }
          var safe = LocChatText.safeUrl(bare);
          if (safe) { tokens.push({ type: 'link', text: bare, href: safe }); } else { plain(bare); }
        } else if (match[4] !== undefined) {
          tokens.push({ type: 'bold', text: match[4] });
        } else if (match[6] !== undefined) {
          tokens.push({ type: 'phone', text: match[6], href: LocChatText.phoneHref(match[6]) });
        } else {
          tokens.push({ type: 'break' });
        }
      }
      plain(text.slice(last));
      return tokens;
    },
    render: function (parent, value) {
      LocChatText.tokenize(value).forEach(function (token) {
        if (token.type === 'text') {
          parent.appendChild(document.createTextNode(token.text));
        } else if (token.type === 'bold') {
          el('strong', null, token.text, parent);
        } else if (token.type === 'break') {
          el('br', null, null, parent);
        } else if (token.type === 'phone') {
          var call = el('a', 'loc-chat-link loc-chat-phone', token.text, parent);
          call.href = token.href;
        } else {
          var link = el('a', 'loc-chat-link', token.text + ' (opens in new tab)', parent);
          link.href = token.href;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
        }
      });
    }
  };

  function el(tag, className, text, parent) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  /* ---- Store: sender id and transcript in sessionStorage (memory if that is blocked). ---- */
  var memory = null;
  var LocChatStore = {
    load: function () {
      var state = memory;
      try { state = JSON.parse(window.sessionStorage.getItem(STORE_KEY)) || memory; } catch (e) { /* keep memory */ }
      if (!state || typeof state.sender !== 'string' || !Array.isArray(state.entries)) {
        state = { sender: newSenderId(), entries: [], open: false };
      }
      return state;
    },
    save: function (state) {
      state.entries = state.entries.slice(-MAX_ENTRIES);
      memory = state;
      try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* memory only */ }
    },
    clear: function () {
      memory = null;
      try { window.sessionStorage.removeItem(STORE_KEY); } catch (e) { /* nothing stored */ }
    }
  };

  function newSenderId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') { return c.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) { c.getRandomValues(bytes); } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  /* ---- UI ---- */
  var state = LocChatStore.load();
  var busy = false;
  var ui = {};

  function build() {
    var root = el('div', 'loc-chat-root');
    root.hidden = true;

    ui.launcher = el('button', 'loc-chat-launcher', 'Ask the SEND assistant', root);
    ui.launcher.type = 'button';
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.setAttribute('aria-controls', 'loc-chat-panel');

    var panel = ui.panel = el('section', 'loc-chat-panel', null, root);
    panel.id = 'loc-chat-panel';
    panel.setAttribute('aria-labelledby', 'loc-chat-title');
    panel.hidden = true;

    var header = el('div', 'loc-chat-header', null, panel);
    el('h2', 'loc-chat-title', 'SEND Local Offer assistant', header).id = 'loc-chat-title';
    ui.close = el('button', 'loc-chat-button loc-chat-button--secondary loc-chat-close', 'Close', header);
    ui.close.type = 'button';

    var notice = el('div', 'loc-chat-notice', null, panel);
    el('p', 'loc-chat-notice-text', 'This is an automated assistant, not a person. It can get things wrong. ' +
      'If a child is in danger now, call 999.', notice);
    teamNotice(notice);

    ui.log = el('div', 'loc-chat-log', null, panel);
    ui.log.setAttribute('role', 'log');
    ui.log.setAttribute('aria-live', 'polite');
    ui.log.setAttribute('aria-label', 'Conversation');
    ui.log.tabIndex = 0;

    ui.typing = el('p', 'loc-chat-typing', 'Assistant is typing', panel);
    ui.typing.setAttribute('aria-hidden', 'true');
    ui.typing.hidden = true;
    ui.status = el('div', 'loc-chat-visually-hidden', null, panel);
    ui.status.setAttribute('role', 'status');

    var form = ui.form = el('form', 'loc-chat-form', null, panel);
    form.noValidate = true;
    var label = el('label', 'loc-chat-label', 'Type your question', form);
    label.htmlFor = 'loc-chat-input';
    el('p', 'loc-chat-hint', 'Leave out names and other personal details, unless the assistant asks for them to arrange a call back.', form).id = 'loc-chat-hint';
    var row = el('div', 'loc-chat-row', null, form);
    ui.input = el('input', 'loc-chat-input', null, row);
    ui.input.id = 'loc-chat-input';
    ui.input.type = 'text';
    ui.input.autocomplete = 'off';
    ui.input.setAttribute('aria-describedby', 'loc-chat-hint loc-chat-note');
    var send = el('button', 'loc-chat-button', 'Send', row);
    send.type = 'submit';
    ui.note = el('p', 'loc-chat-note', null, form);
    ui.note.id = 'loc-chat-note';
    ui.note.setAttribute('aria-live', 'polite');

    var actions = el('div', 'loc-chat-actions', null, panel);
    ui.human = el('button', 'loc-chat-button loc-chat-button--secondary', 'Talk to a person', actions);
    ui.human.type = 'button';
    ui.clear = el('button', 'loc-chat-button loc-chat-button--secondary', 'Clear conversation', actions);
    ui.clear.type = 'button';

    ui.launcher.addEventListener('click', function () { setOpen(panel.hidden, true); });
    ui.close.addEventListener('click', function () { setOpen(false, true); });
    panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' || event.key === 'Esc') { event.preventDefault(); setOpen(false, true); }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submitTyped();
    });
    ui.human.addEventListener('click', function () { sendMessage(HUMAN_PAYLOAD, 'Talk to a person'); });
    ui.clear.addEventListener('click', clearConversation);
    ui.log.addEventListener('click', function (event) {
      var button = event.target.closest ? event.target.closest('.loc-chat-quick-reply') : null;
      if (!button || !ui.log.contains(button)) { return; }
      sendMessage(button.getAttribute('data-payload'), button.textContent);
    });
    return root;
  }

  function phoneLink(parent, number) {
    var link = el('a', 'loc-chat-link', number, parent);
    link.href = 'tel:' + number.replace(/[^0-9+]/g, '');
    return link;
  }

  /* "your SEND Operations team on 0333 ...", each quadrant's team by name, or the Local Offer site. */
  function teamLinks(parent) {
    if (config.helpline) {
      parent.appendChild(document.createTextNode('your SEND Operations team on '));
      phoneLink(parent, config.helpline);
    } else if (config.teams.length) {
      parent.appendChild(document.createTextNode('the SEND Operations team for your part of Essex: '));
      config.teams.forEach(function (team, index) {
        if (index) { parent.appendChild(document.createTextNode(', ')); }
        parent.appendChild(document.createTextNode(team.name + ' '));
        phoneLink(parent, team.phone);
      });
    } else {
      parent.appendChild(document.createTextNode('the SEND Operations team for your part of Essex, listed at '));
      var link = el('a', 'loc-chat-link', 'send.essex.gov.uk', parent);
      link.href = config.teamsUrl;
    }
  }

  function severalTeams() {
    return !config.helpline && config.teams.length > 0;
  }

  /* One team's number fits on a line; four do not (at 320 px they took a third of the screen), so several
     teams go in a disclosure: one line closed, every number a tap away, opened by keyboard like any button. */
  function teamsDisclosure(parent, summary) {
    var details = el('details', 'loc-chat-teams', null, parent);
    el('summary', 'loc-chat-teams-summary', summary, details);
    var list = el('ul', 'loc-chat-teams-list', null, details);
    config.teams.forEach(function (team) {
      var item = el('li', null, team.name + ' SEND Operations team: ', list);
      phoneLink(item, team.phone);
    });
    // Opened at the foot of the conversation, the numbers would be below the fold: bring them into view.
    details.addEventListener('toggle', function () {
      if (details.open && list.scrollIntoView) { list.scrollIntoView({ block: 'nearest' }); }
    });
    return details;
  }

  function teamNotice(notice) {
    if (!severalTeams()) {
      var line = el('p', 'loc-chat-notice-text', 'Questions about an EHC plan? Contact ', notice);
      teamLinks(line);
      line.appendChild(document.createTextNode('.'));
      return;
    }
    teamsDisclosure(notice, 'Questions about an EHC plan? Phone numbers for your area');
  }

  /* "Not working" is read when something has already gone wrong, often on a phone: two short sentences and
     999 as a link to call, then the teams' numbers as in the notice (one number inline, several behind one
     line that opens), never four numbers in one paragraph. */
  function errorMessage(item, text) {
    text.appendChild(document.createTextNode('Sorry, the assistant is not working right now. Please try again later' +
      (severalTeams() ? '. ' : ', or contact ')));
    if (!severalTeams()) {
      teamLinks(text);
      text.appendChild(document.createTextNode('. '));
    }
    text.appendChild(document.createTextNode('If a child is in danger now, call '));
    phoneLink(text, '999');
    text.appendChild(document.createTextNode('.'));
    if (severalTeams()) {
      teamsDisclosure(item, 'Phone numbers for the SEND team in your area');
    }
  }

  function setOpen(open, moveFocus) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    ui.launcher.parentNode.classList.toggle('loc-chat-root--open', open);
    if (!!state.open !== open) {
      state.open = open;
      LocChatStore.save(state);
    }
    if (!moveFocus) { return; }
    if (open) {
      ui.input.focus();
      scrollToEnd();
    } else {
      ui.launcher.focus();
    }
  }

  function renderAll() {
    ui.log.textContent = '';
    if (!state.entries.length) {
      var intro = el('div', 'loc-chat-msg loc-chat-msg--bot loc-chat-msg--intro', null, ui.log);
      el('span', 'loc-chat-who', 'Assistant', intro);
      el('p', 'loc-chat-text', 'Hello. Ask me about support for children and young people with special educational needs or disabilities in Essex, for example "What is an EHC plan?"', intro);
    }
    state.entries.forEach(renderEntry);
    scrollToEnd();
  }

  /* Buttons stay in the log after a click (see removeQuickReplies for the ones that do not). */
  function renderEntry(entry) {
    var intro = ui.log.querySelector('.loc-chat-msg--intro');
    if (intro) { ui.log.removeChild(intro); }
    var mine = entry.who === 'user';
    var item = el('div', 'loc-chat-msg ' + (mine ? 'loc-chat-msg--user' : 'loc-chat-msg--bot') +
      (entry.error ? ' loc-chat-msg--error' : ''), null, ui.log);
    el('span', 'loc-chat-who', mine ? 'You' : 'Assistant', item);
    var text = (entry.text || entry.error || mine) ? el('p', 'loc-chat-text', null, item) : null;
    if (!text) {
      /* an image or buttons only */
    } else if (entry.error) {
      errorMessage(item, text);
    } else if (mine) {
      text.textContent = LocChatText.clean(entry.text);
    } else {
      LocChatText.render(text, entry.text);
    }
    if (entry.image) {
      // Shown as a link, not loaded, so third-party images cannot track people.
      var p = el('p', 'loc-chat-text', null, item);
      var link = el('a', 'loc-chat-link', 'View image (opens in new tab)', p);
      link.href = entry.image;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
    if (entry.buttons && entry.buttons.length) {
      var group = el('div', 'loc-chat-quick-replies', null, item);
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', 'Suggested replies');
      entry.buttons.forEach(function (b) {
        var button = el('button', 'loc-chat-button loc-chat-button--secondary loc-chat-quick-reply', b.title, group);
        button.type = 'button';
        button.setAttribute('data-payload', b.payload);
      });
    }
  }

  /* A button that names what it asks for (a section of the article, a topic, a person, a service search) means
     the same whenever it is clicked, so it stays usable: a family can read "What happens" and then "Who can
     help" without scrolling back for buttons that vanished. A button that only answers the question just
     asked ("Yes", "No", an age band, words for the search form) would be misread later, so those go once the
     conversation moves on; the assistant asks again when it needs to. */
  var ANSWER_PAYLOAD = /^\/(affirm|deny|inform)(\{|$)/;

  function standsAlone(buttons) {
    return buttons.every(function (b) { return b.payload.charAt(0) === '/' && !ANSWER_PAYLOAD.test(b.payload); });
  }

  function removeQuickReplies() {
    var groups = ui.log.querySelectorAll('.loc-chat-quick-replies');
    Array.prototype.forEach.call(groups, function (group) {
      var buttons = Array.prototype.map.call(group.querySelectorAll('.loc-chat-quick-reply'), function (b) {
        return { payload: b.getAttribute('data-payload') || '' };
      });
      if (!standsAlone(buttons)) { group.parentNode.removeChild(group); }
    });
    state.entries.forEach(function (entry) {
      if (entry.buttons && !standsAlone(entry.buttons)) { delete entry.buttons; }
    });
  }

  function addEntry(entry) {
    state.entries.push(entry);
    LocChatStore.save(state);
    renderEntry(entry);
    scrollToEnd();
  }

  function scrollToEnd() { ui.log.scrollTop = ui.log.scrollHeight; }

  function toEntry(message) {
    var entry = { who: 'bot', text: '' };
    if (!message || typeof message !== 'object') { return null; }
    if (typeof message.text === 'string') { entry.text = message.text; }
    if (typeof message.image === 'string') { entry.image = LocChatText.safeUrl(message.image) || undefined; }
    if (Array.isArray(message.buttons)) {
      entry.buttons = message.buttons.filter(function (b) {
        return b && typeof b.title === 'string' && typeof b.payload === 'string' && b.title.trim();
      }).slice(0, 10).map(function (b) {
        return { title: LocChatText.clean(b.title).slice(0, 200), payload: b.payload.slice(0, MAX_LENGTH) };
      });
    }
    return (entry.text || entry.image || (entry.buttons && entry.buttons.length)) ? entry : null;
  }

  function submitTyped() {
    var text = LocChatText.clean(ui.input.value).trim();
    if (!text) {
      showNote('Please type a question first.');
      return;
    }
    if (text.length > MAX_LENGTH) {
      showNote('Your message is ' + text.length + ' characters long. Please keep it to 1,000 characters or fewer, ' +
        'or send it in shorter parts.');
      return;
    }
    if (sendMessage(text, text)) { ui.input.value = ''; }
  }

  function showNote(text) { ui.note.textContent = text; }

  function sendMessage(payload, shown) {
    if (busy) {
      showNote('Please wait for the assistant to reply.');
      ui.input.focus();
      return false;
    }
    showNote('');
    removeQuickReplies();
    addEntry({ who: 'user', text: shown });
    ui.input.focus();
    setBusy(true);
    LocChatTransport.send(config.server, state.sender, payload, config.timeout).then(function (messages) {
      var entries = messages.map(toEntry).filter(Boolean);
      if (!entries.length) {
        entries = [{ who: 'bot', text: 'Sorry, I do not have an answer to that. You could ask in a different way, or choose "Talk to a person".' }];
      }
      setBusy(false);
      entries.forEach(addEntry);
    }, function () {
      setBusy(false);
      addEntry({ who: 'bot', error: true });
    });
    return true;
  }

  function setBusy(value) {
    busy = value;
    ui.typing.hidden = !value;
    ui.status.textContent = value ? 'Assistant is typing' : '';
  }

  function clearConversation() {
    LocChatStore.clear();
    state = { sender: newSenderId(), entries: [], open: true };
    LocChatStore.save(state);
    showNote('');
    renderAll();
    ui.status.textContent = 'Conversation cleared';
    ui.input.focus();
  }

  function loadStyles(done) {
    var href = script && script.src ? script.src.replace(/\.js(\?.*)?$/, '.css$1') : '';
    if (!href) { done(); return; }
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    var finished = false;
    function once() { if (!finished) { finished = true; done(); } }
    link.addEventListener('load', once);
    link.addEventListener('error', once);
    setTimeout(once, 3000);
    document.head.appendChild(link);
  }

  function start() {
    var root = build();
    document.body.appendChild(root);
    renderAll();
    setOpen(!!state.open, false);
    loadStyles(function () { root.hidden = false; scrollToEnd(); });
  }

  window.LocChat = { started: true, transport: LocChatTransport, text: LocChatText, config: config };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
