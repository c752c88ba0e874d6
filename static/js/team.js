/* A team tablet (Màn hình đội thi).
 *
 * Joins with the team's code (from /t/<code>, localStorage, or the form),
 * shows the question and the countdown, and sends the team's answer or buzz.
 * An answer counts as received ONLY when the server's ack says
 * `ok && received` (or a later view carries it as `my_answer`).
 */
(function () {
  'use strict';

  const { el, fill, setText, $ } = Quiz;
  const STORE_KEY = 'quiz.team.code';
  const RETRY_AFTER_MS = 4000;

  const ui = {
    offline: $('#offline'),
    teamLine: $('#team-line'),
    teamName: $('#team-name'),
    teamScore: $('#team-score'),
    conn: $('#conn'),
    join: $('#join'),
    joinForm: $('#join-form'),
    joinCode: $('#join-code'),
    joinError: $('#join-error'),
    play: $('#play'),
    qLabel: $('#q-label'),
    roundTitle: $('#round-title'),
    message: $('#message'),
    qBox: $('#q-box'),
    qText: $('#q-text'),
    result: $('#result'),
    buzzBtn: $('#buzz-btn'),
    answer: $('#answer'),
    answerHint: $('#answer-hint'),
    inputs: $('#answer-inputs'),
    sendStatus: $('#send-status'),
    unsent: $('#unsent'),
    sendBtn: $('#send-btn'),
    switchTeam: $('#switch-team'),
    wait: $('#wait'),
    waitText: $('#wait-text'),
    waitId: $('#wait-id'),
    practice: $('#practice'),
    practiceText: $('#practice-text'),
    practiceChoices: $('#practice-choices'),
    practiceStatus: $('#practice-status'),
  };

  const countdown = new Quiz.Countdown($('#clock'), {
    digits: $('#clock-digits'),
    label: $('#clock-label'),
    onTick: onClockTick,
  });

  const state = {
    socket: null,
    code: '',
    view: null,
    qid: null,        // the question the draft belongs to
    draft: null,      // the answer being composed (shape depends on the type)
    received: null,   // the answer the server holds: {key, nonce, display}
    pending: null,    // an answer sent and not yet received: {key, nonce, at, status: sending|error, message}
    widget: null,     // the input widget for the current question
    buzz: null,       // local buzz feedback: {status: pressing|error, message}
    retryTimer: null,
    openTimer: null,  // redraws at the opening time (opens_at)
    tick: '',         // the countdown's stage last drawn: run | last5 | up
  };

  /** Redraw when the countdown enters its last 5 s or runs out (locally, before the server says so). */
  function onClockTick(ms, clock) {
    const stage = !clock || ms === null ? '' : ms <= 0 ? 'up' : ms <= 5000 ? 'last5' : 'run';
    if (stage === state.tick) return;
    state.tick = stage;
    if (state.view && state.view.question) render();
  }

  /* ---------- joining ---------- */

  function normaliseCode(text) {
    return String(text || '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);
  }

  function showJoin(error) {
    ui.join.hidden = false;
    ui.play.hidden = true;
    ui.teamLine.hidden = true;
    ui.switchTeam.hidden = true;
    setText(ui.teamScore, '');
    ui.joinError.hidden = !error;
    setText(ui.joinError, error || '');
    if (state.code && !ui.joinCode.value) ui.joinCode.value = state.code;
    ui.joinCode.focus();
  }

  function join(code) {
    state.code = code;
    if (state.socket) state.socket.disconnect();
    state.view = null;
    ui.join.hidden = true;
    ui.play.hidden = false;
    setText(ui.message, Quiz.t('Đang kết nối...'));
    state.socket = Quiz.connect({ role: 'team', code, device: Quiz.deviceId() }, {
      indicator: ui.conn,
      onStatus: showConnection,
      onRefused(err) {
        if (state.socket) state.socket.disconnect();
        state.socket = null;
        Quiz.store.remove(STORE_KEY);
        showConnection('refused');
        showJoin(err.code === 'bad_code'
          ? (err.message || Quiz.t('Mã tham gia không đúng')) + ': ' + code
          : err.message || Quiz.t('Không vào được phòng thi'));
      },
      onConnect() {
        Quiz.store.set(STORE_KEY, code);
        // Make a reload rejoin, whether the code came from the form or the QR link.
        const path = '/t/' + encodeURIComponent(code);
        if (location.pathname !== path) history.replaceState(null, '', Quiz.withLang(path)); // keeps ?lang=
      },
      onState(view) {
        const F = window.QuizFormats && view.round && window.QuizFormats[view.round.format]; // static/js/formats/
        state.view = F && F.adapt ? F.adapt(view) : view;
        render();
      },
    });
    const socket = state.socket;
    Quiz.reportDevice(socket); // the MC's readiness grid
    // One device per team (docs/protocol.md "Devices"): this one may have to wait.
    socket.on('device_wait', (data) => showWaiting(data || {}));
    socket.on('device_replaced', (data) => leave(socket, (data && data.message) || ''));
    socket.on('device_refused', (data) => leave(socket, (data && data.message) || ''));
  }

  /** Another device holds the team: wait here until the MC approves (or refuses) this one. */
  function showWaiting(data) {
    ui.join.hidden = true;
    ui.play.hidden = true;
    ui.wait.hidden = false;
    ui.teamLine.hidden = false;
    ui.switchTeam.hidden = false;
    setText(ui.teamName, data.team ? data.team.name : '');
    setText(ui.waitText, data.message || Quiz.t('Thiết bị này đang chờ người dẫn chương trình (MC) duyệt.'));
    setText(ui.waitId, data.id ? Quiz.t('Mã thiết bị chờ: {id}', { id: data.id }) : '');
    document.title = Quiz.t('Chờ duyệt thiết bị — Màn hình đội thi');
  }

  /** The MC moved the team to another device, or refused this one: back to the join page. */
  function leave(socket, message) {
    socket.disconnect();
    if (state.socket === socket) state.socket = null;
    Quiz.store.remove(STORE_KEY);
    history.replaceState(null, '', Quiz.withLang('/team'));
    state.view = null;
    ui.wait.hidden = true;
    showConnection('refused');
    Quiz.showStatus(ui.conn, 'refused');
    showJoin(message);
  }

  ui.joinCode.addEventListener('input', () => {
    const pos = ui.joinCode.selectionStart;
    ui.joinCode.value = normaliseCode(ui.joinCode.value);
    try { ui.joinCode.setSelectionRange(pos, pos); } catch (e) { /* ignore */ }
  });

  ui.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = normaliseCode(ui.joinCode.value);
    if (code.length !== 6) {
      ui.joinError.hidden = false;
      setText(ui.joinError, Quiz.t('Mã tham gia gồm đúng 6 ký tự'));
      return;
    }
    join(code);
  });

  ui.switchTeam.addEventListener('click', () => {
    if (!window.confirm(Quiz.t('Rời đội này và nhập mã tham gia khác?'))) return;
    if (state.socket) state.socket.disconnect();
    state.socket = null;
    Quiz.store.remove(STORE_KEY);
    state.code = '';
    ui.joinCode.value = '';
    history.replaceState(null, '', Quiz.withLang('/team'));
    showConnection('refused');
    Quiz.showStatus(ui.conn, 'refused');
    showJoin('');
  });

  /* ---------- connection banner ---------- */

  function showConnection(status) {
    const bad = status === 'offline' || status === 'reconnecting';
    ui.offline.hidden = !bad || !state.socket;
    ui.offline.dataset.status = status;
    setText(ui.offline, status === 'offline'
      ? Quiz.t('Mất kết nối — kiểm tra Wi-Fi. Máy sẽ tự kết nối lại.')
      : Quiz.t('Đang kết nối lại...'));
    document.body.dataset.conn = status;
  }

  /* ---------- rendering ---------- */

  const notices = Quiz.mountNotices({ mine: true }); // score changes (record.js)

  function render() {
    const v = state.view;
    if (!v) return;
    const q = v.question;

    // A new question: start a fresh draft.
    const qid = q ? q.id : null;
    if (qid !== state.qid) {
      state.qid = qid;
      state.draft = null;
      state.received = null;
      state.pending = null;
      state.buzz = null;
      state.widget = null;
    }
    adoptServerAnswer(v);

    ui.wait.hidden = true;
    ui.play.hidden = false;
    ui.teamLine.hidden = false;
    ui.switchTeam.hidden = false;
    setText(ui.teamName, v.me ? v.me.name : '');
    if (v.me) {
      // No rank before any point is scored (me.rank is null then).
      const rank = v.me.rank === null || v.me.rank === undefined ? '' : ' · ' + Quiz.t('Hạng {rank}', { rank: v.me.rank });
      setText(ui.teamScore, Quiz.t('Tổng điểm: {total}', { total: Quiz.formatNumber(v.me.total) }) + rank);
    }
    document.title = (v.me ? v.me.name + ' — ' : '') + Quiz.t('Màn hình đội thi');

    setText(ui.qLabel, q ? Quiz.questionLabel(q) : '');
    setText(ui.roundTitle, v.round ? v.round.title : '');
    countdown.set(v.clock);

    ui.play.dataset.phase = v.phase;
    ui.play.dataset.format = v.round ? v.round.format : '';
    ui.play.dataset.type = q ? q.type : '';
    renderQuestion(v);
    renderMessage(v);
    renderFormat(v);
    Quiz.renderTeamBuzz(v); // every press, verdicts and points (record.js)
    Quiz.renderTeamPrize(v); // its prize at the ceremony (ceremony.js)
    if (Quiz.renderTeamAppeal) Quiz.renderTeamAppeal(v, state.socket); // appeals (appeal.js)
    renderAnswer(v);
    renderResult(v);
    renderPractice(v);
    notices.update(v);
    const own = ownFormat(v); // static/js/formats/
    const drawn = !!(own && own.team && !own.part); // all and buzzer draw their parts in place
    const replaces = drawn && !!own.replacesQuestion; // its part stands for the question
    const part = $(replaces ? '#format-main' : '#format-part');
    $('#format-main').hidden = $('#format-part').hidden = true;
    part.hidden = !drawn || (replaces && !v.question);
    if (!part.hidden) {
      own.team(v, part, (event, payload, done) => state.socket.emit(event, payload, done));
      if (replaces) for (const node of [ui.qBox, ui.answer, ui.message, ui.result]) node.hidden = true;
    }
    // A format's panel beside the tablet's own screen (static/js/formats/).
    const side = $('#format-side');
    side.hidden = !(own && own.teamPanel);
    if (own && own.teamPanel) own.teamPanel(v, side, (event, payload, done) => state.socket.emit(event, payload, done));
  }

  /** The practice question before the first round: answered here, scored nowhere. */
  function renderPractice(v) {
    const p = v.phase === 'lobby' ? v.practice : null;
    ui.practice.hidden = !p;
    ui.message.hidden = !!p; // "Chờ câu hỏi..." gives way to the practice question
    if (!p) return;
    setText(ui.practiceText, p.text);
    fill(ui.practiceChoices, p.choices.map((c) => el('button', {
      type: 'button',
      class: 't-practice__choice',
      'aria-pressed': p.answer === c.key ? 'true' : 'false',
      dataset: { key: c.key },
      on: { click: () => sendPractice(c.key) },
    }, el('b', { text: c.key + '. ' }), c.text)));
    if (!state.practiceNote || p.answer) {
      setText(ui.practiceStatus, p.answer
        ? Quiz.t('Đã ghi nhận đáp án {answer} — câu hỏi thử, không tính điểm', { answer: p.answer })
        : Quiz.t('Mời đội chọn đáp án (câu hỏi thử, không tính điểm)'));
    }
  }

  function sendPractice(key) {
    if (!state.socket) return;
    state.practiceNote = 'sending';
    setText(ui.practiceStatus, Quiz.t('Đang gửi...'));
    Quiz.request(state.socket, 'practice_answer', { value: key }, (ack) => {
      state.practiceNote = null;
      if (!ack.ok) setText(ui.practiceStatus, ack.message || Quiz.t('Chưa gửi được — thử lại'));
    }, 8000);
  }

  /** The server's record of our answer (e.g. after a reconnect) is what counts. */
  function adoptServerAnswer(v) {
    const mine = v.my_answer;
    if (!mine) return;
    state.received = { key: JSON.stringify(mine.value), nonce: mine.nonce, display: mine.display };
    // The ack may have been lost with the connection; the view says it arrived.
    if (state.pending && state.pending.nonce === mine.nonce) state.pending = null;
    if (state.draft === null && v.question) state.draft = fromValue(v.question.type, mine.value);
  }

  function renderQuestion(v) {
    const q = v.question;
    ui.qBox.hidden = !q;
    if (!q) return;
    if (ui.qBox.dataset.qid !== q.id) {
      ui.qBox.dataset.qid = q.id;
      fill(ui.qText, q.image ? el('img', { class: 't-q__img', src: q.image, alt: '' }) : null, q.text);
    }
  }

  function renderMessage(v) {
    const q = v.question;
    let text = '';
    let tone = 'info';
    const paused = v.clock && !v.clock.running;
    const buzzer = v.round && v.round.format === 'buzzer';
    if (v.phase === 'lobby') text = Quiz.t('Chờ câu hỏi...');
    else if (v.phase === 'finished') text = Quiz.t('Hội thi đã kết thúc. Cảm ơn đội đã tham gia!');
    else if (v.phase === 'intro' || !q) text = Quiz.t('Chờ câu hỏi...');
    else if (paused) { text = Quiz.t('Tạm dừng'); tone = 'warn'; }
    else if (v.phase === 'shown') text = buzzer ? Quiz.t('Nghe câu hỏi — chờ mở chuông') : Quiz.t('Chưa bắt đầu tính giờ');
    else if (v.phase === 'open' && !buzzer) {
      const done = !!state.received;
      const typed = q.type === 'text' || q.type === 'number';
      text = done ? (v.allow_change ? Quiz.t('Có thể đổi đáp án đến khi hết giờ') : Quiz.t('Đáp án đã chốt'))
        : typed ? Quiz.t('Mời đội nhập câu trả lời')
          : q.type === 'order' ? Quiz.t('Mời đội sắp xếp theo thứ tự đúng') : Quiz.t('Mời đội chọn đáp án');
      tone = done ? 'ok' : 'go';
    } else if (v.phase === 'closed') {
      if (buzzer) text = Quiz.t('Chờ công bố đáp án');
      else if (v.close_reason === 'mc') text = Quiz.t('Đã dừng sớm — chờ công bố đáp án');
      else text = Quiz.t('Hết giờ! Chờ công bố đáp án');
    }
    else if (v.phase === 'revealed') text = '';
    if (v.phase === 'finished' && v.me) text += ' ' + Quiz.t('Tổng điểm: {total}, hạng {rank}.', { total: Quiz.formatNumber(v.me.total), rank: v.me.rank });
    const own = ownFormat(v);
    if (own && own.message && own.message(v) !== undefined) text = own.message(v); // its own status line
    ui.message.hidden = !text;
    ui.message.dataset.tone = tone;
    setText(ui.message, text);
  }

  /* ---------- the answer inputs ---------- */

  const HINTS = {
    single: Quiz.t('Chạm chọn một đáp án, rồi bấm “Gửi đáp án”'),
    multiple: Quiz.t('Chọn tất cả phương án đúng'),
    true_false: Quiz.t('Chọn Đúng hoặc Sai'),
    text: Quiz.t('Nhập câu trả lời'),
    number: Quiz.t('Nhập một số (dùng dấu phẩy cho phần thập phân, ví dụ 4,5)'),
    order: Quiz.t('Sắp xếp theo thứ tự đúng: chạm lần lượt từng mục'),
  };

  /** With allow_change these types send on every tap: no separate "Gửi đáp án". */
  const TAP_SENDS = new Set(['single', 'multiple', 'true_false']);
  const TAP_HINTS = {
    single: Quiz.t('Chạm chọn một đáp án: đáp án được gửi ngay, đổi được đến khi hết giờ'),
    multiple: Quiz.t('Chọn tất cả phương án đúng: mỗi lần chạm được gửi ngay'),
    true_false: Quiz.t('Chọn Đúng hoặc Sai: đáp án được gửi ngay, đổi được đến khi hết giờ'),
  };

  function ownFormat(v) {
    return window.QuizFormats && v.round ? window.QuizFormats[v.round.own_format || v.round.format] : null;
  }

  function answerVisible(v) {
    if (!v.question) return false;
    if (ownFormat(v) && ownFormat(v).answerVisible) return ownFormat(v).answerVisible(v);
    if (v.round && v.round.format === 'buzzer') {
      return v.buzzer === 'won' && v.answer_on === 'tablet';
    }
    return ['shown', 'open', 'closed'].includes(v.phase);
  }

  /** Before the opening time every device waits, so all unlock at one server instant. */
  function beforeOpening(v) {
    const at = v.clock && v.clock.opens_at;
    if (typeof at !== 'number') return false;
    const wait = at - Quiz.serverNow();
    if (wait <= 0) return false;
    if (state.openTimer) clearTimeout(state.openTimer);
    state.openTimer = setTimeout(() => {
      state.openTimer = null;
      if (state.view) render();
    }, wait);
    return true;
  }

  function canAnswer(v) {
    if (!v.question || !v.clock || !v.clock.running) return false;
    if (beforeOpening(v)) return false;
    if (state.tick === 'up') return false; // time is up here; the server's close follows
    if (state.received && !v.allow_change && !(v.round && v.round.format === 'buzzer')) return false;
    if (v.round && v.round.format === 'buzzer') {
      return v.phase === 'answering' && v.buzzer === 'won' && v.answer_on === 'tablet';
    }
    if (ownFormat(v) && ownFormat(v).canAnswer) return ownFormat(v).canAnswer(v);
    return v.phase === 'open';
  }

  function renderAnswer(v) {
    const visible = answerVisible(v);
    ui.answer.hidden = !visible;
    if (!visible) return;
    const q = v.question;
    if (!state.widget || state.widget.qid !== q.id) {
      state.widget = makeWidget(q);
      state.widget.qid = q.id;
      fill(ui.inputs, state.widget.node);
      const taps = v.allow_change && TAP_SENDS.has(q.type);
      setText(ui.answerHint, taps ? TAP_HINTS[q.type] : HINTS[q.type] || '');
    }
    const enabled = canAnswer(v);
    ui.answer.dataset.enabled = enabled ? 'yes' : 'no';
    state.over = isOver(v);
    ui.answer.dataset.over = state.over ? 'yes' : 'no';
    state.widget.update(enabled);
    renderSend(v, enabled);
  }

  /** Answering has ended for this team: time up, closed early, or its buzz turn over. */
  function isOver(v) {
    if (!v.question) return false;
    if (['closed', 'revealed'].includes(v.phase)) return true;
    return v.phase === 'open' && state.tick === 'up';
  }

  /**
   * What the inputs show as chosen: the draft while answering is open; after
   * that ONLY what the server received, so an unsent tap never looks chosen.
   */
  function shownDraft() {
    if (!state.over) return state.draft;
    const q = state.view && state.view.question;
    if (!state.received || !q) return null;
    return fromValue(q.type, JSON.parse(state.received.key));
  }

  function renderSend(v, enabled) {
    const { received, pending } = state;
    const value = currentValue();
    const key = value.ok ? JSON.stringify(value.value) : null;
    const buzzer = v.round && v.round.format === 'buzzer';
    let status = '';
    let tone = '';
    const unsent = key !== null && (!received || key !== received.key)
      && !(pending && pending.status === 'sending' && pending.key === key);
    const badge = unsent && enabled && !state.over;
    ui.unsent.hidden = !badge;
    ui.answer.dataset.unsent = state.over && unsent ? 'yes' : 'no';
    ui.unsent.dataset.urgent = badge && state.tick === 'last5' ? 'yes' : 'no';
    if (state.over && unsent) {
      status = Quiz.t('Chưa gửi — không được tính');
      if (received) status += ' · ' + Quiz.t('Đáp án đã ghi nhận: {answer}', { answer: received.display });
      tone = 'error';
    } else if (pending && pending.status === 'sending') { status = Quiz.t('Đang gửi...'); tone = 'sending'; }
    else if (pending && pending.status === 'error') {
      status = pending.message + (received ? ' — ' + Quiz.t('Đáp án đã ghi nhận: {answer}', { answer: received.display }) : '');
      tone = 'error';
    } else if (received) {
      status = Quiz.t('Đã ghi nhận đáp án: {answer}', { answer: received.display });
      tone = 'ok';
      if (!v.allow_change && !buzzer) status += Quiz.t(' — Đáp án đã chốt');
      else if (key !== null && key !== received.key && enabled) status += Quiz.t(' (bấm “Gửi đáp án” để đổi)');
    } else if (!value.ok && value.message && enabled) { status = value.message; tone = 'hint'; }
    ui.sendStatus.hidden = !status;
    ui.sendStatus.dataset.tone = tone;
    setText(ui.sendStatus, status);

    const sameAsReceived = received && key === received.key && !pending;
    const waiting = pending && pending.status === 'sending' && Date.now() - pending.at < RETRY_AFTER_MS;
    ui.sendBtn.disabled = !enabled || !value.ok || !!sameAsReceived || !!waiting;
    let label = Quiz.t('Gửi đáp án');
    if (pending && pending.status === 'sending' && !waiting) label = Quiz.t('Gửi lại');
    else if (received && !v.allow_change && !buzzer) label = Quiz.t('Đáp án đã chốt');
    else if (!enabled && v.phase === 'shown') label = Quiz.t('Chưa bắt đầu tính giờ');
    setText(ui.sendBtn, label);
    // A tap sends these (allow_change): the button appears only to retry a failed send.
    const q = v.question;
    const taps = !buzzer && v.allow_change && q && TAP_SENDS.has(q.type);
    const retry = pending && (pending.status === 'error' || !waiting);
    ui.sendBtn.hidden = !!(taps && !retry);
  }

  /** The draft as a wire value: {ok, value} or {ok: false, message}. */
  function currentValue() {
    const q = state.view && state.view.question;
    const d = state.draft;
    if (!q) return { ok: false };
    switch (q.type) {
      case 'single':
        return d ? { ok: true, value: d } : { ok: false };
      case 'multiple':
        return d && d.length ? { ok: true, value: d.slice().sort() } : { ok: false };
      case 'true_false':
        return typeof d === 'boolean' ? { ok: true, value: d } : { ok: false };
      case 'text': {
        const text = (d || '').trim();
        return text ? { ok: true, value: text } : { ok: false };
      }
      case 'number': {
        const text = (d || '').replace(/\s/g, '');
        if (!text) return { ok: false };
        if (!/^[+-]?\d+([.,]\d+)?$/.test(text)) {
          return { ok: false, message: Quiz.t('Chỉ nhập một số, ví dụ 41 hoặc 4,5') };
        }
        return { ok: true, value: text.replace('.', ',') };
      }
      case 'order': {
        const all = (q.items || []).length;
        return d && d.length === all && all > 0 ? { ok: true, value: d.slice() }
          : { ok: false };
      }
      default:
        return { ok: false };
    }
  }

  /** How an answer reads on screen (the server's `display`, when it sends none). */
  function localDisplay(q, value) {
    if (!q) return String(value);
    if (q.type === 'true_false') return value ? Quiz.t('Phương án Đúng') : Quiz.t('Phương án Sai');
    if (q.type === 'multiple') return value.join(', ');
    if (q.type === 'order') return value.join(' → ');
    if (q.type === 'number') return String(value) + (q.unit ? ' ' + q.unit : '');
    return String(value);
  }

  /** A value from the server (my_answer.value) as a draft. */
  function fromValue(type, value) {
    if (value === null || value === undefined) return null;
    if (type === 'number') return Quiz.lang === 'en' ? String(value).replace(',', '.') : String(value).replace('.', ',');
    if (Array.isArray(value)) return value.slice();
    return value;
  }

  function setDraft(draft) {
    state.draft = draft;
    if (state.pending && state.pending.status === 'error') state.pending = null;
    render();
  }

  /** With allow_change, a tap on a choice IS the answer: it is sent at once (every tap a change). */
  function sendIfChangeable() {
    const v = state.view;
    if (v && v.allow_change && canAnswer(v) && currentValue().ok) submit();
  }

  function makeWidget(q) {
    switch (q.type) {
      case 'single': return choiceWidget(q, false);
      case 'multiple': return choiceWidget(q, true);
      case 'true_false': return trueFalseWidget();
      case 'text': return textWidget(q, false);
      case 'number': return textWidget(q, true);
      case 'order': return orderWidget(q);
      default:
        return { node: el('p', { text: Quiz.t('Loại câu hỏi này chưa được hỗ trợ trên máy tính bảng') }), update() {} };
    }
  }

  function choiceWidget(q, multiple) {
    const buttons = (q.choices || []).map((c) => el('button', {
      type: 'button', class: 't-choice', dataset: { key: c.key }, 'aria-pressed': 'false',
      on: {
        click() {
          if (multiple) {
            const set = new Set(state.draft || []);
            if (set.has(c.key)) set.delete(c.key); else set.add(c.key);
            setDraft(Array.from(set).sort());
          } else {
            setDraft(c.key);
          }
          sendIfChangeable();
        },
      },
    }, el('span', { class: 't-choice__letter', text: c.key }),
    el('span', { class: 't-choice__text', text: c.text }),
    multiple ? el('span', { class: 't-choice__tick', 'aria-hidden': 'true' }) : null));
    const node = el('div', { class: 't-choices' + (multiple ? ' t-choices--multi' : ''),
      role: multiple ? 'group' : 'radiogroup', dataset: { count: String(buttons.length) } }, buttons);
    return {
      node,
      update(enabled) {
        for (const b of buttons) {
          const key = b.dataset.key;
          const d = shownDraft();
          const on = multiple ? (d || []).includes(key) : d === key;
          b.setAttribute('aria-pressed', on ? 'true' : 'false');
          b.disabled = !enabled;
        }
      },
    };
  }

  function trueFalseWidget() {
    const make = (value, label) => el('button', {
      type: 'button', class: 't-tf t-tf--' + (value ? 'true' : 'false'), 'aria-pressed': 'false',
      on: { click() { setDraft(value); sendIfChangeable(); } },
    }, label);
    const yes = make(true, Quiz.t('Phương án Đúng'));
    const no = make(false, Quiz.t('Phương án Sai'));
    return {
      node: el('div', { class: 't-tfs', role: 'radiogroup' }, yes, no),
      update(enabled) {
        const d = shownDraft();
        yes.setAttribute('aria-pressed', d === true ? 'true' : 'false');
        no.setAttribute('aria-pressed', d === false ? 'true' : 'false');
        yes.disabled = no.disabled = !enabled;
      },
    };
  }

  function textWidget(q, numeric) {
    const input = el('input', {
      class: 't-input' + (numeric ? ' t-input--number' : ''),
      type: 'text', autocomplete: 'off', spellcheck: 'false',
      maxlength: numeric ? '40' : '200',
      inputmode: numeric ? 'decimal' : null,
      enterkeyhint: 'send',
      placeholder: numeric ? Quiz.t('Nhập số') : Quiz.t('Nhập câu trả lời'),
      'aria-label': numeric ? Quiz.t('Đáp số') : Quiz.t('Nhập câu trả lời'),
      on: {
        input() {
          state.draft = input.value;
          if (state.pending && state.pending.status === 'error') state.pending = null;
          renderSend(state.view, canAnswer(state.view));
        },
        keydown(event) {
          if (event.key === 'Enter') { event.preventDefault(); submit(); }
        },
      },
    });
    if (typeof state.draft === 'string') input.value = state.draft;
    const unit = numeric && q.unit ? el('span', { class: 't-input__unit', text: q.unit }) : null;
    return {
      node: el('div', { class: 't-inputrow' }, input, unit),
      update(enabled) {
        input.disabled = !enabled;
        if (typeof state.draft === 'string' && document.activeElement !== input
          && input.value !== state.draft) input.value = state.draft;
      },
    };
  }

  function orderWidget(q) {
    const items = q.items || [];
    const slots = el('ol', { class: 't-order__slots' });
    const undo = el('button', {
      type: 'button', class: 'btn btn--grey t-order__tool',
      on: { click() { setDraft((state.draft || []).slice(0, -1)); } },
    }, Quiz.t('↶ Bỏ mục cuối'));
    const clear = el('button', {
      type: 'button', class: 'btn btn--grey t-order__tool',
      on: { click() { setDraft([]); } },
    }, Quiz.t('Làm lại'));
    const buttons = items.map((it) => el('button', {
      type: 'button', class: 't-choice t-order__item', dataset: { key: it.key },
      on: {
        click() {
          const seq = (state.draft || []).slice();
          if (!seq.includes(it.key)) seq.push(it.key);
          setDraft(seq);
        },
      },
    }, el('span', { class: 't-choice__letter', text: it.key }),
    el('span', { class: 't-choice__text', text: it.text }),
    el('span', { class: 't-order__pos' })));
    const names = {};
    for (const it of items) names[it.key] = it.text;
    return {
      node: el('div', { class: 't-order' },
        el('div', { class: 't-order__head' },
          el('p', { class: 't-order__title', text: Quiz.t('Thứ tự của đội:') }), slots,
          el('div', { class: 't-order__tools' }, undo, clear)),
        el('div', { class: 't-choices' }, buttons)),
      update(enabled) {
        const seq = shownDraft() || [];
        fill(slots, items.map((_, i) => {
          const key = seq[i];
          // The sequence as short chips ("1 B"); the item's own button shows its text.
          return el('li', { class: 't-order__slot' + (key ? ' t-order__slot--full' : ''),
            title: key ? names[key] : '' },
            el('span', { class: 't-order__num', text: String(i + 1) }),
            el('b', { class: 't-order__picked', text: key || '–' }));
        }));
        for (const b of buttons) {
          const pos = seq.indexOf(b.dataset.key);
          b.disabled = !enabled || pos >= 0;
          b.dataset.picked = pos >= 0 ? 'yes' : 'no';
          setText(b.querySelector('.t-order__pos'), pos >= 0 ? String(pos + 1) : '');
        }
        undo.disabled = clear.disabled = !enabled || seq.length === 0;
      },
    };
  }

  /* ---------- sending an answer ---------- */

  function submit() {
    const v = state.view;
    if (!v || !canAnswer(v)) return;
    const value = currentValue();
    if (!value.ok) return;
    const key = JSON.stringify(value.value);
    if (state.received && state.received.key === key && !state.pending) return;
    // Retrying the same answer reuses its nonce, so the server counts it once.
    const prev = state.pending;
    const nonce = prev && prev.key === key ? prev.nonce : Quiz.nonce();
    const question = v.question.id;
    state.pending = { key, nonce, status: 'sending', at: Date.now() };
    render();
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(render, RETRY_AFTER_MS + 50);
    // A plain emit: Socket.IO buffers it while offline and sends it on reconnect;
    // the server refuses it as `stale` if the question has moved on meanwhile.
    state.socket.emit('answer', { question, value: value.value, press: Quiz.serverNow(), id: nonce },
      (ack) => onAnswerAck(question, nonce, ack));
  }

  function onAnswerAck(question, nonce, ack) {
    if (question !== state.qid) return; // the contest has moved on: nothing to show
    const pending = state.pending;
    if (!pending || pending.nonce !== nonce) return; // received already, or a newer answer since
    if (ack && ack.ok && ack.received) {
      const display = ack.answer && ack.answer.display;
      const q = state.view && state.view.question;
      state.received = { key: pending.key, nonce, display: display || localDisplay(q, JSON.parse(pending.key)) };
      state.pending = null;
    } else {
      pending.status = 'error';
      pending.message = (ack && ack.message) || Quiz.t('Chưa gửi được đáp án — thử lại');
    }
    render();
  }

  ui.sendBtn.addEventListener('click', submit);

  /* ---------- buzzer ---------- */

  /** The buzzer's part is drawn by static/js/formats/buzzer.js. */
  function renderFormat(v) {
    Quiz.drawFormat('team', v, document, { buzz: state.buzz, received: state.received });
  }

  let lastPointerBuzz = 0;
  function buzz() {
    const v = state.view;
    if (!v || !v.question || ui.buzzBtn.disabled) return;
    const press = Quiz.serverNow();
    if (!state.socket || !state.socket.connected) {
      state.buzz = { status: 'error', message: Quiz.t('Mất kết nối — chưa bấm được chuông') };
      render();
      return;
    }
    if (navigator.vibrate) navigator.vibrate(60);
    const question = v.question.id;
    state.buzz = { status: 'pressing' };
    render();
    state.socket.emit('buzz', { question, press }, (ack) => {
      if (question !== state.qid) return;
      if (ack && ack.ok) state.buzz = { status: 'done', result: ack.status };
      else state.buzz = { status: 'error', message: (ack && ack.message) || Quiz.t('Chưa bấm được chuông') };
      render();
    });
  }
  // pointerdown: the moment of the press, not the release.
  ui.buzzBtn.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    lastPointerBuzz = Date.now();
    buzz();
  });
  ui.buzzBtn.addEventListener('click', () => {
    if (Date.now() - lastPointerBuzz < 1000) return; // already sent on pointerdown
    buzz();
  });

  /* ---------- result after reveal ---------- */

  function renderResult(v) {
    const show = v.phase === 'revealed' && !!v.reveal;
    ui.result.hidden = !show;
    if (!show) return;
    const r = v.result;
    const buzzer = v.round && v.round.format === 'buzzer';
    let verdict = null;
    if (r && r.correct === true) verdict = el('p', { class: 't-result__verdict t-result__verdict--ok' }, Quiz.t('✓ Chính xác!'));
    else if (r && r.correct === false) verdict = el('p', { class: 't-result__verdict t-result__verdict--bad' }, Quiz.t('✗ Chưa chính xác'));
    else if (!buzzer) verdict = el('p', { class: 't-result__verdict t-result__verdict--none' }, Quiz.t('Đội chưa gửi đáp án'));
    const points = r && (r.correct !== null || r.points) ? el('p', {
      class: 't-result__points' + (r.points < 0 ? ' t-result__points--neg' : r.points === 0 ? ' t-result__points--zero' : ''),
      text: Quiz.formatPoints(r.points),
    }) : null;
    const mine = v.my_answer ? el('p', { class: 't-result__line' }, Quiz.t('Đáp án của đội: '), el('b', { text: v.my_answer.display })) : null;
    ui.result.dataset.verdict = r && r.correct === true ? 'ok' : r && r.correct === false ? 'bad' : 'none';
    fill(ui.result,
      verdict, points,
      el('p', { class: 't-result__line t-result__answer' }, Quiz.t('Đáp án đúng: '), el('b', { text: Quiz.keyText(v.question, v.reveal) })),
      mine,
      v.reveal.explanation ? el('p', { class: 't-result__more' }, el('b', { text: Quiz.t('Giải thích: ') }), v.reveal.explanation) : null,
      v.me ? el('p', { class: 't-result__total' }, Quiz.t('Tổng điểm: '), el('b', { text: Quiz.formatNumber(v.me.total) })) : null);
  }

  /* ---------- start ---------- */

  Quiz.keepAwake(); // the tablet's screen stays on through the contest (sound.js)

  const fromUrl = normaliseCode(document.body.dataset.code);
  const fromStore = normaliseCode(Quiz.store.get(STORE_KEY));
  const first = fromUrl || fromStore;
  if (first.length === 6) join(first);
  else {
    Quiz.showStatus(ui.conn, 'refused');
    showJoin('');
  }
})();
