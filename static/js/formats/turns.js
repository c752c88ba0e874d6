/* Format `turns` (Câu hỏi riêng — gói câu hỏi): its part of each screen.
 *
 * boardPanel(view, root, screen): whose turn, the order with each team's package,
 *   points so far and star; while a question runs, the star, the stage and the
 *   steal window with every press and its ms behind the first.
 * teamPanel(view, root, emit): beside the tablet's own screen, the star button of the team in turn (between
 *   questions) and, for the other teams, only their steal buzzer.
 * mc(view, root, send): the choices the next step needs (package, value),
 *   the star (place / take back), skipping an absent team, the steal presses.
 * answerVisible / canAnswer: the team in turn answers on its tablet
 *   (answer_on: tablet), and a steal winner too.
 */
(function () {
  'use strict';

  const { el, fill, setText } = Quiz;
  const fmtNum = (n) => Quiz.formatNumber(n);

  const STAGES = {
    ready: Quiz.t('Chuẩn bị trả lời'),
    answering: Quiz.t('Đang trả lời'),
    missed: Quiz.t('Trả lời chưa đúng — chờ mở quyền cướp điểm'),
    steal: Quiz.t('Cướp điểm! Các đội khác bấm chuông'),
    steal_answering: Quiz.t('Đội cướp điểm đang trả lời'),
    closed: Quiz.t('Chờ công bố đáp án'),
    revealed: Quiz.t('Đã công bố đáp án'),
  };

  function star(on) {
    return el('span', { class: 'fx-star' + (on ? ' fx-star--on' : ''), title: Quiz.t('Ngôi sao hy vọng'), text: '★' });
  }

  function orderTable(t, cls) {
    const rows = (t.order || []).map((row, i) => el('li', {
      class: `${cls}__row` + (row.current ? ` ${cls}__row--current` : '') + (row.skipped ? ` ${cls}__row--skipped` : '')
        + (row.done ? ` ${cls}__row--done` : ''),
    },
    el('span', { class: `${cls}__pos`, text: String(i + 1) }),
    el('span', { class: `${cls}__name`, text: row.name }),
    el('span', { class: `${cls}__pkg`, text: row.skipped ? Quiz.t('Vắng') : row.package ? packageName(row.package) : '—' }),
    row.star ? star(true) : el('span', { class: `${cls}__nostar` }),
    el('span', { class: `${cls}__pts`, text: row.skipped ? '' : fmtNum(row.points) })));
    return el('ol', { class: `${cls}__order` }, rows);
  }

  function presses(turn, cls) {
    const list = (turn.presses || []).map((p, i) => el('li', {
      class: `${cls}__press` + (p.answered ? ` ${cls}__press--won` : '') + (p.late ? ` ${cls}__press--late` : ''),
    },
    el('span', { class: `${cls}__ppos`, text: String(i + 1) }),
    el('span', { class: `${cls}__pname`, text: p.name }),
    el('span', { class: `${cls}__pms`, text: i === 0 ? `${p.time_ms} ms` : `+${p.behind_ms} ms` })));
    return list.length ? el('ol', { class: `${cls}__presses` }, list) : null;
  }

  function packageName(id) {
    const text = String(id || '');
    return text.startsWith('goi-') ? Quiz.t('Gói {n}', { n: text.slice(4) }) : text;
  }

  function packageLabel(turn) {
    return packageName(turn.package) + ' · ' + Quiz.t('Câu {n}/{of}', { n: turn.number, of: turn.of });
  }

  function stageText(turn) {
    if (turn.stage === 'answering' && turn.time_up) return Quiz.t('Hết giờ — chờ MC chấm');
    if (turn.stage === 'steal_answering') return Quiz.t('{team} cướp điểm — đang trả lời', { team: turn.stealer_name });
    return STAGES[turn.stage] || '';
  }

  function verdictLine(turn) {
    const V = Quiz.VERDICTS;
    const parts = [];
    if (turn.owner_verdict) parts.push(`${turn.owner_name}: ${V[turn.owner_verdict] || turn.owner_verdict}`);
    if (turn.stealer && turn.stealer_verdict) parts.push(`${turn.stealer_name}: ${V[turn.stealer_verdict] || turn.stealer_verdict}`);
    return parts.join(' · ');
  }

  /* ---------- board ---------- */

  function board(v, root, screen) {
    const t = v.turns;
    if (!t || !root) return;
    root.hidden = false;
    const turn = v.turn;
    if (screen === 'question' && turn) {
      const label = document.getElementById('q-label');
      if (label && turn.number) setText(label, packageLabel(turn));
      const row = (t.order || []).find((r) => r.team === turn.owner) || {};
      const current = turn.stage !== 'revealed' || !t.current ? null
        : el('p', { class: 'fx-b__next' }, Quiz.t('Lượt tiếp theo:') + ' ', el('b', { text: t.current_name }));
      fill(root,
        el('p', { class: 'fx-b__who' }, el('span', { class: 'fx-b__label', text: Quiz.t('Lượt của') }),
          el('b', { text: turn.owner_name }), turn.star ? el('span', { class: 'fx-b__star' }, star(true), ' ' + Quiz.t('Ngôi sao hy vọng')) : null),
        el('p', { class: `fx-b__stage fx-b__stage--${turn.stage}`, text: stageText(turn) }),
        verdictLine(turn) ? el('p', { class: 'fx-b__verdicts', text: verdictLine(turn) }) : null,
        el('p', { class: 'fx-b__pkgline' }, packageName(turn.package) + ' · ' + Quiz.t('câu {n}/{of}', { n: turn.number, of: turn.of })
          + ' · ' + Quiz.t('điểm gói:') + ' ',
          el('b', { text: fmtNum(row.points || 0) })),
        presses(turn, 'fx-b'),
        current);
      return;
    }
    const count = document.getElementById('intro-count');
    if (count) setText(count, Quiz.t('{n} gói câu hỏi', { n: (t.packages || []).length }));
    // Between questions: the order (the draw, if any), whose turn, and the packages.
    const seeded = t.seed !== null && t.seed !== undefined;
    const how = t.how === 'draw'
      ? (seeded ? Quiz.t('Thứ tự bốc thăm (mã bốc thăm {seed})', { seed: t.seed }) : Quiz.t('Thứ tự bốc thăm'))
      : t.how === 'reverse_rank' ? Quiz.t('Thứ tự: điểm thấp thi trước') : Quiz.t('Thứ tự thi');
    const free = (t.packages || []).filter((p) => !p.taken_by);
    fill(root,
      !t.ordered ? el('p', { class: 'fx-b__who', text: t.how === 'draw' ? Quiz.t('Chờ bốc thăm thứ tự thi') : Quiz.t('Chờ công bố thứ tự thi') })
        : t.current ? el('p', { class: 'fx-b__who' }, el('span', { class: 'fx-b__label', text: Quiz.t('Lượt của') }),
          el('b', { text: t.current_name }),
          t.value !== null && t.value !== undefined ? el('span', { class: 'fx-b__value', text: '· ' + Quiz.t('chọn câu {n} điểm', { n: fmtNum(t.value) }) }) : null,
          t.star_pending ? el('span', { class: 'fx-b__star' }, '· ', star(true), ' ' + Quiz.t('Ngôi sao hy vọng')) : null)
          : el('p', { class: 'fx-b__who', text: Quiz.t('Các đội đã thi xong phần thi') }),
      t.ordered ? el('p', { class: 'fx-b__how', text: how }) : null,
      t.ordered ? orderTable(t, 'fx-b') : null,
      t.ordered && t.settings.assign === 'pick' && free.length && t.current
        ? el('p', { class: 'fx-b__free', text: Quiz.t('Gói còn lại: {packages}', { packages: free.map((p) => packageName(p.id)).join(', ') }) }) : null);
  }

  /* ---------- team tablet ---------- */

  const STEAL = {
    open: [Quiz.t('Bấm chuông cướp điểm!'), Quiz.t('Bấm ngay khi đội biết câu trả lời')],
    buzzed: [Quiz.t('Đã bấm chuông'), Quiz.t('Chờ xác định đội nhanh nhất...')],
    won: [Quiz.t('Đội giành quyền cướp điểm'), ''],
    lost: [Quiz.t('Đội khác đã giành quyền'), ''],
    done: [Quiz.t('Đội đã trả lời câu này'), ''],
  };

  const local = { qid: null, pressing: false, error: '', star: '' };

  function team(v, root, emit) {
    const t = v.turns;
    if (!t || !root) { if (root) root.hidden = true; return; }
    root.hidden = false;
    const me = t.me || {};
    const turn = v.turn;
    const mine = v.turn_me;
    if (turn && local.qid !== v.question.id) { local.qid = v.question.id; local.pressing = false; local.error = ''; }
    const label = document.getElementById('q-label');
    if (turn && label && turn.number) setText(label, packageLabel(turn));
    if (!turn || !mine) {
      // Between questions: whose turn, and the star for the team in turn.
      const starBtn = me.can_star ? el('button', { type: 'button', class: 'btn fx-t__star' }, star(true), ' ' + Quiz.t('Đặt ngôi sao hy vọng cho câu tiếp theo')) : null;
      if (starBtn) {
        starBtn.addEventListener('click', () => {
          if (!window.confirm(Quiz.t('Đặt ngôi sao hy vọng cho câu hỏi tiếp theo? Đúng: nhân đôi điểm, sai: bị trừ điểm.'))) return;
          emit('star', {}, (ack) => { local.star = ack && ack.ok ? '' : (ack && ack.message) || Quiz.t('Chưa đặt được ngôi sao'); });
        });
      }
      fill(root,
        t.current ? el('p', { class: 'fx-t__who' }, me.in_turn ? Quiz.t('Đến lượt đội thi') : Quiz.t('Lượt của') + ' ', me.in_turn ? null : el('b', { text: t.current_name })) : null,
        me.star_pending ? el('p', { class: 'fx-t__note' }, star(true), ' ' + Quiz.t('Đội đã đặt ngôi sao cho câu tiếp theo')) : null,
        starBtn,
        local.star ? el('p', { class: 'fx-t__error', text: local.star }) : null);
      return;
    }
    if (mine.owner) {
      const voice = v.answer_on !== 'tablet';
      fill(root,
        el('p', { class: 'fx-t__who' }, Quiz.t('Câu hỏi của đội'), turn.star ? el('span', { class: 'fx-t__starred' }, ' ', star(true), ' ' + Quiz.t('Ngôi sao hy vọng')) : null),
        el('p', { class: 'fx-t__note', text: turn.stage === 'ready' ? Quiz.t('Chờ MC bắt đầu tính giờ')
          : turn.stage === 'answering' ? (voice ? Quiz.t('Mời đội trả lời trực tiếp') : Quiz.t('Mời đội chọn đáp án bên dưới'))
            : stageText(turn) }));
      return;
    }
    // Another team's question: the question, and only the steal buzzer.
    let status = mine.steal;
    let [text, note] = STEAL[status] || [Quiz.t('Chưa mở quyền cướp điểm'), Quiz.t('Lượt của {team}', { team: turn.owner_name })];
    let enabled = status === 'open';
    if (status === 'lost') { enabled = !(turn.presses || []).some((p) => p.team === (v.me && v.me.id)); }
    if (status === 'won') note = v.answer_on === 'tablet' ? Quiz.t('Mời đội chọn đáp án bên dưới') : Quiz.t('Mời đội trả lời trực tiếp');
    if (local.pressing && status === 'open') { status = 'pressing'; text = Quiz.t('Đã bấm chuông'); note = Quiz.t('Đang gửi...'); enabled = false; }
    if (local.error && status === 'open') note = local.error;
    const btn = el('button', { type: 'button', class: 'fx-t__buzz', 'data-state': status },
      el('span', { class: 'fx-t__buzztext', text }));
    btn.disabled = !enabled;
    const press = (event) => {
      if (event && event.type === 'pointerdown' && event.button !== 0) return;
      if (btn.disabled) return;
      const at = Quiz.serverNow();
      btn.disabled = true;
      local.pressing = true;
      if (navigator.vibrate) navigator.vibrate(60);
      emit('buzz', { question: v.question.id, press: at }, (ack) => {
        local.pressing = false;
        local.error = ack && ack.ok ? '' : (ack && ack.message) || Quiz.t('Chưa bấm được chuông');
      });
    };
    btn.addEventListener('pointerdown', press);
    fill(root,
      el('p', { class: 'fx-t__who' }, Quiz.t('Lượt của') + ' ', el('b', { text: turn.owner_name })),
      turn.stage === 'revealed' || turn.stage === 'closed' ? null : btn,
      note ? el('p', { class: 'fx-t__note', text: note }) : null);
  }

  /** The tablet's status line: the format's panel says it while a question runs. */
  function message(v) {
    return v.turn && v.phase !== 'revealed' ? '' : undefined;
  }

  function answerVisible(v) {
    return !!(v.turn_me && v.turn_me.can_answer);
  }

  function canAnswer(v) {
    return v.phase === 'answering' && answerVisible(v);
  }

  /* ---------- MC console ---------- */

  function mc(v, root, send) {
    const t = v.turns;
    if (!t || !root) { if (root) root.hidden = true; return; }
    root.hidden = false;
    const next = v.next || {};
    const choices = [];
    if (next.command === 'turns_package') {
      choices.push(el('p', { class: 'fx-m__ask', text: Quiz.t('Chọn gói câu hỏi cho {team}:', { team: t.current_name }) }),
        el('div', { class: 'fx-m__choices' }, (next.packages || []).map((id) => button(packageName(id),
          () => send({ name: 'turns_package', team: next.team, package: id })))));
    }
    if (next.command === 'turns_value') {
      choices.push(el('p', { class: 'fx-m__ask', text: Quiz.t('{team} chọn mức điểm:', { team: t.current_name }) }),
        el('div', { class: 'fx-m__choices' }, (next.values || []).map((pts) => button(Quiz.t('{n} điểm', { n: fmtNum(pts) }),
          () => send({ name: 'turns_value', team: next.team, points: pts })))));
    }
    if (next.star) {
      const s = next.star;
      choices.push(el('div', { class: 'fx-m__choices' }, button(s.label, () => {
        if (s.command === 'turns_unstar') {
          const reason = window.prompt(Quiz.t('Lý do bỏ ngôi sao (bắt buộc):'), Quiz.t('Đội báo đặt nhầm'));
          if (reason) send({ name: 'turns_unstar', team: s.team, reason });
        } else send({ name: 'turns_star', team: s.team });
      }, 'fx-m__star')));
    }
    if (next.skip) {
      choices.push(el('div', { class: 'fx-m__choices' }, button(next.skip.label, () => {
        const reason = window.prompt(Quiz.t('Lý do bỏ qua lượt (bắt buộc):'), Quiz.t('Đội vắng mặt'));
        if (reason) send({ name: 'turns_skip', team: next.skip.team, reason });
      }, 'fx-m__skip')));
    }
    const turn = v.turn;
    fill(root,
      el('h3', { class: 'fx-m__title', text: Quiz.t('Câu hỏi riêng') }),
      turn ? el('p', { class: 'fx-m__who' }, Quiz.t('Lượt của') + ' ', el('b', { text: turn.owner_name }),
        turn.star ? el('span', {}, ' ', star(true), ' ' + Quiz.t('có ngôi sao')) : null, ' · ', stageText(turn)) : null,
      turn ? presses(turn, 'fx-m') : null,
      ...choices,
      t.ordered ? orderTable(t, 'fx-m') : null);
  }

  function button(label, onClick, cls) {
    const b = el('button', { type: 'button', class: 'btn fx-m__btn' + (cls ? ' btn--grey ' + cls : ''), text: label });
    b.addEventListener('click', onClick);
    return b;
  }

  window.QuizFormats = window.QuizFormats || {};
  // boardPanel: beside the board's own question screen (a `board` renderer would
  // replace that screen, static/js/board.js).
  window.QuizFormats.turns = { boardPanel: board, teamPanel: team, mc, answerVisible, canAnswer, message };
})();
