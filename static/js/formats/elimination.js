/* Rung chuông vàng (format `elimination`): the board's floor, the player's
 * phone and the MC's panel. Registered as window.QuizFormats.elimination;
 * board.js and mc.js hand it the view when the round's format is this one.
 *
 * The floor is one tile per player (its number): on the floor, rescued, or
 * out (with the question it left at). Tiles that leave at the reveal fall
 * away (a CSS transition; none with prefers-reduced-motion).
 */
(function () {
  'use strict';

  const Q = window.Quiz;
  const { el, fill, setText } = Q;

  function qLabel(v) {
    const q = v.question;
    const f = v.floor || {};
    if (!q) return '';
    return f.rescue_question ? Q.t('Câu hỏi cứu trợ') : Q.questionLabel(q);
  }

  function keyText(v) {
    return v.reveal ? Q.keyText(v.question, v.reveal) : '';
  }

  function names(list) {
    return (list || []).map((p) => Q.t('SBD {n} — {name}', { n: p.number, name: p.name })).join(', ');
  }

  /** The line under the question: counts while it runs, what happened after it. */
  function floorLine(v) {
    const f = v.floor;
    if (!f) return '';
    if (f.bell && f.bell.length) return Q.t('RUNG CHUÔNG VÀNG! {players}', { players: names(f.bell) });
    if (f.over === 'winner' && f.winners.length) return Q.t('Thí sinh chiến thắng: {players}', { players: names(f.winners) });
    if (f.over === 'all_out') return Q.t('Tất cả thí sinh trên sàn đều trả lời sai — phần thi kết thúc');
    if (v.phase === 'shown' || v.phase === 'open' || v.phase === 'closed') {
      const fields = { n: f.answered, of: f.eligible };
      return f.rescue_question ? Q.t('Đã trả lời: {n}/{of} thí sinh đã rời sàn', fields)
        : Q.t('Đã trả lời: {n}/{of} thí sinh trên sàn', fields);
    }
    if (v.phase === 'revealed') {
      if (f.rescue_question) return Q.t('Được cứu trợ: {back} · Còn trên sàn: {on}', { back: f.back || 0, on: f.on });
      if (f.restored) return Q.t('Tất cả trả lời sai — tất cả được ở lại sàn · Còn trên sàn: {on}', { on: f.on });
      return Q.t('Rời sàn: {left} · Còn trên sàn: {on}/{total}', { left: f.left || 0, on: f.on, total: f.total });
    }
    return Q.t('Còn trên sàn: {on}/{total}', { on: f.on, total: f.total });
  }

  /* ---------- the board ---------- */

  function boardParts(root) {
    if (root._elim) return root._elim;
    const p = {
      label: el('span', { class: 'e-top__label' }),
      line: el('span', { class: 'e-top__line', role: 'status' }),
      digits: el('span', { class: 'e-clock__digits' }),
      clockLabel: el('span', { class: 'e-clock__label' }),
      text: el('p', { class: 'e-q__text' }),
      opts: el('div', { class: 'e-q__opts' }),
      key: el('p', { class: 'e-q__key' }),
      grid: el('div', { class: 'e-floor__grid' }),
      tiles: {},
      status: {},
    };
    p.clock = el('div', { class: 'e-clock', dataset: { state: 'none' } }, p.digits, p.clockLabel);
    p.floor = el('div', { class: 'e-floor' }, p.grid);
    fill(root,
      el('div', { class: 'e-top' }, p.label, p.line, p.clock),
      el('div', { class: 'e-q' }, p.text, p.opts, p.key),
      p.floor);
    p.countdown = new Q.Countdown(p.clock, { digits: p.digits, label: p.clockLabel });
    root._elim = p;
    return p;
  }

  /** Columns that make the largest square-ish tiles for n tiles in w x h. */
  function bestColumns(n, w, h) {
    let best = 1;
    let size = 0;
    for (let c = 1; c <= n; c++) {
      const rows = Math.ceil(n / c);
      const s = Math.min(w / c, (h / rows) * 1.6);
      if (s > size) { size = s; best = c; }
    }
    return best;
  }

  function drawTiles(p, f, v) {
    const tiles = f.tiles || [];
    const revealedHere = v.phase === 'revealed' && f.revealed && !f.rescue_question;
    const seen = {};
    let changed = false;
    tiles.forEach((t) => {
      seen[t.n] = true;
      let node = p.tiles[t.n];
      if (!node) {
        node = el('span', { class: 'e-tile' }, el('span', { class: 'e-tile__n', text: t.n }),
          el('span', { class: 'e-tile__q' }));
        p.tiles[t.n] = node;
        p.grid.appendChild(node);
        changed = true;
      }
      const was = p.status[t.n];
      const now = t.s + '|' + (t.q || '');
      if (was === now) return;
      node.dataset.s = t.s;
      setText(node.lastChild, t.s === 'out' && t.q ? `C${t.q}` : '');
      node.title = t.s === 'out' ? Q.t('Rời sàn ở câu {n}', { n: t.q }) : t.s === 'back' ? Q.t('Được cứu trợ') : Q.t('Trên sàn');
      // Only a tile that leaves at this very reveal falls; the others just are out.
      const falling = was && was.indexOf('out') !== 0 && t.s === 'out' && revealedHere
        && t.q === f.question_number;
      node.classList.toggle('is-falling', !!falling);
      p.status[t.n] = now;
    });
    Object.keys(p.tiles).forEach((n) => {
      if (!seen[n]) { p.tiles[n].remove(); delete p.tiles[n]; delete p.status[n]; changed = true; }
    });
    const key = tiles.length + '|' + p.floor.clientWidth + 'x' + p.floor.clientHeight;
    if (changed || p.layout !== key) {
      p.layout = key;
      const w = p.floor.clientWidth;
      const h = p.floor.clientHeight;
      const cols = bestColumns(Math.max(1, tiles.length), w, h);
      const rows = Math.ceil(Math.max(1, tiles.length) / cols);
      const tileH = Math.max(8, Math.floor(h / rows) - 3);
      const tileW = Math.floor(w / cols) - 3;
      p.grid.style.setProperty('--cols', cols);
      p.grid.style.setProperty('--tile-h', tileH + 'px');
      p.grid.style.setProperty('--tile-font', Math.max(9, Math.min(tileH * 0.52, tileW * 0.3)) + 'px');
    }
  }

  function drawBoard(v, root) {
    const p = boardParts(root);
    const q = v.question;
    const f = v.floor || { tiles: [] };
    setText(p.label, qLabel(v));
    setText(p.line, floorLine(v));
    p.line.dataset.tone = (f.bell && f.bell.length) ? 'bell' : f.over ? 'end' : '';
    if (v.clock) p.countdown.set(v.clock);
    else if (v.phase === 'closed') {
      p.countdown.set({ kind: 'answer', running: true, limit_ms: 1, remaining_ms: 0, deadline: 0 });
    } else p.countdown.set(null);
    setText(p.text, q ? q.text : '');
    const opts = q && q.choices && q.choices.length ? q.choices
      : q && q.type === 'true_false' ? [{ key: true, text: Q.t('Phương án Đúng') }, { key: false, text: Q.t('Phương án Sai') }] : [];
    const sig = JSON.stringify([q && q.id, opts, v.reveal && v.reveal.key]);
    if (p.optsSig !== sig) {
      p.optsSig = sig;
      fill(p.opts, opts.map((o) => {
        const right = v.reveal && v.reveal.key === o.key;
        return el('span', { class: 'e-opt' + (right ? ' is-key' : '') },
          typeof o.key === 'string' ? el('b', { text: o.key + '. ' }) : null, o.text);
      }));
    }
    setText(p.key, v.reveal ? Q.t('Đáp án: {answer}', { answer: keyText(v) }) : '');
    p.key.hidden = !v.reveal;
    drawTiles(p, f, v);
  }

  /* ---------- the phone ---------- */

  function phoneParts(root) {
    if (root._elim) return root._elim;
    const p = {
      number: el('p', { class: 'p-me__number' }),
      name: el('p', { class: 'p-me__name' }),
      status: el('p', { class: 'p-status', role: 'status', 'aria-live': 'polite' }),
      label: el('span', { class: 'p-bar__label' }),
      digits: el('span', { class: 'p-clock__digits' }),
      clockLabel: el('span', { class: 'p-clock__label' }),
      text: el('p', { class: 'p-q__text' }),
      inputs: el('div', { class: 'p-inputs' }),
      sendBtn: el('button', { type: 'button', class: 'btn p-send', text: Q.t('Gửi đáp án') }),
      note: el('p', { class: 'p-note', role: 'status', 'aria-live': 'polite' }),
      key: el('p', { class: 'p-key' }),
      draft: null,
      qid: null,
      sending: null,
      sent: null,
    };
    p.clock = el('div', { class: 'p-clock', dataset: { state: 'none' } }, p.digits, p.clockLabel);
    p.bar = el('div', { class: 'p-bar' }, p.label, p.clock);
    p.qbox = el('div', { class: 'p-q' }, p.text);
    p.answer = el('div', { class: 'p-answer' }, p.inputs, p.sendBtn);
    fill(root,
      el('div', { class: 'p-me' }, p.number, p.name),
      p.status, p.bar, p.qbox, p.answer, p.note, p.key);
    p.countdown = new Q.Countdown(p.clock, { digits: p.digits, label: p.clockLabel });
    root._elim = p;
    return p;
  }

  function statusText(v) {
    const me = v;
    if (me.status === 'out') return Q.t('Bạn đã rời sàn thi đấu ở câu {n}', { n: me.out_at });
    if (me.status === 'back') return Q.t('Bạn vẫn trên sàn thi đấu (được cứu trợ)');
    if (me.status === 'on') return Q.t('Bạn vẫn trên sàn thi đấu');
    return '';
  }

  function buildInputs(p, q, send, v) {
    p.draft = null;
    const buttons = [];
    function choose(value, node) {
      p.draft = value;
      buttons.forEach((b) => b.setAttribute('aria-pressed', b === node ? 'true' : 'false'));
      p.sendBtn.disabled = false;
    }
    let options = [];
    if (q.type === 'single') options = q.choices.map((c) => [c.key, `${c.key}. ${c.text}`]);
    if (q.type === 'true_false') options = [[true, Q.t('Phương án Đúng')], [false, Q.t('Phương án Sai')]];
    if (options.length) {
      fill(p.inputs, options.map((o) => {
        const b = el('button', { type: 'button', class: 'p-choice', 'aria-pressed': 'false', text: o[1] });
        b.addEventListener('click', () => choose(o[0], b));
        buttons.push(b);
        return b;
      }));
    } else {
      const input = el('input', {
        class: 'p-input', type: 'text', inputmode: q.type === 'number' ? 'decimal' : 'text',
        placeholder: q.type === 'number' ? Q.t('Nhập một số') : Q.t('Nhập câu trả lời'), maxlength: '200',
        'aria-label': Q.t('Câu trả lời'),
      });
      input.addEventListener('input', () => {
        const text = input.value.trim();
        p.draft = text ? (q.type === 'number' ? text.replace(',', '.') : text) : null;
        p.sendBtn.disabled = p.draft === null;
      });
      fill(p.inputs, input, q.unit ? el('span', { class: 'p-unit', text: q.unit }) : null);
    }
    p.sendBtn.disabled = true;
    p.sendBtn.onclick = () => {
      if (p.draft === null || p.sending) return;
      let value = p.draft;
      if (q.type === 'number') {
        value = Number(value);
        if (!isFinite(value)) { setText(p.note, Q.t('Hãy nhập một số')); return; }
      }
      const id = p.sending ? p.sending.id : Q.nonce();
      p.sending = { id };
      p.sendBtn.disabled = true;
      setText(p.note, Q.t('Đang gửi...'));
      send({ question: q.id, value, press: Q.serverNow(), id }, (ack) => {
        p.sending = null;
        if (ack && ack.ok) {
          p.sent = { qid: q.id, display: ack.answer ? ack.answer.display : String(value) };
        } else {
          p.sendBtn.disabled = false;
          setText(p.note, (ack && ack.message) || Q.t('Chưa gửi được — hãy thử lại'));
          return;
        }
        drawPhone(p.lastView, p.root, send);
      });
    };
  }

  /** Answering opens at one server instant for every phone (`opens_at`,
   * docs/protocol.md "Opening time"): until then the phone waits, and redraws then. */
  function beforeOpening(p, v, root, send) {
    const at = v.clock && v.clock.opens_at;
    const wait = typeof at === 'number' ? at - Q.serverNow() : 0;
    if (p.openTimer) clearTimeout(p.openTimer);
    p.openTimer = null;
    if (wait <= 0) return false;
    p.openTimer = setTimeout(() => {
      p.openTimer = null;
      if (p.lastView === v) drawPhone(v, root, send);
    }, wait);
    return true;
  }

  function drawPhone(v, root, send) {
    const p = phoneParts(root);
    p.lastView = v;
    p.root = root;
    const me = v.me || {};
    setText(p.number, me.number ? Q.t('SBD {n}', { n: me.number }) : '');
    setText(p.name, [me.name, me.unit].filter(Boolean).join(' · '));
    const q = v.question;
    const f = v.floor || null;
    const ours = v.round && v.round.format === 'elimination';
    root.dataset.status = v.status || 'none';
    setText(p.status, ours ? statusText(v) : '');
    p.status.hidden = !ours || !v.status;
    p.bar.hidden = !q;
    p.qbox.hidden = !q;
    if (!q) {
      p.answer.hidden = true;
      p.key.hidden = true;
      p.countdown.set(null);
      const waiting = v.phase === 'finished' ? Q.t('Hội thi đã kết thúc') : Q.t('Chờ câu hỏi...');
      setText(p.note, f && f.over ? floorLine(v) : waiting);
      return;
    }
    setText(p.label, qLabel(v));
    setText(p.text, q.text);
    if (v.clock) p.countdown.set(v.clock);
    else if (v.phase === 'closed') {
      p.countdown.set({ kind: 'answer', running: true, limit_ms: 1, remaining_ms: 0, deadline: 0 });
    } else p.countdown.set(null);
    if (p.qid !== q.id) {
      p.qid = q.id;
      p.sent = null;
      p.sending = null;
      buildInputs(p, q, send, v);
    }
    const mine = v.my_answer || (p.sent && p.sent.qid === q.id ? p.sent : null);
    const early = v.phase === 'open' && beforeOpening(p, v, root, send);
    const canAnswer = !!v.may_answer && v.phase === 'open' && !mine && !early;
    p.answer.hidden = !canAnswer;
    let note = '';
    if (mine) note = Q.t('Đã ghi nhận: {answer}', { answer: mine.display });
    else if ((v.phase === 'shown' || early) && v.may_answer) note = Q.t('Chuẩn bị — chờ bắt đầu tính giờ');
    else if (!v.may_answer && v.status === 'out' && v.phase !== 'revealed') note = Q.t('Bạn đang theo dõi câu hỏi');
    else if (!v.may_answer && f && f.rescue_question && v.phase !== 'revealed') note = Q.t('Câu hỏi cứu trợ dành cho thí sinh đã rời sàn');
    else if (v.phase === 'closed' && v.may_answer) note = Q.t('Hết giờ — bạn chưa trả lời');
    if (v.phase === 'revealed' && f && (f.over || (f.bell && f.bell.length))) note = floorLine(v);
    setText(p.note, note);
    p.note.dataset.tone = mine ? 'ok' : '';
    const key = keyText(v);
    p.key.hidden = !key;
    let verdict = '';
    if (v.result) verdict = ' — ' + (v.result.correct ? Q.t('Bạn trả lời đúng') : Q.t('Bạn trả lời sai'));
    setText(p.key, key ? Q.t('Đáp án: {answer}', { answer: key }) + verdict : '');
  }

  /* ---------- the MC ---------- */

  const STATUS_WORDS = { on: Q.t('Trên sàn'), back: Q.t('Được cứu trợ'), out: Q.t('Rời sàn') };
  const MODE_WORDS = { all: Q.t('Cứu trợ tất cả'), question: Q.t('Câu hỏi cứu trợ'), pick: Q.t('Chọn thí sinh') };

  function drawMc(v, root, command) {
    const f = v.floor || {};
    const r = v.rescue || {};
    const players = v.players || [];
    const missing = v.players_missing || [];
    const counts = el('p', { class: 'e-mc__counts' },
      [Q.t('Trên sàn: {n}/{of}', { n: f.on || 0, of: f.total || players.length }), Q.t('Rời sàn: {n}', { n: f.out || 0 })]
        .concat(v.phase === 'open' || v.phase === 'closed' ? [Q.t('Đã trả lời: {n}/{of}', { n: f.answered, of: f.eligible })] : [])
        .concat([Q.t('Đã vào thi: {n}/{of}', { n: v.players_joined || 0, of: players.length })]).join(' · '));
    const rules = el('p', { class: 'e-mc__rules' },
      Q.t('Cứu trợ: đã dùng {used}/{max} lượt; chỉ khi trên sàn còn dưới {below} thí sinh',
        { used: r.used || 0, max: r.max || 0, below: r.when_below })
      + (r.modes && r.modes.indexOf('question') >= 0 ? '; ' + Q.t('còn {n} câu hỏi cứu trợ', { n: r.questions_left }) : ''));
    const why = el('p', { class: 'e-mc__why', text: r.allowed ? '' : r.why || '' });
    const buttons = (r.modes || []).map((mode) => {
      const b = el('button', { type: 'button', class: 'btn btn--warn e-mc__rescue', text: MODE_WORDS[mode] || mode });
      b.disabled = !r.allowed;
      b.addEventListener('click', () => {
        if (mode === 'pick') {
          const list = window.prompt(Q.t('Số báo danh được cứu trợ (cách nhau bởi dấu phẩy):'), '');
          if (!list) return;
          const reason = window.prompt(Q.t('Lý do (bắt buộc):'), '');
          if (!reason) return;
          command({ name: 'rescue', mode, players: list.split(/[\s,;]+/).filter(Boolean), reason });
        } else if (window.confirm(`${MODE_WORDS[mode]}?`)) {
          command({ name: 'rescue', mode });
        }
      });
      return b;
    });
    const rows = players.map((p) => {
      const back = el('button', { type: 'button', class: 'btn btn--grey e-mc__act', text: Q.t('Đưa trở lại') });
      back.hidden = p.status !== 'out';
      back.addEventListener('click', () => {
        const reason = window.prompt(Q.t('Đưa SBD {n} trở lại sàn — lý do:', { n: p.number }), '');
        if (reason) command({ name: 'reinstate', player: p.number, reason });
      });
      const set = el('button', { type: 'button', class: 'btn btn--grey e-mc__act', text: Q.t('Nhập đáp án') });
      set.hidden = !v.question;
      set.addEventListener('click', () => {
        const value = window.prompt(Q.t('Đáp án của SBD {n} cho câu này (điện thoại hỏng):', { n: p.number }), '');
        if (value === null || value === '') return;
        const reason = window.prompt(Q.t('Lý do (bắt buộc):'), Q.t('Điện thoại hỏng'));
        if (!reason) return;
        const q = v.question;
        let sent = value.trim();
        if (q.type === 'true_false') sent = /^(đ|d|true)/i.test(sent);
        else if (q.type === 'number') sent = Number(sent.replace(',', '.'));
        else if (q.type === 'single') sent = sent.toUpperCase();
        command({ name: 'set_player_answer', question: q.id, player: p.number, value: sent, reason });
      });
      const mark = p.correct === true ? '✓' : p.correct === false ? '✗' : '';
      return el('tr', { class: 'e-mc__row', dataset: { s: p.status } },
        el('td', { class: 'e-mc__n', text: p.number }),
        el('td', { text: p.name }),
        el('td', { text: STATUS_WORDS[p.status] + (p.status === 'out' ? ' ' + Q.t('(câu {n})', { n: p.out_at }) : '') }),
        el('td', { text: p.answer ? `${p.answer} ${mark}` : '' }),
        el('td', { text: String(p.rank) }),
        el('td', {}, back, set));
    });
    fill(root,
      el('div', { class: 'e-mc__head' }, el('h2', { text: Q.t('Rung chuông vàng') }), counts),
      el('p', { class: 'e-mc__line', text: floorLine(v) }),
      el('div', { class: 'e-mc__rescue-box' }, rules, why, el('div', { class: 'e-mc__buttons' }, buttons)),
      missing.length ? el('details', { class: 'e-mc__missing' },
        el('summary', { text: Q.t('Chưa vào thi: {n} thí sinh', { n: missing.length }) }),
        el('p', { text: missing.map((m) => `${m.number} ${m.name}`).join(' · ') })) : null,
      el('div', { class: 'e-mc__table-box' },
        el('table', { class: 'e-mc__table' },
          el('thead', {}, el('tr', {}, ...[Q.t('SBD'), Q.t('Họ và tên'), Q.t('Trạng thái'), Q.t('Đáp án'), Q.t('Hạng'), ''].map((h) => el('th', { text: h })))),
          el('tbody', {}, rows))));
  }

  window.QuizFormats = window.QuizFormats || {};
  window.QuizFormats.elimination = { board: drawBoard, player: drawPhone, mc: drawMc, team: drawPhone, replacesQuestion: true };
})();
