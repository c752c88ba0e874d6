/* A judge's phone or laptop (Màn hình giám khảo): joins with the judge's
 * code (from /g/<code>, storage, or the form) and draws the judged round's
 * judge part (static/js/formats/judged.js), which sends `score`.
 */
(function () {
  'use strict';

  const { $, setText } = Quiz;
  const STORE_KEY = 'quiz.judge.code';
  const ui = {
    join: $('#join'), play: $('#play'), form: $('#join-form'), code: $('#join-code'),
    error: $('#join-error'), conn: $('#conn'), line: $('#judge-line'), name: $('#judge-name'),
    root: $('#judge-root'),
  };
  const local = { turn: null, draft: null, status: '' };
  let socket = null;
  let drawnSig = null;

  const normalise = (s) => String(s || '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);

  function showJoin(error) {
    ui.join.hidden = false;
    ui.play.hidden = true;
    ui.error.hidden = !error;
    setText(ui.error, error || '');
  }

  function send(payload, done) {
    if (!socket || !socket.connected) { done({ ok: false, message: Quiz.t('Mất kết nối — điểm chưa được gửi') }); return; }
    Quiz.request(socket, 'score', payload, done, 8000);
  }

  function render(view) {
    ui.line.hidden = false;
    setText(ui.name, view.me ? view.me.name : '');
    const t = view.turn;
    // Redraw only when what the judge sees changes: typing is not wiped by other judges' scores.
    const sig = JSON.stringify([view.phase, view.round && view.round.id, view.round && view.round.mine, t && t.question,
      t && t.may_score, t && t.shown, t && t.mine, t && t.public && t.public.points]);
    if (sig === drawnSig) return;
    drawnSig = sig;
    window.QuizFormats.judged.judge(view, ui.root, send, local);
  }

  /** Another device holds this judge: wait here until the MC approves this one. */
  function showWaiting(data) {
    drawnSig = null;
    ui.line.hidden = false;
    setText(ui.name, data.who ? data.who.name : '');
    ui.root.replaceChildren(Quiz.waitCard(data, 'h2'));
  }

  /** The MC moved this judge to another device, or refused this one: back to the join form. */
  function leave(message) {
    if (socket) socket.disconnect();
    socket = null;
    Quiz.store.remove(STORE_KEY);
    history.replaceState(null, '', Quiz.withLang('/judge'));
    ui.root.replaceChildren();
    ui.line.hidden = true;
    showJoin(message);
  }

  function join(code) {
    if (socket) socket.disconnect();
    ui.join.hidden = true;
    ui.play.hidden = false;
    drawnSig = null;
    socket = Quiz.connect({ role: 'judge', code, device: Quiz.deviceId() }, {
      indicator: ui.conn,
      onRefused(err) {
        if (socket) socket.disconnect();
        socket = null;
        Quiz.store.remove(STORE_KEY);
        showJoin((err.message || Quiz.t('Mã giám khảo không đúng')) + (err.code === 'bad_code' ? ': ' + code : ''));
      },
      onConnect() {
        Quiz.store.set(STORE_KEY, code);
        const path = '/g/' + encodeURIComponent(code);
        if (location.pathname !== path) history.replaceState(null, '', Quiz.withLang(path)); // keeps ?lang=
      },
      onState(view) { render(view); },
    });
    // One device per judge (docs/protocol.md "One device per team"): this one may wait.
    socket.on('device_wait', (data) => showWaiting(data || {}));
    socket.on('device_replaced', (data) => leave((data && data.message) || ''));
    socket.on('device_refused', (data) => leave((data && data.message) || ''));
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = normalise(ui.code.value);
    if (code.length !== 6) { ui.error.hidden = false; setText(ui.error, Quiz.t('Mã giám khảo gồm đúng 6 ký tự')); return; }
    join(code);
  });

  const start = normalise(document.body.dataset.code) || normalise(Quiz.store.get(STORE_KEY));
  if (start) join(start);
  else showJoin('');
})();
