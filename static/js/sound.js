/* Sound on the board, and the Screen Wake Lock on tablets.
 *
 * Quiz.BoardSound: the board's sound effects (static/sounds, made by
 * scripts/make_sounds.py). Browsers block sound until the page is clicked, so
 * the board asks for one click; after that it plays the last 5 s of the
 * countdown, time up, a buzz won and the reveal, unless muted on the board
 * (remembered on this machine) or by the MC (the view's `sound`). It tells the
 * server whether it can play (`board_sound`), so the MC sees it.
 *
 * Quiz.keepAwake(): holds a screen wake lock and takes it again whenever the
 * page becomes visible (the browser drops it when the tab is hidden).
 */
(function (global) {
  'use strict';

  const { setText } = Quiz;
  const FILES = { tick: 'tick.wav', timeup: 'timeup.wav', buzz: 'buzz.wav', reveal: 'reveal.wav' };
  const MUTE_KEY = 'quiz.board.muted';

  class BoardSound {
    /** button: the board's sound button (it also asks for the enabling click). */
    constructor(button) {
      this.button = button;
      this.unlocked = false;
      this.muted = Quiz.store.get(MUTE_KEY) === '1';
      this.mcOn = true;
      this.socket = null;
      this.reported = null;
      this.played = []; // names, newest last (the page's own record, for the MC and tests)
      this.audio = {};
      for (const [name, file] of Object.entries(FILES)) {
        const a = new Audio('/static/sounds/' + file);
        a.preload = 'auto';
        this.audio[name] = a;
      }
      // Memory of what was already announced, so a redraw never replays a sound.
      this.last = { q: null, phase: null, winner: null, second: null };
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        if (!this.unlocked) this.unlock();
        else this.setMuted(!this.muted);
      });
      // One click anywhere on the board enables sound.
      const once = () => { if (!this.unlocked) this.unlock(); };
      global.document.addEventListener('pointerdown', once);
      global.document.addEventListener('keydown', once);
      this.draw();
    }

    /** The user's click: browsers allow sound from here on. */
    unlock() {
      this.unlocked = true;
      for (const a of Object.values(this.audio)) {
        // Playing muted once inside the gesture unlocks each element.
        a.muted = true;
        const p = a.play();
        const reset = () => { a.pause(); a.currentTime = 0; a.muted = false; };
        if (p && p.then) p.then(reset, reset); else reset();
      }
      this.draw();
    }

    setMuted(muted) {
      this.muted = muted;
      Quiz.store.set(MUTE_KEY, muted ? '1' : '0');
      this.draw();
    }

    /** Can sound play right now? */
    on() {
      return this.unlocked && !this.muted && this.mcOn;
    }

    attach(socket) {
      this.socket = socket;
      this.reported = null;
      this.report();
    }

    report() {
      const on = this.unlocked && !this.muted;
      if (!this.socket || !this.socket.connected || this.reported === on) return;
      this.reported = on;
      this.socket.emit('board_sound', { on }, () => {});
    }

    draw() {
      const state = !this.unlocked ? 'locked' : this.muted ? 'muted' : this.mcOn ? 'on' : 'mc-off';
      global.document.body.dataset.sound = state;
      this.button.dataset.state = state;
      const t = global.Quiz.t;
      setText(this.button, {
        locked: t('Nhấn để bật âm thanh'),
        on: t('Âm thanh: bật'),
        muted: t('Đã tắt tiếng'),
        'mc-off': t('MC đã tắt tiếng'),
      }[state]);
      this.button.setAttribute('aria-pressed', state === 'on' ? 'true' : 'false');
      this.report();
    }

    play(name) {
      if (!this.on()) return;
      const a = this.audio[name];
      if (!a) return;
      this.played.push(name);
      global.document.body.dataset.lastSound = name;
      global.document.body.dataset.played = this.played.slice(-30).join(' ');
      try {
        a.currentTime = 0;
        const p = a.play();
        if (p && p.catch) p.catch(() => {});
      } catch (e) { /* a device without audio output */ }
    }

    /** A new view: the MC's switch, a buzz won, time up, the reveal. */
    update(view) {
      if (typeof view.sound === 'boolean' && view.sound !== this.mcOn) {
        this.mcOn = view.sound;
        this.draw();
      }
      const q = view.question ? view.question.id : null;
      const last = this.last;
      const sameQ = q === last.q;
      const winner = view.buzz ? view.buzz.winner : null;
      if (sameQ && winner && winner !== last.winner) this.play('buzz');
      if (sameQ && view.phase === 'revealed' && last.phase !== 'revealed') this.play('reveal');
      if (sameQ && view.phase === 'closed' && last.phase === 'open' && view.close_reason === 'time') {
        if (last.second !== 0) this.play('timeup');
        last.second = 0;
      }
      last.q = q;
      last.phase = view.phase;
      last.winner = winner;
    }

    /** Every countdown frame: a tick for each of the last 5 seconds, the time-up sound at 0. */
    tick(ms, clock) {
      if (!clock || !clock.running || ms === null) { this.last.second = null; return; }
      const second = Math.ceil(ms / 1000);
      if (second === this.last.second) return;
      const before = this.last.second;
      this.last.second = second;
      if (before === null) return; // the first frame of a clock: nothing crossed yet
      if (second >= 1 && second <= 5) this.play('tick');
      else if (second === 0 && before <= 5) this.play('timeup'); // ran out (not "Dừng sớm")
    }
  }
  Quiz.BoardSound = BoardSound;

  /* ---------- wake lock ---------- */

  /** Keep the screen on; returns a status getter ('on' | 'off' | 'unsupported'). */
  let awake = false;
  Quiz.keepAwake = function () {
    if (awake) return; // once per page: a second call would add its listeners again
    awake = true;
    const doc = global.document;
    let sentinel = null;
    function mark(status) { doc.body.dataset.wakelock = status; }
    if (!('wakeLock' in global.navigator)) { mark('unsupported'); return; }
    mark('off');
    async function acquire() {
      if (doc.visibilityState !== 'visible' || sentinel) return;
      try {
        sentinel = await global.navigator.wakeLock.request('screen');
        mark('on');
        sentinel.addEventListener('release', () => { sentinel = null; mark('off'); });
      } catch (e) {
        mark('off'); // refused (battery saver, no gesture yet): try again on the next tap
      }
    }
    doc.addEventListener('visibilitychange', acquire);
    doc.addEventListener('pointerdown', acquire);
    acquire();
  };
})(window);
