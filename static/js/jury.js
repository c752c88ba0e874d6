/* The jury's console (Ban giám khảo).
 *
 * What waits for the jury first (appeals, corrections to approve, each with
 * its reason), the sign-off; the current question with every answer's and
 * buzz's timing and every device's link; the scoreboard, the corrections, the
 * appeals and the journal as a timeline filtered by team and question.
 */
(function () {
  'use strict';

  const { el, fill, setText, $ } = Quiz;
  const TIMEOUT_MS = 8000;

  const ui = {
    where: $('#where'), conn: $('#conn'), links: $('#links'), logout: $('#logout'),
    pin: $('#pin'), pinInput: $('#pin-input'), pinError: $('#pin-error'),
    journalHead: $('#journal-head'),
    console: $('#console'), toasts: $('#toasts'),
    todoList: $('#todo-list'), todoEmpty: $('#todo-empty'), todoCount: $('#todo-count'),
    signoffState: $('#signoff-state'), signoffHistory: $('#signoff-history'),
    signoffBtn: $('#signoff-btn'), reopenForm: $('#reopen-form'), reopenReason: $('#reopen-reason'),
    appealsList: $('#appeals-list'), appealsEmpty: $('#appeals-empty'), appealsCard: $('#appeals-card'),
    appealForm: $('#appeal-form'), appealTeam: $('#appeal-team'), appealQuestion: $('#appeal-question'),
    appealText: $('#appeal-text'),
    questionTitle: $('#question-title'), questionText: $('#question-text'), questionKey: $('#question-key'),
    phase: $('#phase'),
    timingsBody: $('#timings-body'), timingsEmpty: $('#timings-empty'),
    devicesBody: $('#devices-body'), scoresBody: $('#scores-body'),
    corrList: $('#corr-list'), corrEmpty: $('#corr-empty'),
    jcForm: $('#jc-form'), jcKind: $('#jc-kind'), jcTeam: $('#jc-team'), jcQuestion: $('#jc-question'),
    jcDelta: $('#jc-delta'), jcReason: $('#jc-reason'),
    tlTeam: $('#tl-team'), tlQuestion: $('#tl-question'), tlRefresh: $('#tl-refresh'),
    timeline: $('#timeline'), timelineCount: $('#timeline-count'),
  };
  const state = { socket: null, view: null, timelineV: -1, timelineTimer: null };

  function toast(message, tone) {
    const node = el('div', { class: 'toast' + (tone ? ' toast--' + tone : ''), role: 'status' }, message);
    ui.toasts.appendChild(node);
    setTimeout(() => node.remove(), tone === 'error' ? 7000 : 3000);
  }

  /** Send a jury command; `done(ok)` after its ack. */
  function send(payload, done) {
    if (!state.socket) return;
    Quiz.request(state.socket, 'jury', payload, (ack) => {
      if (ack && ack.ok) toast(Quiz.t('Đã ghi vào nhật ký'), 'ok');
      else toast((ack && ack.message) || Quiz.t('Không thực hiện được'), 'error');
      if (done) done(Boolean(ack && ack.ok));
    }, TIMEOUT_MS);
  }

  /* ---------- time ---------- */

  function clockMs(ms) {
    if (ms === null || ms === undefined) return '—';
    const d = new Date(ms);
    // The milliseconds after the decimal mark of the page's language.
    return Quiz.formatClockTime(ms) + (Quiz.lang === 'en' ? '.' : ',') + String(d.getMilliseconds()).padStart(3, '0');
  }

  /** A moment relative to the arrival: "−92 ms" (before), "0 ms". */
  function rel(ms, arrival) {
    if (ms === null || ms === undefined || arrival === null || arrival === undefined) return '—';
    const d = Math.round(ms - arrival);
    if (d === 0) return '0 ms';
    return (d > 0 ? '+' : d < 0 ? '\u2212' : '') + Quiz.formatNumber(Math.abs(d), 0) + ' ms';
  }

  function msText(ms) {
    if (ms === null || ms === undefined) return '—';
    return (ms === 0 ? '0' : Quiz.formatNumber(ms, 0)) + ' ms';
  }

  /* ---------- what waits for the jury ---------- */

  function reasonField(id, label) {
    return [
      el('label', { for: id }, label),
      el('textarea', { id, maxlength: 500, rows: 2, required: true }),
    ];
  }

  function appealItem(a) {
    const form = el('form', { class: 'j-form', dataset: { appeal: a.id } });
    const kind = el('select', { id: `ap-kind-${a.id}` },
      el('option', { value: 'right' }, Quiz.t('Chấm Đúng cho đội')),
      el('option', { value: 'wrong' }, Quiz.t('Chấm Sai cho đội')),
      el('option', { value: 'adjust' }, Quiz.t('Điều chỉnh điểm')),
      el('option', { value: 'void' }, Quiz.t('Hủy kết quả câu hỏi')));
    const delta = el('input', { id: `ap-delta-${a.id}`, type: 'number', step: 'any', value: '10', hidden: true });
    kind.addEventListener('change', () => { delta.hidden = kind.value !== 'adjust'; });
    const reasonId = `ap-reason-${a.id}`;
    const accept = el('button', { type: 'submit', class: 'btn btn--ok', dataset: { act: 'accept' } }, Quiz.t('Chấp nhận (nút)'));
    const reject = el('button', { type: 'button', class: 'btn btn--bad', dataset: { act: 'reject' } }, Quiz.t('Không chấp nhận (nút)'));
    fill(form,
      el('label', { for: kind.id }, Quiz.t('Nếu chấp nhận: điều chỉnh')), el('div', { class: 'j-row' }, kind, delta),
      reasonField(reasonId, Quiz.t('Lý do (bắt buộc)')),
      el('div', { class: 'j-row' }, accept, reject));
    function decide(acceptIt) {
      const reason = form.querySelector('textarea').value;
      const payload = { name: 'decide_appeal', id: a.id, accept: acceptIt, reason };
      if (acceptIt) {
        if (kind.value === 'right' || kind.value === 'wrong') {
          payload.kind = 'set_answer';
          payload.correct = kind.value === 'right';
        } else if (kind.value === 'adjust') {
          payload.kind = 'adjust';
          payload.delta = Number(delta.value);
        } else payload.kind = 'void';
      }
      send(payload);
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); decide(true); });
    reject.addEventListener('click', () => {
      if (!form.reportValidity()) return;
      decide(false);
    });
    return el('li', { class: 'j-item j-item--appeal', dataset: { appeal: a.id } },
      el('p', { class: 'j-item__head' },
        el('b', {}, Quiz.t('Khiếu nại số {id}', { id: a.id })), ` — ${a.team_name}, ${a.question_name}`),
      el('p', { class: 'j-item__meta' }, `${Quiz.formatClockTime(a.at)} · ${a.by_text}`),
      el('blockquote', { class: 'j-item__text' }, a.text),
      form);
  }

  function proposalItem(p) {
    const form = el('form', { class: 'j-form', dataset: { proposal: p.id } });
    const approve = el('button', { type: 'submit', class: 'btn btn--ok' }, Quiz.t('Duyệt'));
    const reject = el('button', { type: 'button', class: 'btn btn--bad' }, Quiz.t('Không duyệt'));
    fill(form, reasonField(`pr-reason-${p.id}`, Quiz.t('Lý do (bắt buộc)')), el('div', { class: 'j-row' }, approve, reject));
    function review(ok) {
      send({ name: 'review', id: p.id, approve: ok, reason: form.querySelector('textarea').value });
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); review(true); });
    reject.addEventListener('click', () => { if (form.reportValidity()) review(false); });
    return el('li', { class: 'j-item j-item--proposal', dataset: { proposal: p.id } },
      el('p', { class: 'j-item__head' }, el('b', {}, Quiz.t('Điều chỉnh chờ duyệt số {id}', { id: p.id }))),
      el('p', { class: 'j-item__meta' }, Quiz.formatClockTime(p.at) + ' · ' + Quiz.t('MC đề nghị')),
      el('p', {}, p.label),
      el('p', { class: 'j-item__reason' }, Quiz.t('Lý do của MC: {reason}', { reason: p.reason })),
      form);
  }

  /** Keep what the jury is typing: only rebuild the list when its items change. */
  function renderTodo(v) {
    const appeals = (v.appeals || []).filter((a) => a.status === 'pending');
    const proposals = (v.proposals || []).filter((p) => p.status === 'pending');
    const key = appeals.map((a) => 'a' + a.id).concat(proposals.map((p) => 'p' + p.id)).join(',');
    ui.todoEmpty.hidden = key !== '';
    setText(ui.todoCount, key ? String(appeals.length + proposals.length) : '');
    if (ui.todoList.dataset.key === key) return;
    ui.todoList.dataset.key = key;
    fill(ui.todoList, appeals.map(appealItem), proposals.map(proposalItem));
  }

  function renderSignoff(v) {
    const s = v.signoff || {};
    const finished = v.phase === 'finished';
    if (s.signed) setText(ui.signoffState, Quiz.t('Đã xác nhận kết quả lúc {time}. Mọi điều chỉnh cần mở lại kết quả trước.', { time: Quiz.formatClockTime(s.at) }));
    else if (finished) setText(ui.signoffState, Quiz.t('Hội thi đã kết thúc: Ban giám khảo xác nhận kết quả khi không còn việc chờ xử lý.'));
    else setText(ui.signoffState, Quiz.t('Xác nhận kết quả sau khi hội thi kết thúc.'));
    ui.signoffState.dataset.signed = s.signed ? 'yes' : 'no';
    ui.signoffBtn.hidden = Boolean(s.signed);
    ui.signoffBtn.disabled = !finished;
    ui.reopenForm.hidden = !s.signed;
    fill(ui.signoffHistory, (s.reopenings || []).map((r) =>
      el('li', {}, Quiz.t('Mở lại lúc {time} — {reason}', { time: Quiz.formatClockTime(r.at), reason: r.reason }))));
  }

  function renderAppeals(v) {
    const list = v.appeals || [];
    ui.appealsEmpty.hidden = list.length > 0;
    fill(ui.appealsList, list.slice().reverse().map((a) =>
      el('li', { class: 'j-hist j-hist--' + a.status },
        el('p', {}, el('b', {}, Quiz.t('Số {id}', { id: a.id }) + ` · ${a.team_name} · ${a.question_name}`),
          el('span', { class: 'j-badge j-badge--' + a.status }, a.status_text)),
        el('p', { class: 'j-hist__text' }, a.text),
        a.reason ? el('p', { class: 'j-hist__reason' }, Quiz.t('Lý do: {reason}', { reason: a.reason })) : null)));
    ui.appealsCard.hidden = !(v.jury && v.jury.appeals) && list.length === 0;
    // the appeal form: teams, and the questions already revealed
    const teams = (v.teams || []).map((t) => t.id + ':' + t.name).join('|');
    if (ui.appealTeam.dataset.key !== teams) {
      ui.appealTeam.dataset.key = teams;
      fill(ui.appealTeam, (v.teams || []).map((t) => el('option', { value: t.id }, t.name)));
    }
    const asked = (v.asked || []).filter((q) => q.id !== (v.question && v.question.id) || v.phase === 'revealed' || v.phase === 'finished');
    const qkey = asked.map((q) => q.id).join('|');
    if (ui.appealQuestion.dataset.key !== qkey) {
      ui.appealQuestion.dataset.key = qkey;
      fill(ui.appealQuestion, asked.slice().reverse().map((q) =>
        el('option', { value: q.id }, Quiz.t('Phần {round} – Câu {n}', { round: q.round + 1, n: q.number }) + ': ' + q.text)));
    }
  }

  /* ---------- now ---------- */

  function renderQuestion(v) {
    const q = v.question;
    setText(ui.phase, Quiz.phaseLabel ? Quiz.phaseLabel(v) : v.phase);
    if (!q) {
      setText(ui.questionTitle, Quiz.t('Câu hỏi hiện tại'));
      setText(ui.questionText, v.phase === 'finished' ? Quiz.t('Hội thi đã kết thúc.') : Quiz.t('Chưa có câu hỏi.'));
      setText(ui.questionKey, '');
      return;
    }
    setText(ui.questionTitle, (v.round ? v.round.title + ' — ' : '') + Quiz.t('Câu {n}/{of}', { n: q.number, of: q.of }));
    setText(ui.questionText, q.text);
    setText(ui.questionKey, v.key ? Quiz.t('Đáp án đúng: {answer}', { answer: v.key.answer }) : '');
  }

  function renderTimings(v) {
    const rows = v.timings || [];
    ui.timingsEmpty.hidden = rows.length > 0;
    fill(ui.timingsBody, rows.map((t) => el('tr', { dataset: { team: t.team, kind: t.kind }, class: t.clamped ? 'j-clamped' : '' },
      el('td', {}, t.name),
      el('td', { class: 'j-nowrap' }, t.kind === 'buzz' ? Quiz.t('Bấm chuông') : Quiz.t('Đáp án')),
      el('td', { class: 'j-num' }, Quiz.t('{n} giây', { n: Quiz.formatNumber(t.time_ms / 1000, 3) })),
      el('td', { class: 'j-mono' }, clockMs(t.arrival)),
      el('td', { class: 'j-mono' }, rel(t.claimed, t.arrival)),
      el('td', { class: 'j-mono' }, rel(t.earliest, t.arrival)),
      el('td', { class: 'j-mono' }, rel(t.accepted, t.arrival), t.clamped ? el('span', { class: 'j-badge j-badge--warn', title: Quiz.t('Thời điểm máy báo nằm ngoài giới hạn, đã được giới hạn lại') }, Quiz.t('giới hạn')) : null))));
  }

  function renderDevices(v) {
    const list = v.devices || [];
    fill(ui.devicesBody, list.length ? list.map((d) => el('tr', { class: d.odd ? 'j-odd' : '' },
      el('td', {}, d.name),
      el('td', { class: 'j-mono' }, msText(d.rtt_ms)),
      el('td', { class: 'j-mono' }, msText(d.last_rtt_ms)),
      el('td', { class: 'j-mono' }, d.role === 'team' ? msText(d.trust_ms) : '—'),
      el('td', { class: 'j-mono' }, d.offset_ms === null || d.offset_ms === undefined ? '—' : rel(d.offset_ms, 0)))) :
      el('tr', {}, el('td', { colspan: 5 }, Quiz.t('Chưa có thiết bị nào kết nối.'))));
  }

  function renderScores(v) {
    fill(ui.scoresBody, (v.scoreboard || []).map((s) => el('tr', {},
      el('td', {}, String(s.rank)), el('td', {}, s.name), el('td', { class: 'j-num' }, Quiz.formatNumber(s.total)))));
  }

  function renderCorrections(v) {
    const list = (v.corrections || []).slice().reverse();
    const proposals = (v.proposals || []).filter((p) => p.status !== 'pending').slice().reverse();
    ui.corrEmpty.hidden = list.length + proposals.length > 0;
    fill(ui.corrList,
      list.map((c) => el('li', { class: 'j-hist' + (c.undone ? ' j-hist--undone' : '') },
        el('p', {}, el('b', {}, Quiz.t('Số {id}', { id: c.id })), ` · ${Quiz.formatClockTime(c.at)} · ${c.label || c.team_name || c.question || ''}`,
          c.undone ? el('span', { class: 'j-badge' }, Quiz.t('Đã hoàn tác')) : null),
        el('p', { class: 'j-hist__reason' }, Quiz.t('Lý do: {reason}', { reason: c.reason })))),
      proposals.filter((p) => p.status === 'rejected').map((p) => el('li', { class: 'j-hist j-hist--rejected' },
        el('p', {}, el('b', {}, Quiz.t('Đề nghị {id}', { id: p.id })), ` · ${p.label}`, el('span', { class: 'j-badge j-badge--rejected' }, Quiz.t('Không duyệt'))),
        el('p', { class: 'j-hist__reason' }, Quiz.t('Lý do: {reason}', { reason: p.review_reason })))));
  }

  /* ---------- the jury's own corrections ---------- */

  // Which fields each kind needs: adjust (team, points), right/wrong (team,
  // question), void (question), undo (the reason only).
  const JC_FIELDS = { adjust: ['team', 'delta'], right: ['team', 'question'], wrong: ['team', 'question'],
    void: ['question'], undo: [] };

  function showJuryFields() {
    const need = JC_FIELDS[ui.jcKind.value] || [];
    document.querySelectorAll('[data-jc]').forEach((node) => { node.hidden = !need.includes(node.dataset.jc); });
    ui.jcDelta.required = need.includes('delta');
  }

  function renderJuryCorrection(v) {
    const teams = (v.teams || []).map((t) => t.id + ':' + t.name).join('|');
    if (ui.jcTeam.dataset.key !== teams) {
      ui.jcTeam.dataset.key = teams;
      fill(ui.jcTeam, (v.teams || []).map((t) => el('option', { value: t.id }, t.name)));
    }
    const asked = v.asked || [];
    const qkey = asked.map((q) => q.id).join('|');
    if (ui.jcQuestion.dataset.key !== qkey) {
      ui.jcQuestion.dataset.key = qkey;
      const chosen = ui.jcQuestion.value;
      fill(ui.jcQuestion, asked.slice().reverse().map((q) =>
        el('option', { value: q.id }, Quiz.t('Phần {round} – Câu {n}', { round: q.round + 1, n: q.number }) + ': ' + q.text)));
      if (chosen) ui.jcQuestion.value = chosen;
    }
  }

  function juryCorrection() {
    const kind = ui.jcKind.value;
    const reason = ui.jcReason.value;
    if (kind === 'adjust') return { name: 'adjust', team: ui.jcTeam.value, delta: Number(ui.jcDelta.value), reason };
    if (kind === 'right' || kind === 'wrong') {
      return { name: 'set_answer', team: ui.jcTeam.value, question: ui.jcQuestion.value, correct: kind === 'right', reason };
    }
    if (kind === 'void') return { name: 'void', question: ui.jcQuestion.value, reason };
    return { name: 'undo', reason };
  }

  /* ---------- the journal as a timeline ---------- */

  function renderFilters(v) {
    const teams = (v.teams || []).map((t) => t.id).join('|');
    if (ui.tlTeam.dataset.key !== teams) {
      ui.tlTeam.dataset.key = teams;
      const chosen = ui.tlTeam.value;
      fill(ui.tlTeam, el('option', { value: '' }, Quiz.t('Tất cả')), (v.teams || []).map((t) => el('option', { value: t.id }, t.name)));
      ui.tlTeam.value = chosen;
    }
    const asked = (v.asked || []).map((q) => q.id).join('|');
    if (ui.tlQuestion.dataset.key !== asked) {
      ui.tlQuestion.dataset.key = asked;
      const chosen = ui.tlQuestion.value;
      fill(ui.tlQuestion, el('option', { value: '' }, Quiz.t('Tất cả')), (v.asked || []).map((q) =>
        el('option', { value: q.id }, Quiz.t('Phần {round} – Câu {n}', { round: q.round + 1, n: q.number }))));
      ui.tlQuestion.value = chosen;
    }
  }

  function loadTimeline() {
    if (!state.socket) return;
    const payload = {};
    if (ui.tlTeam.value) payload.team = ui.tlTeam.value;
    if (ui.tlQuestion.value) payload.question = ui.tlQuestion.value;
    Quiz.request(state.socket, 'timeline', payload, (ack) => {
      if (!ack || !ack.ok) return;
      setText(ui.timelineCount, Quiz.t('{n}/{of} mục', { n: ack.matched, of: ack.total }));
      fill(ui.timeline, ack.entries.map((e) => el('li', { class: 'j-tl j-tl--' + e.type, dataset: { type: e.type } },
        el('span', { class: 'j-tl__at j-mono' }, clockMs(e.at)),
        el('span', { class: 'j-tl__what' }, e.what),
        e.team_name ? el('span', { class: 'j-tl__team' }, e.team_name) : null,
        e.question_name ? el('span', { class: 'j-tl__q' }, e.question_name) : null,
        e.detail ? el('span', { class: 'j-tl__detail' }, e.detail) : null,
        e.arrival ? el('span', { class: 'j-tl__timing j-mono' },
          Quiz.t('nhận {arrival} · máy báo {claimed} · giới hạn {earliest} · công nhận {pressed}', {
            arrival: clockMs(e.arrival), claimed: rel(e.claimed, e.arrival),
            earliest: rel(e.earliest, e.arrival), pressed: rel(e.pressed, e.arrival),
          })) : null)));
    }, TIMEOUT_MS);
  }

  /** The timeline follows the journal, at most once a second. */
  function timelineSoon() {
    if (state.timelineTimer) return;
    state.timelineTimer = setTimeout(() => { state.timelineTimer = null; loadTimeline(); }, 1000);
  }

  /* ---------- the whole ---------- */

  function render() {
    const v = state.view;
    if (!v) return;
    setText(ui.where, v.round
      ? v.round.title + (v.question ? ' · ' + Quiz.t('Câu {n}/{of}', { n: v.question.number, of: v.question.of }) : '')
      : (v.phase === 'finished' ? Quiz.t('Hội thi đã kết thúc') : Quiz.t('Chưa bắt đầu')));
    if (v.journal) {
      setText(ui.journalHead, Quiz.t('Nhật ký: {entries} mục · {head}',
        { entries: v.journal.entries, head: String(v.journal.head || '').slice(0, 12) }));
    }
    renderTodo(v);
    renderSignoff(v);
    renderAppeals(v);
    renderQuestion(v);
    renderTimings(v);
    renderDevices(v);
    renderScores(v);
    renderCorrections(v);
    renderJuryCorrection(v);
    renderFilters(v);
    if (v.v !== state.timelineV) {
      state.timelineV = v.v;
      timelineSoon();
    }
  }

  function showPin(message) {
    ui.console.hidden = true;
    ui.links.hidden = true;
    ui.pin.hidden = false;
    if (message) {
      ui.pinError.hidden = false;
      setText(ui.pinError, message);
    }
    ui.pinInput.focus();
  }

  function connect() {
    ui.pin.hidden = true;
    state.socket = Quiz.connect({ role: 'jury' }, {
      indicator: ui.conn,
      onRefused(err) {
        if (state.socket) state.socket.disconnect();
        state.socket = null;
        showPin(err.message || Quiz.t('Hãy đăng nhập bằng mã PIN của Ban giám khảo'));
      },
      onConnect() {
        ui.console.hidden = false;
        ui.links.hidden = false;
        ui.logout.hidden = false;
        loadTimeline();
      },
      onState(view) {
        state.view = view;
        render();
      },
    });
  }

  ui.signoffBtn.addEventListener('click', () => send({ name: 'sign_off' }));
  ui.reopenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ name: 'reopen', reason: ui.reopenReason.value }, (ok) => { if (ok) ui.reopenReason.value = ''; });
  });
  ui.jcKind.addEventListener('change', showJuryFields);
  showJuryFields();
  ui.jcForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send(juryCorrection(), (ok) => { if (ok) ui.jcReason.value = ''; });
  });
  ui.appealForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ name: 'appeal', team: ui.appealTeam.value, question: ui.appealQuestion.value, text: ui.appealText.value },
      (ok) => { if (ok) ui.appealText.value = ''; });
  });
  ui.tlTeam.addEventListener('change', loadTimeline);
  ui.tlQuestion.addEventListener('change', loadTimeline);
  ui.tlRefresh.addEventListener('click', loadTimeline);

  if (document.body.dataset.login === 'yes') connect();
  else showPin('');
})();
