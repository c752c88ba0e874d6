/* The MC console (Bảng điều khiển).
 *
 * One big "next step" button driven by view.next, the clock controls, the
 * question with its answer key (the MC's eyes only), every team's live
 * state, the buzz order, the scoreboard and the corrections (each with a
 * reason). Every refusal from the server is shown as a toast.
 */
(function () {
  'use strict';

  const { el, fill, setText, $ } = Quiz;
  const OLD_PIN_KEY = 'quiz.mc.pin'; // kept by older versions; removed on load
  const COMMAND_TIMEOUT_MS = 8000;
  const KEY_GUARD_MS = 350; // one step per key press, even if the key bounces

  const ui = {
    where: $('#where'),
    links: $('#links'),
    joinLink: $('#join-link'),
    csvLink: $('#csv-link'),
    conn: $('#conn'),
    pin: $('#pin'),
    pinForm: $('#pin-form'),
    pinInput: $('#pin-input'),
    pinError: $('#pin-error'),
    failedLogins: $('#failed-logins'),
    journalAlerts: $('#journal-alerts'),
    journalHead: $('#journal-head'),
    console: $('#console'),
    nextBtn: $('#next-btn'),
    judge: $('#judge'),
    judgeTeam: $('#judge-team'),
    judgeRight: $('#judge-right'),
    judgeWrong: $('#judge-wrong'),
    pauseBtn: $('#pause-btn'),
    addBtn: $('#add-btn'),
    closeBtn: $('#close-btn'),
    closeConfirm: $('#close-confirm'),
    closeYes: $('#close-yes'),
    closeNo: $('#close-no'),
    offline: $('#offline'),
    drawerToggle: $('#drawer-toggle'),
    soundToggle: $('#sound-toggle'),
    side: $('#side'),
    questionEmpty: $('#question-empty'),
    questionBody: $('#question-body'),
    questionMeta: $('#question-meta'),
    questionText: $('#question-text'),
    questionOpts: $('#question-opts'),
    keyAnswer: $('#key-answer'),
    keyExplanation: $('#key-explanation'),
    keySource: $('#key-source'),
    keyNote: $('#key-note'),
    teamsSummary: $('#teams-summary'),
    teamsGrid: $('#teams-grid'),
    scoresToggle: $('#scores-toggle'),
    scoresBody: $('#scores-body'),
    journal: $('#journal'),
    journalEmpty: $('#journal-empty'),
    dialog: $('#dialog'),
    dialogForm: $('#dialog-form'),
    dialogTitle: $('#dialog-title'),
    dialogFields: $('#dialog-fields'),
    dialogError: $('#dialog-error'),
    dialogOk: $('#dialog-ok'),
    dialogCancel: $('#dialog-cancel'),
    toasts: $('#toasts'),
  };

  const countdown = new Quiz.Countdown($('#clock'), {
    digits: $('#clock-digits'),
    label: $('#clock-label'),
    onTick: () => tickNext(),
  });

  const state = {
    socket: null,
    view: null,
    busy: false,          // a next-step command is waiting for its ack
    lastKeyStep: 0,       // when the keyboard last took a step (against double presses)
    questions: {},        // every question seen this session, by id (for "Nhập đáp án thay đội")
    online: false,        // the socket is connected: commands may be sent
  };

  /* The big button while answering is open: the countdown and what comes next. */
  const nextCountdown = { digits: null, timer: null };

  /* ---------- toasts ---------- */

  function toast(message, tone, ms) {
    const node = el('div', { class: 'toast' + (tone ? ' toast--' + tone : ''), role: 'status' }, message);
    ui.toasts.appendChild(node);
    setTimeout(() => node.remove(), ms || (tone === 'error' ? 7000 : 3000));
  }

  /* ---------- PIN and connection ---------- */

  function showPin(error) {
    ui.pin.hidden = false;
    ui.console.hidden = true;
    ui.links.hidden = true;
    ui.pinError.hidden = !error;
    setText(ui.pinError, error || '');
    ui.pinInput.focus();
  }

  /** The socket authenticates by the session cookie the PIN form (POST /mc) set. */
  function connect() {
    if (state.socket) state.socket.disconnect();
    ui.pin.hidden = true;
    state.socket = Quiz.connect({ role: 'mc' }, {
      indicator: ui.conn,
      onStatus: showConnection,
      onRefused(err) {
        if (state.socket) state.socket.disconnect();
        state.socket = null;
        showPin(err.message || Quiz.t('Hãy đăng nhập bằng mã PIN'));
      },
      onConnect() {
        ui.links.hidden = false;
        ui.console.hidden = false;
      },
      onState(view) {
        // A new view means the command in flight has been applied (its ack may trail).
        if (state.view && view.v !== state.view.v) state.busy = false;
        const F = window.QuizFormats && view.round && window.QuizFormats[view.round.format]; // static/js/formats/
        state.view = F && F.adapt ? F.adapt(view) : view;
        if (view.question) state.questions[view.question.id] = view.question;
        renderFailedLogins(view.failed_logins);
        renderRecord(view.journal);
        render();
      },
    });
  }

  /** "3 lần nhập sai mã PIN từ 192.168.1.57": someone may be guessing. */
  function renderFailedLogins(list) {
    const words = { pin: Quiz.t('mã PIN'), code: Quiz.t('mã tham gia') };
    const items = (list || []).map((f) =>
      el('li', { class: 'm-alerts__item' },
        Quiz.t('{count} lần nhập sai {what} từ {address}', { count: f.count, what: words[f.kind] || f.kind, address: f.address })));
    fill(ui.failedLogins, items);
    ui.failedLogins.hidden = !items.length;
  }

  /** The journal's head hash (what `quiz verify` prints), a refused write, low space. */
  function renderRecord(j) {
    if (!j) return;
    setText(ui.journalHead, j.head ? Quiz.t('Mã kiểm tra nhật ký: {head} · {entries} mục', { head: j.head.slice(0, 16), entries: j.entries }) : '');
    ui.journalHead.title = j.head || '';
    const items = [];
    if (j.error) items.push(el('li', { class: 'm-alerts__item' }, j.error));
    if (j.space_low) items.push(el('li', { class: 'm-alerts__item' }, Quiz.t('Sắp hết dung lượng đĩa cho nhật ký: còn {mb} MB', { mb: j.free_mb })));
    fill(ui.journalAlerts, items);
    ui.journalAlerts.hidden = !items.length;
  }

  /**
   * Connected or not: while the server is unreachable the whole console says
   * so, every command is disabled and no team is claimed as connected.
   */
  function showConnection(status) {
    const lost = status === 'reconnecting' || status === 'offline';
    state.online = status === 'ok';
    ui.offline.hidden = !lost || ui.console.hidden;
    document.body.classList.toggle('is-offline', lost);
    ui.console.inert = lost;
    if (lost) {
      hideCloseConfirm();
      if (ui.dialog.open) ui.dialog.close();
    }
    render();
  }

  /* ---------- commands ---------- */

  /** Send an MC command; `done(ack)` after the server answers. Errors become toasts. */
  function command(payload, done) {
    if (!state.socket || !state.socket.connected) {
      toast(Quiz.t('Mất kết nối — lệnh chưa được gửi'), 'error');
      if (done) done({ ok: false });
      return;
    }
    Quiz.request(state.socket, 'command', payload, (ack) => {
      if (!ack.ok) toast(ack.message || Quiz.t('Lệnh bị từ chối'), 'error');
      if (done) done(ack);
    }, COMMAND_TIMEOUT_MS);
  }

  function nextStep() {
    const v = state.view;
    if (!v || state.busy) return;
    const next = v.next || {};
    // 'close' is never the big button's: "Dừng sớm" (with its confirmation) does that.
    if (!next.command || ['wait', 'judge', 'close'].includes(next.command) || !state.online) return;
    if (next.choose) return; // a choice in the format's panel (static/js/formats/)
    if (next.command === 'start_round' && !next.round && v.phase !== 'lobby') {
      if (!window.confirm(Quiz.t('Kết thúc hội thi? Bảng xếp hạng chung cuộc sẽ hiện trên màn hình.'))) return;
    }
    const payload = { name: next.command };
    if (next.question) payload.question = next.question;
    if (next.round) payload.round = next.round;
    const F = window.QuizFormats && v.round && window.QuizFormats[v.round.own_format || v.round.format];
    if (F && F.payload) Object.assign(payload, F.payload(v, next)); // e.g. a tiebreak selection
    state.busy = true;
    renderNext(v);
    command(payload, () => {
      state.busy = false;
      render();
    });
  }

  function judge(correct, verdict) {
    const v = state.view;
    const next = v && v.next;
    if (!next || next.command !== 'judge' || state.busy) return;
    state.busy = true;
    renderNext(v);
    const payload = { name: 'judge', question: next.question, team: next.team, correct };
    if (verdict) payload.verdict = verdict; // 'timeout': out of time, scored as wrong
    command(payload, () => {
      state.busy = false;
      render();
    });
  }

  function currentQuestionId() {
    const v = state.view;
    return v && v.question ? v.question.id : null;
  }

  function togglePause() {
    const v = state.view;
    if (!v || !v.clock) return;
    command({ name: v.clock.running ? 'pause' : 'resume', question: currentQuestionId() });
  }

  function addTime() {
    const v = state.view;
    if (!v || !v.clock) return;
    command({ name: 'add_time', question: currentQuestionId(), seconds: 10 }, (ack) => {
      if (ack.ok) toast(Quiz.t('Đã thêm 10 giây'), 'ok');
    });
  }

  /* "Dừng sớm" ends answering for every team: it always asks first. */
  let closeConfirmTimer = null;

  function askCloseEarly() {
    if (!canClose(state.view) || !state.online) return;
    ui.closeConfirm.hidden = false;
    ui.closeBtn.setAttribute('aria-expanded', 'true');
    ui.closeYes.focus();
    clearTimeout(closeConfirmTimer);
    closeConfirmTimer = setTimeout(hideCloseConfirm, 10000); // a forgotten question lapses
  }

  function hideCloseConfirm() {
    clearTimeout(closeConfirmTimer);
    if (ui.closeConfirm.hidden) return;
    const hadFocus = ui.closeConfirm.contains(document.activeElement);
    ui.closeConfirm.hidden = true;
    ui.closeBtn.setAttribute('aria-expanded', 'false');
    if (hadFocus) ui.closeBtn.focus();
  }

  function closeEarly() {
    const open = !ui.closeConfirm.hidden;
    hideCloseConfirm();
    if (!open || !canClose(state.view)) return;
    command({ name: 'close', question: currentQuestionId() });
  }

  function canClose(v) {
    return !!(v && v.question && v.phase === 'open');
  }

  function toggleScoreboard() {
    const v = state.view;
    if (!v) return;
    command({ name: 'scoreboard', show: !v.show_scoreboard });
  }

  ui.nextBtn.addEventListener('click', nextStep);
  ui.judgeRight.addEventListener('click', () => judge(true));
  ui.judgeWrong.addEventListener('click', () => judge(false));
  $('#judge-timeout').addEventListener('click', () => judge(false, 'timeout'));
  ui.pauseBtn.addEventListener('click', togglePause);
  ui.addBtn.addEventListener('click', addTime);
  ui.closeBtn.addEventListener('click', () => {
    if (ui.closeConfirm.hidden) askCloseEarly(); else hideCloseConfirm();
  });
  ui.closeYes.addEventListener('click', closeEarly);
  ui.closeNo.addEventListener('click', hideCloseConfirm);
  ui.closeConfirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); hideCloseConfirm(); }
  });
  ui.soundToggle.addEventListener('click', () => {
    const v = state.view;
    if (!v || !state.socket || !state.socket.connected) return;
    Quiz.request(state.socket, 'sound', { on: !v.sound }, (ack) => {
      if (!ack.ok) toast(ack.message || Quiz.t('Lệnh bị từ chối'), 'error');
    }, COMMAND_TIMEOUT_MS);
  });
  ui.drawerToggle.addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));

  /** The corrections panel as a drawer (on screens too narrow for three columns). */
  function setDrawer(open) {
    // The drawer starts below the header, whatever its height.
    document.body.style.setProperty('--head-h', document.querySelector('.m-head').offsetHeight + 'px');
    document.body.classList.toggle('drawer-open', open);
    ui.drawerToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  ui.scoresToggle.addEventListener('click', toggleScoreboard);

  /* ---------- keyboard ---------- */

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (ui.dialog.open || ui.console.hidden) return;
    if (!state.online) {
      if (event.key === ' ') event.preventDefault(); // nothing to do, and no scrolling either
      return;
    }
    const target = event.target;
    const tag = target && target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    const v = state.view;
    if (!v) return;
    const key = event.key;
    const next = v.next || {};
    if (key === ' ' || key === 'Enter') {
      // Enter on a focused button clicks that button: let it.
      if (key === 'Enter' && tag === 'BUTTON') return;
      event.preventDefault();
      // Space must not also press whichever button the mouse last clicked.
      if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A') target.blur();
      if (event.repeat || Date.now() - state.lastKeyStep < KEY_GUARD_MS) return;
      if (next.command === 'close') {
        // Answering is open: the next step comes by itself at time up.
        toast(Quiz.t('Đang tính giờ — để dừng trước thời hạn, dùng “Dừng sớm” (phím D)'), '', 3000);
        return;
      }
      state.lastKeyStep = Date.now();
      nextStep();
    } else if (key === 'ArrowRight') {
      if (next.command === 'judge') { event.preventDefault(); judge(true); }
    } else if (key === 'ArrowLeft') {
      if (next.command === 'judge') { event.preventDefault(); judge(false); }
    } else if (key === 'p' || key === 'P') {
      togglePause();
    } else if (key === 't' || key === 'T') {
      addTime();
    } else if (key === 'd' || key === 'D') {
      if (canClose(v)) { event.preventDefault(); askCloseEarly(); }
    } else if (key === 'b' || key === 'B') {
      toggleScoreboard();
    }
  });

  /* ---------- rendering ---------- */

  function teamName(id) {
    const v = state.view;
    const t = v && (v.teams || []).find((x) => x.id === id);
    return t ? t.name : id;
  }

  function render() {
    const v = state.view;
    if (!v) return;
    ui.console.hidden = false;
    const where = [];
    if (v.round) where.push(Quiz.t('Phần thi {n}/{of}: {title}', { n: v.round.number, of: v.round.of, title: v.round.title }));
    if (v.question) where.push(Quiz.questionLabel(v.question));
    where.push(Quiz.phaseLabel(v));
    setText(ui.where, where.join(' · '));
    ui.where.dataset.phase = v.phase;

    renderNext(v);
    renderClock(v);
    renderQuestion(v);
    renderTeams(v);
    renderFormat(v);
    renderScores(v);
    renderJournal(v);
    Quiz.renderMcExtras(v, command); // round summary offer, ceremony progress (ceremony.js)
    if (Quiz.renderMcJury) Quiz.renderMcJury(v, command); // what waits for the jury (appeal.js)
    // A format's own MC panel (static/js/formats/<name>.js), below the teams;
    // a format whose `mcIn` is 'question' draws in the question card instead.
    const own = v.round && (window.QuizFormats || {})[v.round.own_format || v.round.format];
    const panel = document.getElementById('format-panel');
    const inPanel = Boolean(own && own.mc && !own.part && own.mcIn !== 'question');
    panel.hidden = !inPanel;
    if (inPanel) own.mc(v, panel, command);
    Quiz.renderReadiness(v, state.socket, toast); // devices, approvals, practice (readiness.js)
    applyOffline();
  }

  /** The boards' sound: the MC's switch, and how many boards can play now. */
  function renderSound(v) {
    const btn = ui.soundToggle;
    const boards = v.boards_connected || 0;
    const playing = v.boards_sound || 0;
    let text;
    if (!v.sound) text = Quiz.t('Âm thanh màn hình: đã tắt');
    else if (!boards) text = Quiz.t('Âm thanh màn hình: chưa có màn hình');
    else if (playing >= boards) text = Quiz.t('Âm thanh màn hình: bật');
    else if (playing) text = Quiz.t('Âm thanh màn hình: bật {n}/{of}', { n: playing, of: boards });
    else text = Quiz.t('Âm thanh màn hình: chưa bật');
    setText(btn, text);
    btn.disabled = false;
    btn.setAttribute('aria-pressed', v.sound ? 'true' : 'false');
    btn.dataset.sound = !v.sound ? 'off' : playing && playing >= boards ? 'on' : 'waiting';
    btn.title = (v.sound ? Quiz.t('Nhấn để tắt tiếng màn hình trình chiếu') : Quiz.t('Nhấn để bật lại tiếng màn hình trình chiếu'))
      + (v.sound && playing < boards ? '. ' + Quiz.t('Màn hình chưa bật âm thanh cần được nhấn vào một lần.') : '');
  }

  /** Offline, every command button is disabled (and re-enabled when back). */
  function applyOffline() {
    const off = !state.online;
    for (const b of ui.console.querySelectorAll('button')) {
      if (off && !b.disabled) { b.disabled = true; b.dataset.offline = 'yes'; }
      else if (!off && b.dataset.offline) { delete b.dataset.offline; b.disabled = false; }
    }
    ui.drawerToggle.disabled = off;
    if (off) ui.soundToggle.disabled = true;
  }

  function renderNext(v) {
    const next = v.next || {};
    const judging = next.command === 'judge';
    ui.judge.hidden = !judging;
    ui.nextBtn.hidden = judging;
    if (judging) {
      setText(ui.judgeTeam, teamName(next.team));
      ui.judgeRight.disabled = ui.judgeWrong.disabled = state.busy;
      $('#judge-timeout').disabled = state.busy;
      $('#judge-timeup').hidden = !next.time_up;
    }
    const waiting = next.command === 'close'; // answering (or buzzing) is open
    const active = !!next.command && next.command !== 'wait' && !judging && !waiting && !next.choose;
    ui.nextBtn.disabled = !active || state.busy || !state.online;
    ui.nextBtn.dataset.command = next.command || 'none';
    ui.nextBtn.dataset.mode = waiting ? 'waiting' : 'step';
    if (waiting) {
      const buzzer = v.round && v.round.format === 'buzzer';
      const digits = el('span', { class: 'm-next__digits', id: 'next-digits' });
      fill(ui.nextBtn,
        el('span', { class: 'm-next__now' },
          (buzzer ? Quiz.t('Đang mở chuông') : Quiz.t('Đang nhận đáp án')) + ' · ', digits),
        el('span', { class: 'm-next__then', text: buzzer
          ? Quiz.t('Tiếp theo: chờ đội bấm chuông, rồi chấm Đúng / Sai')
          : Quiz.t('Tiếp theo: Công bố đáp án — khi hết giờ') }));
      nextCountdown.digits = digits;
      tickNext();
    } else {
      nextCountdown.digits = null;
      fill(ui.nextBtn, next.label || Quiz.t('Đang chờ'), active ? el('kbd', { text: 'Space' }) : null);
    }
    if (!waiting || !canClose(v)) hideCloseConfirm();
  }

  /** The countdown inside the big button, redrawn with the clock. */
  function tickNext() {
    if (!nextCountdown.digits) return;
    const ms = countdown.remaining();
    setText(nextCountdown.digits, ms === null ? '' : Quiz.t('{n} giây', { n: Quiz.formatCountdown(ms) }));
  }

  function renderClock(v) {
    countdown.set(v.clock);
    const c = v.clock;
    const off = !state.online;
    ui.pauseBtn.disabled = !c || off;
    fill(ui.pauseBtn, c && !c.running ? Quiz.t('Tiếp tục') : Quiz.t('Tạm dừng (nút)'), el('kbd', { text: 'P' }));
    ui.pauseBtn.classList.toggle('btn--warn', !!(c && !c.running));
    ui.addBtn.disabled = !c || off;
    ui.closeBtn.disabled = !canClose(v) || off;
    if (!c) {
      setText($('#clock-digits'), '–');
      let label = Quiz.t('Chưa tính giờ');
      if (v.phase === 'closed' || v.phase === 'revealed') label = v.close_reason === 'mc' ? Quiz.t('Đã dừng sớm') : Quiz.t('Hết giờ');
      if (v.judged) label = Quiz.t('Không tính giờ');
      setText($('#clock-label'), label);
    }
  }

  /** "12 câu hỏi", or for a judged round "17 đội lần lượt dự thi" (one: its own words). */
  function roundSize(r) {
    const n = r.questions;
    if (r.format === 'judged') return n === 1 ? Quiz.t('1 đội lần lượt dự thi') : Quiz.t('{n} đội lần lượt dự thi', { n });
    return n === 1 ? Quiz.t('1 câu hỏi') : Quiz.t('{n} câu hỏi', { n });
  }

  function renderQuestion(v) {
    const q = v.question;
    ui.questionEmpty.hidden = !!q;
    ui.questionBody.hidden = !q;
    if (!q) {
      setText(ui.questionEmpty, v.phase === 'intro' && v.round
        // The round's title is already in the header line: here only what it is and the next step.
        ? (v.round.format_title && v.round.format_title !== v.round.title ? v.round.format_title + ', ' : '')
          + roundSize(v.round)
          + '. ' + Quiz.t('Bấm “{label}”.', { label: (v.next || {}).label || '' })
        : Quiz.t('Chưa có câu hỏi.'));
      return;
    }
    const own = window.QuizFormats && v.round ? window.QuizFormats[v.round.format] : null; // static/js/formats/
    const inCard = Boolean(own && own.mc && !own.part && own.mcIn === 'question');
    $('#question-format').hidden = !inCard;
    if (inCard) { ui.questionBody.hidden = true; own.mc(v, $('#question-format'), command); return; }
    const key = v.key || {};
    setText(ui.questionMeta, [Quiz.questionLabel(q), Quiz.t('{n} điểm', { n: Quiz.formatNumber(q.points) }),
      Quiz.t('{n} giây', { n: Quiz.formatNumber(q.time_limit) }), TYPE_NAMES[q.type] || q.type].join(' · '));
    setText(ui.questionText, q.text);
    const correct = Quiz.correctLetters(q, key.key);
    const list = q.type === 'order' ? q.items : q.choices;
    fill(ui.questionOpts, (list || []).map((c) => el('li', {
      class: 'm-opt' + (correct.has(c.key) ? ' m-opt--correct' : ''),
    }, el('b', { text: c.key + '. ' }), c.text, correct.has(c.key) ? ' ✓' : '')));
    ui.questionOpts.hidden = !(list && list.length);
    let answer = key.answer !== undefined && key.answer !== null ? String(key.answer) : '';
    if (key.tolerance) answer += ' ' + Quiz.t('(sai số cho phép ±{n})', { n: Quiz.formatNumber(key.tolerance) });
    setText(ui.keyAnswer, Quiz.t('Đáp án: {answer}', { answer }));
    setText(ui.keyExplanation, key.explanation ? Quiz.t('Giải thích: {text}', { text: key.explanation }) : '');
    setText(ui.keySource, key.source ? Quiz.t('Căn cứ: {text}', { text: key.source }) : '');
    ui.keyExplanation.hidden = !key.explanation;
    ui.keySource.hidden = !key.source;
    setText(ui.keyNote, key.note ? Quiz.t('Ghi chú: {text}', { text: key.note }) : '');
    ui.keyNote.hidden = !key.note;
  }

  const TYPE_NAMES = {
    single: Quiz.t('Một đáp án'),
    multiple: Quiz.t('Nhiều đáp án'),
    true_false: Quiz.t('Đúng / Sai'),
    text: Quiz.t('Tự luận ngắn'),
    number: Quiz.t('Điền số'),
    order: Quiz.t('Sắp xếp thứ tự'),
  };

  function renderTeams(v) {
    const teams = v.teams || [];
    const conns = v.connections || {};
    const links = v.links || {};
    const odd = v.odd_links || {};
    const answers = {};
    for (const a of v.answers || []) answers[a.team] = a;
    const results = {};
    for (const r of (v.reveal && v.reveal.results) || []) results[r.team] = r;
    const buzz = v.buzz;
    const locked = new Set(buzz ? buzz.locked_out : []);
    const isAll = v.round && v.round.format === 'all' && v.question;
    // Judged rounds (the judges' scores) and Rung chuông vàng (the players' answers) have no team answer to enter.
    const judged = v.round && (v.round.format === 'judged' || v.round.format === 'elimination');

    const online = teams.filter((t) => (conns[t.id] || 0) > 0).length;
    const answered = teams.filter((t) => t.answered).length;
    // Cut off from the server, the console knows nothing about the teams' links.
    const known = state.online;
    // Teams with no devices of their own (Rung chuông vàng, judged rounds only): no link to show.
    const noDevices = !!(v.readiness && v.readiness.team_devices === false);
    const parts = noDevices ? [] : [known ? Quiz.t('Đã kết nối {n}/{of}', { n: online, of: teams.length }) : Quiz.t('Chưa rõ kết nối của các đội')];
    if (isAll) parts.push(Quiz.t('Đã trả lời {n}/{of}', { n: answered, of: teams.length }));
    if (typeof v.boards_connected === 'number') parts.push(Quiz.t('Màn hình trình chiếu: {n}', { n: v.boards_connected }));
    renderSound(v);
    setText(ui.teamsSummary, parts.join(' · '));

    fill(ui.teamsGrid, teams.map((t) => {
      const n = conns[t.id] || 0;
      const a = answers[t.id];
      const r = results[t.id];
      let cls = 'm-team';
      if (!known) cls += ' m-team--unknown';
      else if (!n && !noDevices) cls += ' m-team--offline';
      if (buzz && buzz.winner === t.id) cls += ' m-team--winner';
      const lines = [];
      if (isAll) {
        if (a && a.answer !== null) {
          // True/false: the card reads the verdict ("✓ Đúng" / "✗ Sai"), the team's pick beside it.
          const tf = v.question.type === 'true_false' && (a.correct === true || a.correct === false);
          lines.push(el('p', { class: 'm-team__answer' + (a.correct === true ? ' is-right' : a.correct === false ? ' is-wrong' : '') },
            el('span', { class: 'm-team__mark', text: a.correct === true ? '✓' : a.correct === false ? '✗' : '' }),
            el('span', { class: 'm-team__value', text: tf ? (a.correct ? Quiz.t('Đúng') : Quiz.t('Sai')) : a.answer }),
            tf ? el('span', { class: 'm-team__time', text: Quiz.t('đội chọn: {answer}', { answer: a.answer }) }) : null,
            a.by_hand ? el('span', { class: 'm-team__time', text: Quiz.t('nhập tay') }) : null,
            a.time_ms !== null ? el('span', { class: 'm-team__time', text: Quiz.formatSeconds(a.time_ms) }) : null));
        } else {
          const over = v.phase === 'closed' || v.phase === 'revealed';
          lines.push(el('p', { class: 'm-team__answer is-none',
            text: over ? Quiz.t('Đã hết giờ — không trả lời') : Quiz.t('Chưa trả lời') }));
        }
      }
      if (odd[t.id]) lines.push(el('p', { class: 'm-team__flag is-wrong', text: odd[t.id] === 'high' ? Quiz.t('Mạng chậm') : Quiz.t('Mạng chập chờn') }));
      if (locked.has(t.id)) lines.push(el('p', { class: 'm-team__flag is-wrong', text: Quiz.t('Bấm sớm — mất quyền') }));
      if (r && (r.correct !== null || r.points)) {
        lines.push(el('p', { class: 'm-team__points' + (r.points < 0 ? ' is-wrong' : r.points > 0 ? ' is-right' : '') },
          Quiz.formatPoints(r.points)));
      }
      const conn = !known ? Quiz.t('Chưa rõ') : n === 0 ? Quiz.t('Chưa kết nối') : n === 1 ? Quiz.t('Đã kết nối')
        : Quiz.t('{n} máy', { n });
      return el('div', { class: cls, dataset: { team: t.id } },
        el('div', { class: 'm-team__head' },
          el('span', { class: 'm-team__name', text: t.name, title: t.name }),
          noDevices ? null : el('span', { class: 'm-team__conn' + (!known ? ' is-unknown' : n ? ' is-on' : ' is-off'),
            title: known && links[t.id] !== undefined ? Quiz.t('Độ trễ {ms} ms', { ms: links[t.id] }) : '' }, conn)),
        lines,
        el('div', { class: 'm-team__tools' },
          el('button', { type: 'button', class: 'm-team__tool', dataset: { action: 'adjust', team: t.id },
            title: Quiz.t('Điều chỉnh điểm của {team}', { team: t.name }) }, Quiz.t('± Điểm')),
          // A judged round has no answers to enter: the judges' scores are its corrections.
          judged ? null : el('button', { type: 'button', class: 'm-team__tool', dataset: { action: 'set-answer', team: t.id },
            title: Quiz.t('Nhập đáp án thay {team}', { team: t.name }) }, Quiz.t('Nhập đáp án'))));
    }));
  }

  /** The format's part (the buzz order of `buzzer`): static/js/formats/. */
  function renderFormat(v) {
    Quiz.drawFormat('mc', v, document, command);
  }

  function renderScores(v) {
    setText(ui.scoresToggle.firstChild, (v.show_scoreboard ? Quiz.t('Ẩn bảng điểm trên màn hình') : Quiz.t('Hiện bảng điểm trên màn hình')) + ' ');
    ui.scoresToggle.classList.toggle('is-on', !!v.show_scoreboard);
    const rows = (v.scoreboard || []).slice().sort((a, b) => a.rank - b.rank);
    fill(ui.scoresBody, rows.map((r) => {
      const [arrow, dir] = Quiz.rankMove(r);
      const move = dir === 'same' ? '' : ' ' + arrow;
      return el('tr', { dataset: { team: r.team } },
        el('td', {}, String(r.rank), el('span', { class: 'm-move' + (dir === 'up' ? ' is-up' : ' is-down'), text: move })),
        el('td', { text: r.name }),
        el('td', { class: 'num m-total', text: Quiz.formatNumber(r.total) }),
        el('td', { class: 'num', text: String(r.correct) }),
        el('td', { class: 'num', text: r.answer_time_ms ? Quiz.formatSeconds(r.answer_time_ms) : '' }));
    }));
  }

  const KIND_NAMES = {
    adjust: Quiz.t('Điều chỉnh điểm'),
    set_answer: Quiz.t('Nhập đáp án thay đội'),
    void: Quiz.t('Hủy kết quả câu hỏi'),
  };

  function questionName(id) {
    const a = ((state.view && state.view.asked) || []).find((x) => x.id === id);
    return a ? Quiz.t('Phần {round} – Câu {n}', { round: a.round + 1, n: a.number }) : id;
  }

  function correctionText(c) {
    const bits = [];
    if (c.kind === 'adjust') bits.push(`${c.team_name || c.team}: ${Quiz.formatPoints(c.delta)}`);
    if (c.kind === 'set_answer') {
      let what = c.value !== null && c.value !== undefined ? Quiz.t('đáp án “{value}”', { value: c.value }) : '';
      if (c.correct === true) what = what ? what + ', ' + Quiz.t('chấm Đúng') : Quiz.t('chấm Đúng');
      if (c.correct === false) what = what ? what + ', ' + Quiz.t('chấm Sai') : Quiz.t('chấm Sai');
      bits.push(`${c.team_name || c.team}, ${questionName(c.question)}: ${what}`);
    }
    if (c.kind === 'void') bits.push(questionName(c.question));
    return bits.join(' ');
  }

  function renderJournal(v) {
    const list = (v.corrections || []).slice().reverse();
    ui.journalEmpty.hidden = list.length > 0;
    fill(ui.journal, list.map((c) => el('li', { class: 'm-journal__item' + (c.undone ? ' is-undone' : '') },
      el('p', { class: 'm-journal__head' },
        el('b', { text: `#${c.id} ${KIND_NAMES[c.kind] || c.kind}` }),
        el('span', { class: 'm-journal__time', text: Quiz.formatClockTime(c.at) })),
      el('p', { class: 'm-journal__what', text: correctionText(c) }),
      el('p', { class: 'm-journal__reason' }, Quiz.t('Lý do: {reason}', { reason: c.reason })),
      c.undone ? el('p', { class: 'm-journal__undone' }, c.undo_reason
        ? Quiz.t('Đã hoàn tác — lý do: {reason}', { reason: c.undo_reason }) : Quiz.t('Đã hoàn tác')) : null)));
    ui.journal.start = list.length;
  }

  /* ---------- correction dialogs ---------- */

  let dialogSubmit = null;

  /**
   * A modal form. fields: nodes built by the field helpers below; submit(values)
   * returns a command payload, or a string (an error to show).
   */
  function openDialog(title, fields, submit, options) {
    const opts = options || {};
    setText(ui.dialogTitle, title);
    fill(ui.dialogFields, fields.map((f) => f.node));
    ui.dialogError.hidden = true;
    setText(ui.dialogOk, opts.okLabel || Quiz.t('Xác nhận'));
    ui.dialogOk.className = 'btn' + (opts.danger ? ' btn--bad' : '');
    ui.dialogOk.disabled = false;
    dialogSubmit = () => {
      const values = {};
      for (const f of fields) if (f.name) values[f.name] = f.get();
      const result = submit(values);
      if (typeof result === 'string') { dialogError(result); return; }
      if (opts.confirm && !window.confirm(opts.confirm(values))) return;
      ui.dialogOk.disabled = true;
      command(result, (ack) => {
        ui.dialogOk.disabled = false;
        if (ack.ok) {
          ui.dialog.close();
          toast(opts.done || Quiz.t('Đã ghi nhận'), 'ok');
        } else if (ack.message) dialogError(ack.message);
      });
    };
    ui.dialog.showModal();
    const first = ui.dialogFields.querySelector('input, select, textarea');
    if (first) first.focus();
  }

  function dialogError(message) {
    ui.dialogError.hidden = false;
    setText(ui.dialogError, message);
  }

  ui.dialogForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (dialogSubmit) dialogSubmit();
  });
  ui.dialogCancel.addEventListener('click', () => ui.dialog.close());

  let fieldSeq = 0;
  function field(label, control, name, get, hint) {
    const id = 'f' + (++fieldSeq);
    control.id = id;
    return {
      name,
      get,
      node: el('div', { class: 'm-field' },
        el('label', { for: id, class: 'm-field__label', text: label }), control,
        hint ? el('p', { class: 'm-field__hint', text: hint }) : null),
    };
  }

  /** A select; with `placeholder`, nothing is chosen until the MC chooses. */
  function selectField(label, name, options, selected, placeholder) {
    const select = el('select', { class: 'm-field__control' },
      placeholder ? el('option', { value: '', selected: !selected, disabled: true }, placeholder) : null,
      options.map(([value, text]) => el('option', { value, selected: value === selected }, text)));
    if (placeholder && !selected) select.value = '';
    return field(label, select, name, () => select.value);
  }

  /** The team: none pre-selected, unless the dialog was opened from that team's card. */
  function teamField(selected) {
    return selectField(Quiz.t('Đội thi'), 'team', (state.view.teams || []).map((t) => [t.id, t.name]),
      selected || '', Quiz.t('— Chọn đội thi —'));
  }

  function needTeam(values) {
    return values.team ? null : Quiz.t('Chọn đội thi');
  }

  function questionField(onChange) {
    const v = state.view;
    const asked = (v.asked || []).slice().reverse(); // newest first
    const current = currentQuestionId();
    const f = selectField(Quiz.t('Câu hỏi'), 'question', asked.map((a) => [a.id,
      Quiz.t('Phần {round} – Câu {n}', { round: a.round + 1, n: a.number }) + ': ' + a.text
        + (a.void ? ' ' + Quiz.t('(đã hủy)') : '')]), current);
    if (onChange) f.node.querySelector('select').addEventListener('change', (e) => onChange(e.target.value));
    return f;
  }

  function reasonField() {
    const area = el('textarea', { class: 'm-field__control', rows: '2', maxlength: '500', required: true,
      placeholder: Quiz.t('VD: Ban giám khảo chấp nhận khiếu nại của đội') });
    return field(Quiz.t('Lý do (bắt buộc)'), area, 'reason', () => area.value.trim());
  }

  function needReason(values) {
    return values.reason ? null : Quiz.t('Cần nhập lý do');
  }

  function parseNumber(text) {
    const t = String(text || '').replace(/\s/g, '').replace(',', '.');
    if (!/^[+\-−]?\d+(\.\d+)?$/.test(t)) return NaN;
    return Number(t.replace('−', '-'));
  }

  function openAdjust(team) {
    if (!state.view) return;
    const delta = el('input', { class: 'm-field__control', inputmode: 'decimal', placeholder: Quiz.t('VD: 5 hoặc -5') });
    openDialog(Quiz.t('Điều chỉnh điểm'), [
      teamField(team),
      field(Quiz.t('Số điểm cộng (+) hoặc trừ (−)'), delta, 'delta', () => delta.value),
      reasonField(),
    ], (values) => {
      if (!values.team) return needTeam(values);
      const n = parseNumber(values.delta);
      if (!Number.isFinite(n) || n === 0) return Quiz.t('Nhập số điểm khác 0, ví dụ 5 hoặc -5');
      return needReason(values) || { name: 'adjust', team: values.team, delta: n, reason: values.reason };
    }, { done: Quiz.t('Đã điều chỉnh điểm') });
  }

  function openSetAnswer(team) {
    const v = state.view;
    if (!v) return;
    if (!(v.asked || []).length) { toast(Quiz.t('Chưa có câu hỏi nào đã hỏi'), 'error'); return; }
    const valueBox = el('div', { class: 'm-field' });
    let getValue = () => undefined;
    const mode = el('select', { class: 'm-field__control' });
    const modeField = field(Quiz.t('Cách nhập'), mode, 'mode', () => mode.value);

    function buildValue(qid) {
      const q = state.questions[qid] || (state.view.asked || []).find((x) => x.id === qid);
      const choices = [['right', Quiz.t('Chấm Đúng')], ['wrong', Quiz.t('Chấm Sai')]];
      if (q) choices.push(['value', Quiz.t('Nhập đáp án của đội')]);
      const keep = mode.value;
      // No verdict is pre-selected: the MC picks one.
      fill(mode, el('option', { value: '', disabled: true }, Quiz.t('— Chọn cách nhập —')),
        choices.map(([val, text]) => el('option', { value: val }, text)));
      mode.value = choices.some(([val]) => val === keep) ? keep : '';
      const input = q ? valueInput(q) : null;
      getValue = input ? input.get : () => undefined;
      fill(valueBox, input ? input.nodes : []);
      valueBox.hidden = mode.value !== 'value';
    }
    mode.addEventListener('change', () => { valueBox.hidden = mode.value !== 'value'; });
    const qField = questionField(buildValue);
    const valueField = { name: 'value', get: () => getValue(), node: valueBox };
    openDialog(Quiz.t('Nhập đáp án thay đội (nút)'), [qField, teamField(team), modeField, valueField, reasonField()], (values) => {
      if (!values.team) return needTeam(values);
      if (!values.mode) return Quiz.t('Chọn cách nhập: Chấm Đúng, Chấm Sai hoặc Nhập đáp án của đội');
      const base = { name: 'set_answer', question: values.question, team: values.team, reason: values.reason };
      if (values.mode === 'right' || values.mode === 'wrong') {
        return needReason(values) || Object.assign(base, { correct: values.mode === 'right' });
      }
      const value = values.value;
      if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) {
        return Quiz.t('Nhập đáp án của đội');
      }
      return needReason(values) || Object.assign(base, { value });
    }, { done: Quiz.t('Đã nhập đáp án thay đội') });
    buildValue(qField.get());
  }

  $('#adjust-btn').addEventListener('click', () => openAdjust(''));
  $('#set-answer-btn').addEventListener('click', () => openSetAnswer(''));
  // From a team's card: the same dialogs with that team chosen.
  ui.teamsGrid.addEventListener('click', (event) => {
    const button = event.target.closest('.m-team__tool');
    if (!button || button.disabled) return;
    if (button.dataset.action === 'adjust') openAdjust(button.dataset.team);
    else openSetAnswer(button.dataset.team);
  });

  /** An input for a question's answer, by type: {nodes, get}. */
  function valueInput(q) {
    const label = (text) => el('span', { class: 'm-field__label', text });
    if (q.type === 'single') {
      const s = el('select', { class: 'm-field__control' },
        q.choices.map((c) => el('option', { value: c.key }, `${c.key}. ${c.text}`)));
      return { nodes: [label(Quiz.t('Đáp án của đội')), s], get: () => s.value };
    }
    if (q.type === 'multiple') {
      const boxes = q.choices.map((c) => el('input', { type: 'checkbox', value: c.key }));
      return {
        nodes: [label(Quiz.t('Các phương án đội chọn')), el('div', { class: 'm-checks' },
          boxes.map((b, i) => el('label', { class: 'm-check' }, b, ` ${q.choices[i].key}. ${q.choices[i].text}`)))],
        get: () => boxes.filter((b) => b.checked).map((b) => b.value),
      };
    }
    if (q.type === 'true_false') {
      const s = el('select', { class: 'm-field__control' },
        el('option', { value: 'true' }, Quiz.t('Phương án Đúng')), el('option', { value: 'false' }, Quiz.t('Phương án Sai')));
      return { nodes: [label(Quiz.t('Đáp án của đội')), s], get: () => s.value === 'true' };
    }
    if (q.type === 'order') {
      const i = el('input', { class: 'm-field__control', placeholder: Quiz.t('VD: {example}', { example: q.items.map((x) => x.key).reverse().join(', ') }) });
      return {
        nodes: [label(Quiz.t('Thứ tự đội sắp xếp (các chữ cái, cách nhau bởi dấu phẩy)')), i],
        get: () => i.value.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean),
      };
    }
    const i = el('input', { class: 'm-field__control', inputmode: q.type === 'number' ? 'decimal' : null, maxlength: '200' });
    return {
      nodes: [label(q.type !== 'number' ? Quiz.t('Câu trả lời của đội')
        : q.unit ? Quiz.t('Đáp số của đội ({unit})', { unit: q.unit }) : Quiz.t('Đáp số của đội')), i],
      get: () => i.value.trim(),
    };
  }

  $('#void-btn').addEventListener('click', () => {
    const v = state.view;
    if (!v) return;
    if (!(v.asked || []).length) { toast(Quiz.t('Chưa có câu hỏi nào đã hỏi'), 'error'); return; }
    openDialog(Quiz.t('Hủy kết quả câu hỏi'), [
      el('p', { class: 'm-dialog__note', text: Quiz.t('Toàn bộ điểm của câu hỏi này sẽ bị thu hồi với mọi đội.') }),
      questionField(), reasonField(),
    ].map((f) => (f instanceof Node ? { node: f } : f)), (values) => needReason(values)
      || { name: 'void', question: values.question, reason: values.reason },
    { danger: true, okLabel: Quiz.t('Hủy kết quả'), done: Quiz.t('Đã hủy kết quả câu hỏi'),
      confirm: (values) => Quiz.t('Hủy kết quả {question}? Điểm của mọi đội ở câu này sẽ bị thu hồi.',
        { question: questionName(values.question) }) });
  });

  // Any correction or verdict, newest first, each with a reason (static/js/record.js).
  $('#undo-btn').addEventListener('click', () => {
    if (state.view) Quiz.openUndo(state.view, command);
  });

  /* ---------- start ---------- */

  Quiz.store.remove(OLD_PIN_KEY);
  if (document.body.dataset.login === 'yes') connect();
  else {
    Quiz.showStatus(ui.conn, 'refused');
    showPin(ui.pinError.textContent);
  }
})();
