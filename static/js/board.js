/* The projector board (Màn hình trình chiếu): watches only.
 *
 * Each view is drawn into one of four screens: lobby, intro (a round's
 * title), question, scores. Sections are redrawn only when their data
 * changed; long texts are shrunk to fit their box, never cut off.
 */
(function () {
  'use strict';

  const { el, fill, setText, $ } = Quiz;

  const board = $('#board');
  const parts = {
    headRound: $('#head-round'),
    lobby: $('#lobby'),
    intro: $('#intro'),
    question: $('#question'),
    scores: $('#scores'),
    format: $('#format'),
    strip: $('#strip'),
    qLabel: $('#q-label'),
    qPoints: $('#q-points'),
    qHint: $('#q-hint'),
    qTextBox: $('#q-text-box'),
    qText: $('#q-text'),
    opts: $('#q-opts'),
    reveal: $('#q-reveal'),
    boards: $('#q-boards'),
    buzz: $('#q-buzz'), // the buzzer's part, or a format's panel beside the question
    scoresTitle: $('#scores-title'),
    scoresTable: $('#scores-table'),
  };

  const sound = new Quiz.BoardSound($('#sound-btn'));

  const countdown = new Quiz.Countdown($('#clock'), {
    digits: $('#clock-digits'),
    label: $('#clock-label'),
    bar: $('#clock-bar'),
    onTick: (ms, clock) => sound.tick(ms, clock),
  });

  let view = null;
  const drawn = {}; // section -> signature last drawn

  /** Run draw() only when the data it depends on changed (or force). */
  function section(name, data, draw, force) {
    const sig = JSON.stringify(data);
    if (!force && drawn[name] === sig) return;
    drawn[name] = sig;
    draw();
  }

  /** The board's size unit in px (matches --u in board.css). */
  function unit() {
    return Math.min(window.innerHeight / 100, window.innerWidth * 0.0075);
  }

  const TYPE_HINTS = {
    single: Quiz.t('Chọn một đáp án đúng'),
    multiple: Quiz.t('Chọn tất cả phương án đúng'),
    true_false: Quiz.t('Đúng hay sai?'),
    text: Quiz.t('Nhập câu trả lời'),
    number: Quiz.t('Trả lời bằng một số'),
    order: Quiz.t('Sắp xếp theo thứ tự đúng'),
  };

  /* ---------- screens ---------- */

  function screenOf(v) {
    const extra = Quiz.boardScreen(v); // ceremony or round summary (ceremony.js)
    if (extra) return extra;
    if (v.show_scoreboard || v.phase === 'finished') return 'scores';
    if (v.phase === 'lobby') return 'lobby';
    if (v.phase === 'intro' || !v.question) return v.round ? 'intro' : 'lobby';
    return 'question';
  }

  function render(force) {
    if (!view) return;
    const v = view;
    let screen = screenOf(v);
    // A format with its own question screen (static/js/formats/<name>.js) draws it.
    const own = screen === 'question' && v.round && (window.QuizFormats || {})[v.round.format];
    if (own && own.board && !own.part) screen = 'format';
    board.dataset.screen = screen;
    for (const name of ['lobby', 'intro', 'question', 'scores', 'format']) parts[name].hidden = name !== screen;

    // The intro screen says the round's title itself: no second copy in the header.
    setText(parts.headRound, v.round && screen !== 'lobby' && screen !== 'intro'
      ? Quiz.t('Phần thi {number}/{of}: {title}', { number: v.round.number, of: v.round.of, title: v.round.title }) : '');

    // The format's part first (the strip of `all`): it takes height from the stage
    // the rest is fitted in.
    drawFormat(v, screen, force);
    if (screen === 'lobby') drawLobby(v);
    if (screen === 'intro') drawIntro(v);
    if (screen === 'question') drawQuestion(v, force);
    else countdown.set(null);
    if (screen === 'format') own.board(v, parts.format);
    if (screen === 'scores') section('scores', [v.scoreboard, v.phase, sizeKey()], () => drawScores(v), force);
    Quiz.drawBoardExtras(v, screen); // lobby teams, ceremony, round summary (ceremony.js)
    const panel = v.round && (window.QuizFormats || {})[v.round.own_format || v.round.format];
    $('#intro-part').hidden = !(panel && panel.boardPanel && screen === 'intro');
    $('#format-band').hidden = true; // a band under the header, for a format that draws one
    if (panel && panel.boardPanel) panel.boardPanel(v, screen === 'intro' ? $('#intro-part') : parts.buzz, screen);
    if (Quiz.renderBoardAppeals) Quiz.renderBoardAppeals(v); // accepted appeals (appeal.js)
  }

  function drawLobby(v) {
    const c = v.contest || {};
    setText($('#lobby-org'), c.organizer || '');
    setText($('#lobby-title'), c.title || '');
    setText($('#lobby-subtitle'), c.subtitle || '');
    setText($('#lobby-date'), [Quiz.formatDate(c.date), c.venue].filter(Boolean).join(' — '));
    // Individual players (Rung chuông vàng): how many phones have joined.
    $('#lobby-players').hidden = !v.players_total;
    setText($('#lobby-players'), v.players_total ? Quiz.t('Đã vào thi: {joined}/{total} thí sinh', { joined: v.players_joined, total: v.players_total }) : '');
    // The practice question before the first round (scored nowhere).
    const p = v.practice;
    $('#lobby-practice').hidden = !p;
    $('#lobby-wait').hidden = !!p;
    if (!p) return;
    setText($('#practice-text'), p.text);
    fill($('#practice-choices'), p.choices.map((ch) => el('li', { class: 'b-practice__choice' },
      el('b', { text: ch.key + '. ' }), ch.text)));
    setText($('#practice-count'), Quiz.t('{answered}/{of} đội đã trả lời', { answered: p.answered, of: p.of }));
  }

  function drawIntro(v) {
    const r = v.round;
    if (!r) return;
    setText($('#intro-number'), Quiz.t('Phần thi {number}/{of}', { number: r.number, of: r.of }));
    setText($('#intro-title'), r.title);
    setText($('#intro-format'), r.format_title && r.format_title !== r.title ? r.format_title : '');
    setText($('#intro-count'), Quiz.t('{n} câu hỏi', { n: r.questions }));
  }

  /* ---------- question ---------- */

  function stageOf(v) {
    const boards = Array.isArray(v.boards);
    if (boards) return v.reveal ? 'reveal' : 'boards';
    return v.reveal ? 'answer' : 'ask';
  }

  function drawQuestion(v, force) {
    const q = v.question;
    const format = v.round ? v.round.format : 'all';
    const stage = stageOf(v);
    const kind = q.type === 'text' || q.type === 'number' ? 'free' : 'opts';
    const layout = [format, stage, kind, sizeKey(), parts.strip.hidden ? 0 : parts.strip.offsetHeight];
    const layoutChanged = JSON.stringify(layout) !== drawn.layout;
    drawn.layout = JSON.stringify(layout);
    const el0 = parts.question;
    el0.dataset.format = format;
    el0.dataset.stage = stage;
    el0.dataset.kind = kind;
    const refit = force || layoutChanged;
    // Hide what this stage does not show BEFORE fitting anything: an element whose
    // grid area the stage lacks would create implicit tracks and squeeze the rest.
    const boards = Array.isArray(v.boards);
    parts.reveal.hidden = !v.reveal;
    parts.boards.hidden = !boards;
    // A format's panel beside the question (turns) takes the buzzer's place; the
    // buzzer's own part is shown by Quiz.drawFormat.
    if (((window.QuizFormats || {})[format] || {}).boardPanel) parts.buzz.hidden = false;

    setText(parts.qLabel, Quiz.questionLabel(q));
    setText(parts.qPoints, q.points ? Quiz.t('{points} điểm', { points: Quiz.formatNumber(q.points) }) : '');
    let hint = format === 'buzzer' ? Quiz.t('Giành quyền trả lời') : TYPE_HINTS[q.type] || '';
    if (q.type === 'number' && q.unit && format !== 'buzzer') hint += ' ' + Quiz.t('(đơn vị: {unit})', { unit: q.unit });
    setText(parts.qHint, hint);

    // The clock; in `all`, "Hết giờ!" stays up until the answer is revealed.
    if (v.clock) countdown.set(v.clock);
    else if (v.phase === 'closed' && format === 'all') {
      countdown.set({ kind: 'answer', running: true, limit_ms: 1, remaining_ms: 0, deadline: 0 });
    } else countdown.set(null);
    // Closed early by the MC: "Đã dừng sớm", never "Hết giờ!".
    if (v.phase === 'closed' && v.close_reason === 'mc') setText($('#clock-label'), Quiz.t('Đã dừng sớm'));

    section('qtext', [q.id, q.text, q.image], () => drawText(q), refit);
    const key = v.reveal ? v.reveal.key : null;
    section('opts', [q.id, stage, key, q.choices, q.items], () => drawOptions(q, stage, key), refit);
    // How many teams chose each option, after the reveal (record.js).
    const dist = v.reveal ? v.reveal.distribution || null : null;
    section('dist', [q.id, stage, dist, drawn.opts], () => Quiz.drawDistribution(parts.opts, dist), refit);

    if (v.reveal) section('reveal', [q.id, v.reveal.answer, v.reveal.explanation, v.reveal.source, v.reveal.void],
      () => drawReveal(q, v.reveal), refit);

    if (boards) {
      const results = v.reveal && v.reveal.results ? v.reveal.results : null;
      section('boards', [q.id, v.boards, results], () => drawBoards(v.boards, results), refit);
    }

  }

  function drawText(q) {
    const children = [];
    if (q.image) children.push(el('img', { class: 'b-qmedia', src: q.image, alt: '' }));
    children.push(q.text);
    fill(parts.qText, children);
    const img = parts.qText.querySelector('img');
    if (img) img.addEventListener('load', () => fitQuestionText(), { once: true });
    fitQuestionText();
  }

  function fitQuestionText() {
    const u = unit();
    Quiz.fitText(parts.qText, 7 * u, 1.6 * u, parts.qTextBox);
  }

  function optionCells(q, stage, key) {
    const correct = Quiz.correctLetters(q, key);
    if (q.type === 'true_false') {
      // The choices' own ids: 'Đúng'/'Sai' on screen in Vietnamese, 'True'/'False'
      // in English (where the verdicts 'Đúng'/'Sai' read 'Correct'/'Wrong').
      return [
        { letter: null, text: Quiz.t('Phương án Đúng'), correct: key === true, tf: true },
        { letter: null, text: Quiz.t('Phương án Sai'), correct: key === false, tf: true },
      ];
    }
    const list = q.type === 'order' ? q.items : q.choices;
    return (list || []).map((c) => ({ letter: c.key, text: c.text, correct: correct.has(c.key) }));
  }

  function drawOptions(q, stage, key) {
    const box = parts.opts;
    // With the raised boards below, the options shrink to one row.
    const compact = stage === 'boards' || stage === 'reveal';
    box.className = 'b-opts' + (compact ? ' b-opts--compact' : '');
    delete box.dataset.revealed;
    if (q.type === 'text' || q.type === 'number') {
      box.classList.add('b-opts--note');
      box.dataset.count = '1';
      if (compact) { fill(box); return; }
      const note = q.type === 'number'
        ? [Quiz.t('Các đội nhập một số trên máy tính bảng'), q.unit ? el('strong', { text: ' ' + Quiz.t('(đơn vị: {unit})', { unit: q.unit }) }) : null]
        : [Quiz.t('Các đội nhập câu trả lời trên máy tính bảng')];
      fill(box, el('p', { class: 'b-note' }, note));
      return;
    }
    const cells = optionCells(q, stage, key);
    box.dataset.count = String(cells.length);
    box.dataset.kind = q.type === 'order' ? 'items' : 'choices';
    box.style.setProperty('--n', String(compactColumns(cells.length)));
    // Order questions are not revealed by highlighting: the order is in the answer.
    if (key !== null && key !== undefined && q.type !== 'order') box.dataset.revealed = '';
    fill(box, cells.map((c) => el('div', {
      class: 'b-opt' + (c.tf ? ' b-opt--tf' : '') + (c.correct ? ' b-opt--correct' : ''),
    },
    c.letter ? el('span', { class: 'b-opt__letter', text: c.letter }) : null,
    c.tf ? el('p', { class: 'b-opt__text', text: c.text })
      : el('div', { class: 'b-opt__box' }, el('p', { class: 'b-opt__text', text: c.text })))));
    fitOptions(compact);
  }

  /** Wide screens: one row of up to 4, else rows of 3 (or 4 for 7-8 items); narrower: a column. */
  function compactColumns(n) {
    if (window.innerWidth >= 1600) return n <= 4 ? n : n <= 6 ? 3 : 4;
    return 1; // a column beside the boards (board.css)
  }

  /** Option text is never smaller than this on the projector (read from the back of the hall). */
  const MIN_OPTION_PX = 24;

  function fitOptions(compact) {
    const u = unit();
    const texts = Array.from(parts.opts.querySelectorAll('.b-opt__box .b-opt__text'));
    if (!texts.length) return;
    if (compact) {
      // The row takes the height its text needs; only a word too wide shrinks it (one size for all).
      let size = Math.max(MIN_OPTION_PX, 2.6 * u);
      for (const t of texts) size = Math.min(size, Quiz.fitText(t, size, MIN_OPTION_PX, t));
      for (const t of texts) t.style.fontSize = size + 'px';
      return;
    }
    const max = Math.max(MIN_OPTION_PX, 4.8 * u);
    const min = MIN_OPTION_PX;
    let size = max;
    for (const t of texts) size = Math.min(size, Quiz.fitText(t, size, min, t.parentNode));
    for (const t of texts) t.style.fontSize = size + 'px';
  }

  function drawReveal(q, reveal) {
    const answer = Quiz.keyText(q, reveal);
    const inner = el('div', { class: 'b-reveal__inner' },
      reveal.void ? el('p', { class: 'b-reveal__void', text: Quiz.t('Câu hỏi đã bị hủy kết quả') }) : null,
      el('p', { class: 'b-reveal__answer' }, Quiz.t('Đáp án đúng: '), el('b', { text: answer })),
      reveal.explanation ? el('p', { class: 'b-reveal__more' },
        el('b', { text: Quiz.t('Giải thích: ') }), reveal.explanation) : null,
      reveal.source ? el('p', { class: 'b-reveal__more' },
        el('b', { text: Quiz.t('Căn cứ: ') }), reveal.source) : null);
    fill(parts.reveal, inner);
    const u = unit();
    Quiz.fitText(inner, 4.6 * u, 1.2 * u, parts.reveal);
  }

  /** Columns for n cards so they stay large and fit the stage. */
  function boardColumns(n) {
    if (n <= 4) return Math.max(n, 1);
    if (n <= 8) return 4;
    if (n <= 10) return 5;
    if (n <= 18) return 6;
    if (n <= 24) return 8;
    if (n <= 40) return 10;
    return 12;
  }

  /**
   * Columns giving the largest cards in the box's own size: among layouts where
   * a card has room for a two-line name and its answer, the largest; if none
   * has, the one closest to it.
   */
  function bestColumns(n, box) {
    const W = box.clientWidth;
    const H = box.clientHeight;
    if (!n || !W || !H) return 0;
    const u = unit();
    const gap = u; // .b-boards gap in board.css
    const minW = Math.max(96, 12 * u);
    const minH = Math.max(58, 7 * u);
    let best = 1;
    let bestScore = -1;
    for (let c = 1; c <= Math.min(n, 14); c++) {
      const rows = Math.ceil(n / c);
      const w = (W - (c - 1) * gap) / c;
      const h = (H - (rows - 1) * gap) / rows;
      const room = Math.min(w / minW, h / minH);
      const score = room >= 1 ? 1000 + Math.min(w, h * 2) : room;
      if (score > bestScore) { best = c; bestScore = score; }
    }
    return best;
  }

  function drawBoards(boards, results) {
    const byTeam = {};
    for (const r of results || []) byTeam[r.team] = r;
    const box = parts.boards;
    box.style.setProperty('--cols', String(bestColumns(boards.length, box) || boardColumns(boards.length)));
    // Many small cards: a dash says "no answer" where the words would not fit.
    const noAnswer = boards.length > 24 ? '—' : Quiz.t('Không trả lời');
    // ...and an order reads "AEBG" rather than "A → E → B → G".
    const short = (text) => (boards.length > 24 ? String(text).replace(/\s*→\s*/g, '') : text);
    fill(box, boards.map((b) => {
      const r = byTeam[b.team];
      let cls = 'b-card';
      let mark = null;
      if (b.answer === null || b.answer === undefined) cls += ' b-card--empty';
      if (r && r.correct === true) {
        cls += ' b-card--right';
        mark = '✓ ' + Quiz.formatSigned(r.points);
      } else if (r && r.correct === false) {
        cls += ' b-card--wrong';
        mark = '✗' + (r.points ? ' ' + Quiz.formatSigned(r.points) : '');
      }
      return el('div', { class: cls, dataset: { team: b.team } },
        // The whole width of the head is the name's; the verdict sits with the answer.
        el('div', { class: 'b-card__head' },
          el('p', { class: 'b-card__name', text: b.name, title: b.name })),
        el('div', { class: 'b-card__answer' },
          el('p', { class: 'b-card__text', text: b.answer === null || b.answer === undefined ? noAnswer : short(b.answer) }),
          // Many small cards: the card's colour alone says right or wrong.
          mark && boards.length <= 24 ? el('span', { class: 'b-card__mark', text: mark }) : null));
    }));
    // Card sizes follow the grid: scale the name and answer to the card height.
    const first = box.querySelector('.b-card');
    if (!first) return;
    const h = first.clientHeight;
    const u = unit();
    const nameSize = Math.max(11, Math.min(2.4 * u, h * 0.22));
    box.style.setProperty('--name-size', nameSize + 'px');
    for (const n of box.querySelectorAll('.b-card__name')) fitName(n, nameSize);
    const max = Math.min(5.5 * u, h * 0.42);
    for (const t of box.querySelectorAll('.b-card__text')) {
      const empty = t.closest('.b-card--empty');
      Quiz.fitText(t, empty ? Math.min(max, 2 * u) : max, 0.9 * u, t.parentNode);
    }
  }

  /** "Thị trấn Bo" -> "TT. Bo", "Xã Bình Sơn" -> "X. Bình Sơn" (the full name stays in the title). */
  const PREFIXES = [[/^Thị trấn\s+/i, 'TT. '], [/^Phường\s+/i, 'P. '], [/^Xã\s+/i, 'X. ']];
  function abbreviate(name) {
    for (const [re, short] of PREFIXES) if (re.test(name)) return name.replace(re, short);
    return name;
  }

  function overflows(n) {
    return n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1;
  }

  /**
   * A team name is never cut, by rule: wrap to two lines; then shrink down to
   * 80 %; then abbreviate the prefix (Thị trấn -> TT., Xã -> X.); then shrink
   * to 9 px; last, a third line down to 7 px.
   */
  function fitName(n, size) {
    const full = n.textContent;
    n.style.fontSize = size + 'px';
    if (!overflows(n)) return;
    const floor = Math.max(9, size * 0.8);
    Quiz.fitText(n, size, floor, n);
    if (!overflows(n)) return;
    const short = abbreviate(full);
    if (short !== full) {
      n.textContent = short;
      n.title = full;
      Quiz.fitText(n, size, floor, n);
      if (!overflows(n)) return;
    }
    Quiz.fitText(n, floor, 9, n);
    if (!overflows(n)) return;
    n.classList.add('b-card__name--3'); // more lines, and smaller still
    Quiz.fitText(n, floor, 7, n);
    // The card itself must hold the name and its answer.
    const card = n.closest('.b-card');
    if (card && card.scrollHeight > card.clientHeight + 1) Quiz.fitText(n, parseFloat(n.style.fontSize), 6, card);
  }

  /* ---------- the round format's own part (static/js/formats/) ---------- */

  function drawFormat(v, screen, force) {
    Quiz.drawFormat('board', v, board, { screen, force, unit: unit(), size: sizeKey() });
  }

  /* ---------- scoreboard ---------- */

  function drawScores(v) {
    setText(parts.scoresTitle, v.phase === 'finished' ? Quiz.t('Kết quả chung cuộc') : Quiz.t('Bảng xếp hạng'));
    const rows = (v.scoreboard || []).slice().sort((a, b) => a.rank - b.rank);
    const cols = rows.length > 40 ? 3 : rows.length > 20 ? 2 : 1;
    const per = Math.ceil(rows.length / cols) || 1;
    const table = parts.scoresTable;
    table.style.setProperty('--cols', String(cols));
    const head = () => el('div', { class: 'b-score b-score--head' },
      el('span', { class: 'b-score__rank', text: Quiz.t('Hạng') }), el('span'),
      el('span', { class: 'b-score__name', text: Quiz.t('Đội thi') }),
      el('span', { class: 'b-score__correct', text: Quiz.t('Câu đúng') }),
      el('span', { class: 'b-score__total', text: Quiz.t('Tổng điểm') }));
    const columns = [];
    for (let c = 0; c < cols; c++) {
      const slice = rows.slice(c * per, (c + 1) * per);
      columns.push(el('div', { class: 'b-scores__col', style: { '--rows': String(per + 1) } },
        head(),
        slice.map((r) => {
          const [move, dir] = Quiz.rankMove(r);
          return el('div', { class: `b-score b-score--r${r.rank}`, dataset: { team: r.team } },
            el('span', { class: 'b-score__rank', text: String(r.rank) }),
            el('span', { class: `b-score__move b-score__move--${dir}`, text: move,
              title: dir === 'up' ? Quiz.t('Tăng hạng') : dir === 'down' ? Quiz.t('Giảm hạng') : '' }),
            el('span', { class: 'b-score__name' }, r.name,
              r.tiebreak ? el('small', { class: 'b-score__tb', text: ' · ' + r.tiebreak }) : null),
            el('span', { class: 'b-score__correct', text: String(r.correct ?? '') }),
            el('span', { class: 'b-score__total', text: Quiz.formatNumber(r.total) }));
        })));
    }
    fill(table, columns);
    // Row font from the row height, so 17 (or 40) rows fit the screen.
    const u = unit();
    const rowH = (table.clientHeight - per * 0.5 * u) / (per + 1);
    const font = Math.max(10, Math.min(rowH * 0.6, 4.2 * u));
    table.style.setProperty('--row-font', font + 'px');
    // Several columns on a narrow screen: the "Câu đúng" column gives way to the names.
    table.dataset.narrow = cols > 1 && table.clientWidth / cols < 520 ? 'yes' : 'no';
    // A name never cut: one that is still too wide shrinks on its own row.
    for (const n of table.querySelectorAll('.b-score__name')) {
      if (n.scrollWidth > n.clientWidth + 1) Quiz.fitText(n, font, 9, n);
    }
  }

  /* ---------- wiring ---------- */

  function sizeKey() {
    return window.innerWidth + 'x' + window.innerHeight;
  }

  const notices = Quiz.mountNotices();

  Quiz.keepAwake(); // the projector's laptop must not sleep mid-contest (sound.js)
  const socket = Quiz.connect({ role: 'board' }, {
    indicator: $('#conn'),
    onConnect() { sound.attach(socket); },
    onState(v) {
      const F = window.QuizFormats && v.round && window.QuizFormats[v.round.format]; // static/js/formats/
      view = F && F.adapt ? F.adapt(v) : v;
      render(false);
      notices.update(v);
      sound.update(v);
    },
  });

  Quiz.reportDevice(socket, () => ({
    fullscreen: !!document.fullscreenElement
      || (window.innerHeight >= screen.height - 1 && window.innerWidth >= screen.width - 1),
  }));

  /* ---------- fullscreen ---------- */

  const fullscreenBtn = $('#fullscreen-btn');
  function drawFullscreen() {
    const on = !!document.fullscreenElement;
    setText(fullscreenBtn, on ? Quiz.t('Thoát toàn màn hình') : Quiz.t('Toàn màn hình'));
    fullscreenBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    document.body.dataset.fullscreen = on ? 'on' : 'off';
  }
  fullscreenBtn.hidden = !document.fullscreenEnabled;
  fullscreenBtn.addEventListener('click', (event) => {
    event.stopPropagation();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen().catch(() => {});
  });
  document.addEventListener('fullscreenchange', drawFullscreen);
  drawFullscreen();

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => render(true), 120);
  });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => render(true));
  if (document.fonts) document.fonts.addEventListener('loadingdone', () => render(true));
})();
