/* A player's phone (Rung chuông vàng): join with the card's code, then the
 * format's own screen part (static/js/formats/<format>.js) draws every view.
 * The code comes from the QR link (/p/<code>), this phone's storage, or is typed. */
(function () {
  'use strict';

  const { $, setText } = Quiz;
  const STORE = 'quiz-player-code';
  const ui = {
    join: $('#join'), form: $('#join-form'), input: $('#join-code'), error: $('#join-error'),
    play: $('#play'), offline: $('#offline'), conn: $('#conn'),
  };
  let socket = null;
  let view = null;

  function stored() {
    try { return localStorage.getItem(STORE) || ''; } catch (e) { return ''; }
  }
  function store(code) {
    try {
      if (code) localStorage.setItem(STORE, code);
      else localStorage.removeItem(STORE);
    } catch (e) { /* private mode: the code is typed again after a reload */ }
  }

  function showJoin(message) {
    ui.conn.hidden = true; // nothing to connect to before a code is given
    ui.join.hidden = false;
    ui.play.hidden = true;
    ui.error.hidden = !message;
    setText(ui.error, message || '');
  }

  /** Send this player's answer; `done(ack)` with the server's answer. */
  function send(payload, done) {
    if (!socket || !socket.connected) {
      done({ ok: false, error: 'offline', message: Quiz.t('Mất kết nối — chưa gửi được, hãy thử lại') });
      return;
    }
    Quiz.request(socket, 'answer', payload, done, 8000);
  }

  /** Another phone holds this player's number: wait here until the MC approves this one. */
  function showWaiting(data) {
    view = null;
    ui.play.hidden = false;
    ui.play.replaceChildren(Quiz.waitCard(data));
  }

  /** The MC moved this player to another phone, or refused this one: back to the join form. */
  function leave(message) {
    if (socket) socket.disconnect();
    socket = null;
    view = null;
    store('');
    window.history.replaceState(null, '', Quiz.withLang('/player'));
    ui.play.replaceChildren();
    showJoin(message);
  }

  function draw() {
    if (!view) return;
    const part = window.QuizFormats && window.QuizFormats.elimination;
    if (part && part.player) part.player(view, ui.play, send);
  }

  function join(code) {
    if (socket) socket.disconnect();
    ui.join.hidden = true;
    ui.conn.hidden = false;
    Quiz.keepAwake(); // a phone that sleeps mid-question loses its answer (sound.js)
    socket = Quiz.connect({ role: 'player', code, device: Quiz.deviceId() }, {
      indicator: ui.conn,
      onStatus(status) {
        ui.offline.hidden = !(status === 'reconnecting' || status === 'offline');
      },
      onRefused(err) {
        if (socket) socket.disconnect();
        socket = null;
        if (err.code === 'bad_code') store('');
        showJoin(err.message || Quiz.t('Mã tham gia không đúng'));
      },
      onState(v) {
        store(code);
        if (window.location.pathname !== '/player') window.history.replaceState(null, '', Quiz.withLang('/player'));
        view = v;
        ui.play.hidden = false;
        draw();
      },
    });
    // One device per player (docs/protocol.md "One device per team"): this one may wait.
    socket.on('device_wait', (data) => showWaiting(data || {}));
    socket.on('device_replaced', (data) => leave((data && data.message) || ''));
    socket.on('device_refused', (data) => leave((data && data.message) || ''));
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = ui.input.value.trim().toUpperCase();
    if (!/^[A-Z0-9]{6}$/.test(code)) {
      showJoin(Quiz.t('Mã tham gia gồm 6 chữ cái hoặc chữ số'));
      return;
    }
    join(code);
  });

  const first = (document.body.dataset.code || stored()).trim().toUpperCase();
  if (first) join(first);
  else showJoin('');
})();
