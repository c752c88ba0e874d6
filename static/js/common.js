/* Shared by the board, the team tablet and the MC console.
 *
 * - Quiz.connect(): one Socket.IO connection with its auth, ping answers,
 *   clock sync, view ordering and a connection indicator.
 * - Quiz.clock / Quiz.serverNow(): the estimated server time.
 * - Quiz.Countdown: draws a countdown from a view's `clock`.
 * - DOM helpers that only ever create TEXT from data (never innerHTML).
 * - Vietnamese formatting of numbers, points, dates and milliseconds.
 */
(function (global) {
  'use strict';

  const Quiz = {};

  /* ---------- Words in the page's language ---------- */

  /** The page's language ("vi" or "en"), from <html lang>. */
  Quiz.lang = (document.documentElement.lang || 'vi').slice(0, 2);

  /** t('Câu {n}', {n: 3}): a message in the page's language (its id is the
   * Vietnamese text; the catalogue is /i18n/<lang>.js, docs/i18n.md), its
   * {name} fields filled. Write the id as one plain string literal, so that
   * `python -m quiz.files.locale update` finds it. */
  function t(message, fields) {
    const table = global.QUIZ_I18N || {};
    const found = Object.prototype.hasOwnProperty.call(table, message) ? table[message] : message;
    if (!fields) return found;
    return found.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole);
  }
  Quiz.t = t;

  /** The page's `?lang=` (or '' without one): kept on the links and forms that
   * lead to another screen, so that a screen opened in English stays so. */
  Quiz.langParam = (function () {
    try {
      const asked = new URLSearchParams(global.location.search).get('lang');
      return asked === 'vi' || asked === 'en' ? asked : '';
    } catch (e) {
      return '';
    }
  })();

  /** `url` with the page's `?lang=` added (unchanged when the page has none). */
  Quiz.withLang = function (url) {
    if (!Quiz.langParam || /[?&]lang=/.test(url)) return url;
    const [path, hash] = String(url).split('#');
    const joined = path + (path.includes('?') ? '&' : '?') + 'lang=' + Quiz.langParam;
    return hash === undefined ? joined : joined + '#' + hash;
  };

  /* ---------- DOM helpers (data always becomes text nodes) ---------- */

  /** el('div', {class: 'x', text: 'y', on: {click: fn}}, child, 'text', ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key === 'on') {
          for (const [name, fn] of Object.entries(value)) node.addEventListener(name, fn);
        } else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key === 'style') {
          for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
        } else if (value === true) node.setAttribute(key, '');
        else node.setAttribute(key, String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replace a node's children. */
  function fill(node, ...children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return append(node, children);
  }

  function setText(node, text) {
    const value = text === null || text === undefined ? '' : String(text);
    if (node.textContent !== value) node.textContent = value;
  }

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  Object.assign(Quiz, { el, append, fill, setText, $ });

  /* ---------- storage that never throws (private mode, kiosk) ---------- */

  Quiz.store = {
    get(key) {
      try { return global.localStorage.getItem(key); } catch (e) { return null; }
    },
    set(key, value) {
      try { global.localStorage.setItem(key, value); } catch (e) { /* ignore */ }
    },
    remove(key) {
      try { global.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    },
  };

  /** A random id; crypto.getRandomValues works on plain-HTTP LAN pages too. */
  Quiz.nonce = function () {
    const bytes = new Uint8Array(12);
    global.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  /* ---------- numbers, points, times and dates in the page's language ---------- */

  const MINUS = '\u2212';
  // Vietnamese: "4.200", "87,06"; English: "4,200", "87.06".
  const SEPARATORS = Quiz.lang === 'en' ? { group: ',', decimal: '.' } : { group: '.', decimal: ',' };

  /** 4200 -> "4.200", 87.06 -> "87,06", -5 -> "−5" (English: "4,200", "87.06"). */
  function formatNumber(value, maxDecimals) {
    const n = Number(value);
    if (!Number.isFinite(n)) return String(value);
    const digits = maxDecimals === undefined ? 3 : maxDecimals;
    // Only a fraction's trailing zeros go: 4200 with no decimals stays "4.200".
    let fixed = Math.abs(n).toFixed(digits);
    if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
    const [whole, frac] = fixed.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, SEPARATORS.group);
    const sign = n < 0 && fixed !== '0' ? MINUS : '';
    return sign + grouped + (frac ? SEPARATORS.decimal + frac : '');
  }

  /** 10 -> "+10", -5 -> "−5", 0 -> "0" (points without their unit). */
  function formatSigned(value) {
    const n = Number(value) || 0;
    return (n > 0 ? '+' : '') + formatNumber(n);
  }

  /** "+10 điểm", "−5 điểm", "0 điểm" (English: "+10 points", "+1 point"). */
  function formatPoints(value) {
    const n = Number(value) || 0;
    const points = formatSigned(n);
    if (Quiz.lang === 'en' && Math.abs(n) === 1) return points + ' point'; // English's singular
    return t('{points} điểm', { points });
  }

  /** "+123 ms", "+1.204 ms". */
  function formatBehind(ms) {
    return '+' + formatNumber(Math.round(Number(ms) || 0), 0) + ' ms';
  }

  /** seconds with one decimal: 3240 -> "3,2 giây" (English: "3.2 s"). */
  function formatSeconds(ms) {
    if (ms === null || ms === undefined) return '';
    return t('{seconds} giây', { seconds: formatNumber(Number(ms) / 1000, 1) });
  }

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];

  /** "2023-08-29" -> "29/08/2023" (English: "29 August 2023"). */
  function formatDate(iso) {
    if (!iso) return '';
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    if (!m) return String(iso);
    if (Quiz.lang === 'en') return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
    return `${m[3]}/${m[2]}/${m[1]}`;
  }

  /** server ms -> "14:05:09". */
  function formatClockTime(ms) {
    if (!ms) return '';
    const d = new Date(ms);
    return [d.getHours(), d.getMinutes(), d.getSeconds()]
      .map((x) => String(x).padStart(2, '0')).join(':');
  }

  /** Remaining ms -> "12" or "1:05" (rounded up: "0" only when time is up). */
  function formatCountdown(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return String(s);
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  Object.assign(Quiz, {
    formatNumber, formatSigned, formatPoints, formatBehind, formatSeconds, formatDate, formatClockTime,
    formatCountdown, MINUS,
  });

  /* ---------- words shared by the screens ---------- */

  Quiz.PHASES = {
    lobby: t('Chờ bắt đầu'),
    intro: t('Giới thiệu phần thi'),
    shown: t('Đang đọc câu hỏi'),
    open: t('Đang tính giờ'),
    answering: t('Đội đang trả lời'),
    closed: t('Hết giờ'),
    revealed: t('Đã công bố đáp án'),
    finished: t('Hội thi đã kết thúc'),
  };

  Quiz.phaseLabel = function (view) {
    const buzzer = view.round && view.round.format === 'buzzer';
    if (buzzer && view.phase === 'open') return t('Đang mở chuông');
    if (buzzer && view.phase === 'shown') return t('Chưa mở chuông');
    if (view.judged) return JUDGED_PHASES[view.phase] || view.phase; // static/js/formats/judged.js
    return Quiz.PHASES[view.phase] || view.phase;
  };

  Quiz.CLOCK_KINDS = {
    read: t('Thời gian đọc câu hỏi'),
    answer: t('Thời gian còn lại'),
    buzz: t('Thời gian bấm chuông'),
    buzz_answer: t('Thời gian trả lời'),
  };

  Quiz.VERDICTS = { correct: t('Đúng'), wrong: t('Sai'), timeout: t('Hết giờ') };

  /** "Câu 3/10" */
  const JUDGED_PHASES = {
    open: t('Giám khảo đang chấm'), closed: t('Đã chấm xong'), revealed: t('Đã công bố điểm'),
  };
  Quiz.questionLabel = function (q) {
    if (q && q.id.indexOf(':') >= 0) return t('Đội {number}/{of}', { number: q.number, of: q.of }); // a judged round's turn
    return q ? t('Câu {number}/{of}', { number: q.number, of: q.of }) : '';
  };

  /** The answer key in words for a question, e.g. "B. Nghị quyết số 76/NQ-CP". */
  Quiz.keyText = function (question, reveal) {
    if (!reveal) return '';
    if (!question) return reveal.answer || '';
    const key = reveal.key;
    if (question.type === 'single' && question.choices) {
      const choice = question.choices.find((c) => c.key === key);
      return choice ? `${choice.key}. ${choice.text}` : String(reveal.answer);
    }
    return String(reveal.answer);
  };

  /** The set of choice letters that are correct (single/multiple), for highlighting. */
  Quiz.correctLetters = function (question, key) {
    if (!question || key === null || key === undefined) return new Set();
    if (question.type === 'single') return new Set([key]);
    if (question.type === 'multiple' && Array.isArray(key)) return new Set(key);
    return new Set();
  };

  /* ---------- clock sync ---------- */

  const clock = {
    offset: 0, // server ms - client ms
    samples: [], // the best few {rtt, offset, at}, lowest round trip first
    synced: false,
    KEEP: 5,
    MAX_AGE_MS: 120000, // forget old samples, so a drifting clock is followed
    add(t, server, now) {
      const rtt = now - t;
      if (rtt < 0 || !Number.isFinite(server)) return;
      this.samples = this.samples.filter((s) => now - s.at < this.MAX_AGE_MS);
      this.samples.push({ rtt, offset: server - (t + now) / 2, at: now });
      this.samples.sort((a, b) => a.rtt - b.rtt);
      this.samples.length = Math.min(this.samples.length, this.KEEP);
      this.offset = this.samples[0].offset;
      this.synced = true;
    },
    /** Before the first sync, a view's `now` gives a rough offset. */
    hint(serverNow) {
      if (!this.synced && Number.isFinite(serverNow)) this.offset = serverNow - Date.now();
    },
    /** After a reconnect the network path may have changed: measure afresh. */
    reset() {
      this.samples = [];
    },
  };
  Quiz.clock = clock;
  Quiz.serverNow = function () {
    return Math.round(Date.now() + clock.offset);
  };

  function syncOnce(socket) {
    if (!socket.connected) return;
    const t = Date.now();
    socket.emit('sync', { t }, (ack) => {
      if (ack && ack.ok) clock.add(Number(ack.t), Number(ack.server), Date.now());
    });
  }

  /* ---------- connection ---------- */

  const STATUS_TEXT = {
    connecting: t('Đang kết nối...'),
    ok: t('Đã kết nối'),
    reconnecting: t('Đang kết nối lại...'),
    offline: t('Mất kết nối'),
    refused: t('Chưa kết nối'),
  };
  Quiz.STATUS_TEXT = STATUS_TEXT;
  const OFFLINE_AFTER_MS = 4000;
  // 30 quick syncs on connect, then one every 2 s: the best few of many round
  // trips put a tablet on a slow, jittery link within a few ms of the server
  // clock (measured in tests/test_fairness.py), and press stamps need that.
  const SYNC_BURST = 30;
  const SYNC_BURST_GAP_MS = 100;
  const RESYNC_MS = 2000;

  /**
   * Connect with `auth`. Options:
   *   onState(view)         every view not older than the one shown
   *   onStatus(status)      connecting | ok | reconnecting | offline | refused
   *   onRefused({code, message})  the server refused the auth (bad_code, bad_pin, ...)
   *   onConnect()           after every (re)connect
   *   indicator             an element to show the status in
   */
  Quiz.connect = function (auth, options) {
    const opts = options || {};
    const socket = global.io({
      auth,
      transports: ['websocket', 'polling'],
      forceNew: true, // a new auth (another code or PIN) needs its own connection
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    let lastV = -1;
    let freshConnection = true;
    let offlineTimer = null;
    let syncTimer = null;
    let status = null;
    let closedByUs = false;
    let lostAt = null; // when the connection was lost, while it stays lost

    function setStatus(next) {
      if (status === next) return;
      status = next;
      if (opts.indicator) Quiz.showStatus(opts.indicator, next);
      if (opts.onStatus) opts.onStatus(next);
    }
    setStatus('connecting');

    /** Lost: "reconnecting" for the first seconds, then "offline" until it is back. */
    function goingOffline() {
      if (lostAt === null) lostAt = Date.now();
      const long = Date.now() - lostAt >= OFFLINE_AFTER_MS;
      setStatus(long ? 'offline' : 'reconnecting');
      if (!long && offlineTimer === null) {
        offlineTimer = setTimeout(() => {
          offlineTimer = null;
          if (!socket.connected && !closedByUs) setStatus('offline');
        }, OFFLINE_AFTER_MS - (Date.now() - lostAt));
      }
    }

    socket.on('connect', () => {
      clearTimeout(offlineTimer);
      offlineTimer = null;
      lostAt = null;
      freshConnection = true;
      clock.reset();
      setStatus('ok');
      // A short burst to find a low round trip, then every ~10 s.
      for (let i = 0; i < SYNC_BURST; i++) setTimeout(() => syncOnce(socket), i * SYNC_BURST_GAP_MS);
      clearInterval(syncTimer);
      syncTimer = setInterval(() => syncOnce(socket), RESYNC_MS);
      if (opts.onConnect) opts.onConnect();
    });

    socket.on('disconnect', (reason) => {
      clearInterval(syncTimer);
      if (reason === 'io client disconnect') {
        closedByUs = true;
        clearTimeout(offlineTimer);
        return;
      }
      goingOffline();
      // The server closed us on purpose: Socket.IO will not retry by itself.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    });

    socket.on('connect_error', (err) => {
      // A refusal by the server leaves the socket inactive (no retry);
      // a network failure keeps it active and Socket.IO retries by itself.
      const refusal = refusalOf(err);
      if (refusal && refusal.code === 'unavailable' && !closedByUs) {
        // The server could not answer in time (busy, or its authority restarting):
        // nothing is wrong with this screen, so it tries again, spread over 1-3 s.
        goingOffline();
        setTimeout(() => { if (!socket.connected && !closedByUs) socket.connect(); }, 1000 + Math.random() * 2000);
        return;
      }
      if (refusal || !socket.active) {
        setStatus('refused');
        if (opts.onRefused) opts.onRefused(refusal || { code: 'refused', message: t('Máy chủ từ chối kết nối') });
        return;
      }
      goingOffline();
    });

    socket.on('ping', (data, ack) => {
      // s: this tablet's estimate of the server clock, for the jury's console
      if (typeof ack === 'function') ack({ c: Date.now(), s: Quiz.serverNow() });
    });

    socket.on('state', (view) => {
      if (!view || typeof view.v !== 'number') return;
      // The first view on a new connection is the full current state; after
      // that, a view older than the one shown is dropped.
      if (!freshConnection && view.v < lastV) return;
      freshConnection = false;
      lastV = view.v;
      clock.hint(view.now);
      if (opts.onState) opts.onState(view);
    });

    global.addEventListener('offline', () => {
      if (!closedByUs && !socket.connected) setStatus('offline');
    });
    global.addEventListener('online', () => {
      if (!closedByUs && !socket.connected) socket.connect();
    });
    return socket;
  };

  /** {code, message} of a refused connect (the contract puts it in err.data), or null. */
  function refusalOf(err) {
    if (err && err.data && typeof err.data === 'object' && err.data.code) {
      return { code: String(err.data.code), message: String(err.data.message || '') };
    }
    return null;
  }
  Quiz.refusalOf = refusalOf;

  /** Draw the connection status in an element (class conn--ok, ...). */
  Quiz.showStatus = function (node, status) {
    node.className = node.className.replace(/\bconn--\S+/g, '').trim() + ' conn--' + status;
    node.setAttribute('role', 'status');
    node.dataset.status = status;
    setText(node, STATUS_TEXT[status] || status);
  };

  /** Emit with an ack; `done(ack)` gets {ok:false,...} if the socket gives nothing back in time. */
  Quiz.request = function (socket, event, payload, done, timeoutMs) {
    let finished = false;
    const timer = timeoutMs ? setTimeout(() => {
      if (finished) return;
      finished = true;
      done({ ok: false, error: 'timeout', message: t('Máy chủ chưa phản hồi — thử lại') });
    }, timeoutMs) : null;
    socket.emit(event, payload, (ack) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done(ack || { ok: false, error: 'no_ack', message: t('Không có phản hồi từ máy chủ') });
    });
  };

  /* ---------- countdown ---------- */

  /**
   * Draws a view's clock into `node`:
   *   node.dataset.state = running | paused | warning | up | none
   * and calls onTick(remainingMs, clock) on every frame it changes.
   */
  class Countdown {
    constructor(node, options) {
      this.node = node;
      this.opts = options || {};
      this.clockData = null;
      this.last = null;
      this.timer = null;
      this.frame = this.frame.bind(this);
    }

    set(clockData) {
      this.clockData = clockData || null;
      this.last = null;
      if (this.clockData && !this.timer) this.timer = setInterval(this.frame, 100);
      if (!this.clockData && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
      this.frame();
    }

    remaining() {
      const c = this.clockData;
      if (!c) return null;
      if (!c.running || c.deadline === null || c.deadline === undefined) {
        return Math.max(0, c.remaining_ms || 0);
      }
      // Before the opening time (`opens_at`) the whole limit is shown, unmoving.
      const left = c.deadline - Quiz.serverNow();
      return Math.max(0, typeof c.limit_ms === 'number' ? Math.min(c.limit_ms, left) : left);
    }

    frame() {
      const c = this.clockData;
      let state;
      let text;
      let ms = null;
      if (!c) {
        state = 'none';
        text = '';
      } else {
        ms = this.remaining();
        text = formatCountdown(ms);
        // A stopped clock with nothing left has run out (a spoken buzz answer waits for the MC).
        if (!c.running) state = (c.remaining_ms || 0) <= 0 ? 'up' : 'paused';
        else if (ms <= 0) state = 'up';
        else if (ms <= 5000) state = 'warning';
        else state = 'running';
      }
      const key = state + '|' + text;
      if (key !== this.last) {
        this.last = key;
        this.node.dataset.state = state;
        const digits = this.opts.digits || this.node;
        setText(digits, text);
        if (this.opts.label) {
          let label = '';
          if (state === 'paused') label = t('Tạm dừng');
          else if (state === 'up') label = t('Hết giờ!');
          else if (c) label = Quiz.CLOCK_KINDS[c.kind] || Quiz.CLOCK_KINDS.answer;
          setText(this.opts.label, label);
        }
      }
      if (this.opts.bar && c) {
        const limit = c.limit_ms || 1;
        const share = Math.max(0, Math.min(1, (ms || 0) / limit));
        this.opts.bar.style.setProperty('--share', share.toFixed(4));
      }
      if (this.opts.onTick) this.opts.onTick(ms, c);
    }
  }
  Quiz.Countdown = Countdown;

  /* ---------- text fitting ---------- */

  /**
   * Largest font size (px, between min and max) at which `node`'s content
   * fits inside `box` (default: node itself), by bisection.
   */
  Quiz.fitText = function (node, max, min, box) {
    const frame = box || node;
    let lo = min;
    let hi = max;
    node.style.fontSize = hi + 'px';
    if (fits(frame)) return hi;
    for (let i = 0; i < 9 && hi - lo > 0.5; i++) {
      const mid = (lo + hi) / 2;
      node.style.fontSize = mid + 'px';
      if (fits(frame)) lo = mid;
      else hi = mid;
    }
    node.style.fontSize = lo + 'px';
    return lo;
  };

  function fits(box) {
    return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
  }


  /* ---------- derivations every screen shares ---------- */

  /** A scoreboard row's move since the last question: [text, 'up' | 'down' | 'same']
   * ("▲2", "▼1", "–"; no text before there is a previous rank). */
  Quiz.rankMove = function (row) {
    if (row.previous_rank === null || row.previous_rank === undefined) return ['', 'same'];
    const diff = row.previous_rank - row.rank;
    if (diff > 0) return ['▲' + diff, 'up'];
    if (diff < 0) return ['▼' + -diff, 'down'];
    return ['–', 'same'];
  };

  /* ---------- round formats' screen parts ---------- */

  /* Each round format registers its screen code (static/js/formats/NAME.js) as
   *   window.QuizFormats[NAME] = { board(view, root, ctx), team(view, root, ctx),
   *                                mc(view, root, send) }
   * and each page calls Quiz.drawFormat for the round being played. `root` is the
   * page's element marked data-format-part="NAME" (the page itself if it has
   * none); every other format's part is hidden first. A format may leave out a
   * screen it adds nothing to. A format registered with `part: true` draws a part
   * of the shared screens this way (all, buzzer); one without it replaces the
   * question screen with its own (board.js, team.js and mc.js hand it theirs). */
  global.QuizFormats = global.QuizFormats || {};

  Quiz.drawFormat = function (screen, view, page, ...rest) {
    const name = view && view.round ? view.round.format : null;
    for (const part of page.querySelectorAll('[data-format-part]')) {
      if (part.dataset.formatPart !== name) part.hidden = true;
    }
    const format = name ? global.QuizFormats[name] : null;
    if (!format || !format.part || typeof format[screen] !== 'function') return;
    const root = page.querySelector(`[data-format-part="${name}"]`) || page;
    format[screen](view, root, ...rest);
  };

  /** The card a device shows while it waits for the MC's approval (`device_wait`). */
  Quiz.waitCard = function (data, heading) {
    return el('div', { class: 'd-wait', role: 'status' },
      el(heading || 'h1', { class: 'd-wait__title', text: Quiz.t('Chờ duyệt thiết bị') }),
      el('p', { class: 'd-wait__text', text: data.message || Quiz.t('Thiết bị này đang chờ người dẫn chương trình (MC) duyệt.') }),
      data.id ? el('p', { class: 'd-wait__id', text: Quiz.t('Mã thiết bị chờ: {id}', { id: data.id }) }) : null);
  };

  /* ---------- device reports (the MC's readiness grid) ---------- */

  /** The id this browser keeps for itself: the same device across reloads and reconnects. */
  Quiz.deviceId = function () {
    let id = Quiz.store.get('quiz.device');
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = Quiz.nonce();
      Quiz.store.set('quiz.device', id);
    }
    return id;
  };

  /**
   * Report this device to the server (`device_info`, docs/protocol.md): the
   * page's build, screen size, clock offset, Wake Lock and battery, plus
   * `extra()`'s fields (a board: fullscreen). Sent after each connect (once
   * the sync burst has found a good offset), when something changes, and
   * every 15 s. Returns a function that sends a report now.
   */
  Quiz.reportDevice = function (socket, extra) {
    const doc = global.document;
    let battery = null;
    let timer = null;
    function info() {
      const report = {
        version: doc.body.dataset.build || '',
        screen: { w: Math.max(1, Math.round(global.innerWidth)), h: Math.max(1, Math.round(global.innerHeight)) },
        offset_ms: Math.round(clock.offset),
      };
      if (clock.samples.length) report.sync_rtt_ms = Math.round(clock.samples[0].rtt);
      const wake = doc.body.dataset.wakelock;
      if (wake === 'on' || wake === 'off' || wake === 'unsupported') report.wake_lock = wake;
      report.battery = battery ? { level: battery.level, charging: !!battery.charging } : null;
      return Object.assign(report, extra ? extra() : {});
    }
    function send() {
      if (socket.connected) socket.emit('device_info', info(), () => {});
    }
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(send, 300);
    }
    if (global.navigator.getBattery) {
      global.navigator.getBattery().then((b) => {
        battery = b;
        b.addEventListener('levelchange', soon);
        b.addEventListener('chargingchange', soon);
        soon();
      }).catch(() => { /* not told: shown as unknown */ });
    }
    socket.on('connect', () => {
      send();
      setTimeout(send, SYNC_BURST * SYNC_BURST_GAP_MS + 500); // with the burst's best offset
    });
    global.addEventListener('resize', soon);
    doc.addEventListener('visibilitychange', soon);
    doc.addEventListener('fullscreenchange', soon);
    if (global.MutationObserver) {
      new global.MutationObserver(soon).observe(doc.body, { attributes: true, attributeFilter: ['data-wakelock'] });
    }
    setInterval(send, 15000);
    return send;
  };

  global.Quiz = Quiz;
})(window);
