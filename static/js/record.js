/* The record as every screen shows it: the buzz order, the score-change
 * notices, and (on the MC console) the undo list.
 *
 * - Quiz.buzzRows(buzz): every press of every opening, with its ms behind the
 *   first press of its opening, and each attempt's verdict and points (the
 *   verdict in force: an answer set by hand or an undo changes it).
 * - Quiz.buzzStatus(view): the buzz panel's headline, following the corrected
 *   result, and "Hết giờ" when a spoken answer ran out of time.
 * - Quiz.Notices(root): shows each new notice of a view once, for a while.
 * - Quiz.openUndo(view, send): the list of what can be taken back, newest
 *   first, each saying what it was, with a reason to give.
 */
(function (Quiz) {
  'use strict';

  const { el, fill } = Quiz;

  function signed(points) {
    if (points === null || points === undefined) return '';
    const n = Number(points) || 0;
    return (n > 0 ? '+' : n < 0 ? Quiz.MINUS : '±') + Quiz.formatNumber(Math.abs(n));
  }

  function verdictText(verdict, points) {
    const word = Quiz.VERDICTS[verdict] || verdict;
    const mark = verdict === 'correct' ? '✓ ' : '✗ ';
    return mark + word + (points !== null && points !== undefined ? ' ' + signed(points) : '');
  }

  /** One <li> per press, grouped by opening ("Lượt 2" after a rebound). */
  Quiz.buzzRows = function (buzz, prefix) {
    const p = prefix || 'r-buzz';
    const attempts = {};
    for (const a of buzz.attempts || []) attempts[a.team + '/' + a.opening] = a;
    const rows = [];
    let opening = null;
    let pos = 0;
    for (const b of buzz.order || []) {
      if (b.opening !== opening) {
        opening = b.opening;
        pos = 0;
        if (buzz.opening > 1 || opening > 1) {
          rows.push(el('li', { class: `${p}__turn`, text: opening === 1 ? Quiz.t('Lượt {n}', { n: 1 })
            : Quiz.t('Lượt {n} (mở lại chuông)', { n: opening }) }));
        }
      }
      pos += 1;
      const a = attempts[b.team + '/' + b.opening];
      const winner = buzz.winner === b.team && b.opening === buzz.opening;
      let cls = `${p}__row`;
      if (winner) cls += ` ${p}__row--winner`;
      if (b.late) cls += ` ${p}__row--late`;
      if (a && !a.undone) {
        const right = (a.final || (a.verdict === 'correct' ? 'correct' : 'wrong')) === 'correct';
        cls += right ? ` ${p}__row--right` : ` ${p}__row--wrong`;
      }
      const verdict = [];
      if (a) {
        const corrected = a.undone || (a.final && a.final !== (a.verdict === 'correct' ? 'correct' : 'wrong'));
        verdict.push(el('span', {
          class: `${p}__verdict ${p}__verdict--${a.verdict}` + (corrected ? ` ${p}__verdict--struck` : ''),
          text: verdictText(a.verdict, a.points),
        }));
        if (a.undone) verdict.push(el('span', { class: `${p}__fix`, text: Quiz.t('đã hoàn tác') }));
        if (corrected && a.final) {
          verdict.push(el('span', { class: `${p}__fix ${p}__fix--${a.final}`,
            text: Quiz.t('sửa: {verdict}', { verdict: verdictText(a.final === 'correct' ? 'correct' : 'wrong', a.final_points) }) }));
        }
      } else if (winner) {
        verdict.push(el('span', { class: `${p}__verdict ${p}__verdict--answering`,
          text: buzz.time_up ? Quiz.t('Hết giờ — chờ MC chấm') : Quiz.t('Đang trả lời') }));
      }
      rows.push(el('li', { class: cls, dataset: { team: b.team, opening: String(b.opening) } },
        el('span', { class: `${p}__pos`, text: String(pos) }),
        el('span', { class: `${p}__name`, text: b.name, title: b.name }),
        el('span', { class: `${p}__ms`, text: b.behind_ms === 0 ? Quiz.t('Nhanh nhất') : Quiz.formatBehind(b.behind_ms) }),
        b.late ? el('span', { class: `${p}__late`, text: Quiz.t('bấm khi đội khác đang trả lời') }) : null,
        verdict));
    }
    return rows;
  };

  /** [text, tone] of the buzz panel's headline. */
  Quiz.buzzStatus = function (v) {
    const buzz = v.buzz || {};
    const name = (id) => ((v.teams || []).find((t) => t.id === id) || {}).name || id;
    if (buzz.winner && buzz.time_up) return [[Quiz.t('Hết giờ'), el('span', { class: 'r-buzz__who', text: name(buzz.winner) })], 'timeup'];
    if (buzz.winner) return [[Quiz.t('Đội giành quyền trả lời'), el('span', { class: 'r-buzz__who', text: name(buzz.winner) })], 'won'];
    if (v.phase === 'open') return [[Quiz.t('Bấm chuông!')], 'open'];
    const out = buzz.outcome;
    if (out && (v.phase === 'closed' || v.phase === 'revealed')) {
      const right = out.verdict === 'correct';
      return [[(right ? Quiz.t('Chính xác!') : Quiz.t('Chưa chính xác')) + ' ' + signed(out.points),
        el('span', { class: 'r-buzz__who', text: out.name + (out.by_hand ? ' ' + Quiz.t('(đã sửa)') : '') })], right ? 'right' : 'wrong'];
    }
    if (v.phase === 'shown') return [[Quiz.t('Chưa mở chuông')], ''];
    return [[(buzz.order || []).length ? Quiz.t('Hết thời gian bấm chuông') : Quiz.t('Không có đội bấm chuông')], ''];
  };

  /** Whether this tablet's team already pressed in the current opening. */
  Quiz.pressedThisOpening = function (v) {
    const buzz = v.buzz;
    const me = v.me ? v.me.id : null;
    return !!(buzz && (buzz.order || []).some((b) => b.team === me && b.opening === buzz.opening));
  };

  /** The tablet's view of the buzz order: every press, its own row in bold. */
  Quiz.renderTeamBuzz = function (v) {
    const anchor = document.getElementById('message');
    if (!anchor) return;
    let box = document.getElementById('buzz-log');
    if (!box) {
      box = el('div', { class: 't-buzzlog-box', id: 'buzz-log' });
      anchor.insertAdjacentElement('afterend', box);
    }
    const buzz = v.buzz;
    const show = !!(buzz && (buzz.order || []).length && v.question);
    box.hidden = !show;
    if (!show) { fill(box); return; }
    const me = v.me ? v.me.id : null;
    const rows = Quiz.buzzRows(buzz, 't-buzzlog');
    for (const row of rows) {
      if (row.dataset && row.dataset.team === me) row.classList.add('t-buzzlog__row--mine');
    }
    fill(box, el('p', { class: 't-buzzlog__title', text: Quiz.t('Thứ tự bấm chuông') }), el('ol', { class: 't-buzzlog' }, rows));
  };

  /** After the reveal: how many teams chose each option, on the board's cells. */
  Quiz.drawDistribution = function (box, dist) {
    const cells = Array.from(box.querySelectorAll('.b-opt'));
    for (const cell of cells) {
      for (const old of cell.querySelectorAll('.r-dist, .r-distbar')) old.remove();
    }
    box.classList.toggle('r-has-dist', !!dist);
    if (!dist) return;
    dist.options.forEach((o, i) => {
      const cell = cells[i];
      if (!cell) return;
      const share = dist.teams ? o.count / dist.teams : 0;
      cell.appendChild(el('span', { class: 'r-dist', dataset: { count: String(o.count) }, text: o.count === 1 ? Quiz.t('1 đội') : Quiz.t('{n} đội', { n: o.count }) }));
      cell.appendChild(el('span', { class: 'r-distbar', style: { '--share': String(share) } }));
    });
  };

  /* ---------- notices ---------- */

  const SHOW_MS = 9000;
  const FRESH_MS = 20000; // older than this when first seen (a reload): not shown

  Quiz.Notices = function (root, options) {
    const opts = options || {};
    const seen = new Set();
    let first = true;
    this.update = function (view) {
      const list = (view && view.notices) || [];
      const now = view && view.now ? view.now : Date.now();
      const fresh = [];
      for (const n of list) {
        if (seen.has(n.id)) continue;
        seen.add(n.id);
        if (now - n.at <= FRESH_MS && !(first && now - n.at > SHOW_MS)) fresh.push(n);
      }
      first = false;
      for (const n of fresh.reverse()) show(n);
    };
    function show(n) {
      const points = n.points !== null && n.points !== undefined;
      const tone = !points ? 'info' : n.points > 0 ? 'up' : n.points < 0 ? 'down' : 'info';
      const who = opts.mine ? Quiz.t('Đội của bạn') : n.team_name || Quiz.t('Tất cả các đội');
      const byTeam = (n.points_by_team || []).map((p) => `${p.name} ${signed(p.points)}`).join(', ');
      const node = el('div', { class: `r-notice r-notice--${tone}`, role: 'status', dataset: { id: n.id, kind: n.kind } },
        el('p', { class: 'r-notice__head' },
          el('span', { class: 'r-notice__team', text: who }),
          points ? el('span', { class: 'r-notice__points', text: Quiz.t('{n} điểm', { n: signed(n.points) }) }) : null),
        el('p', { class: 'r-notice__label', text: n.label }),
        n.reason && !String(n.label).includes(n.reason) ? el('p', { class: 'r-notice__reason', text: Quiz.t('Lý do: {reason}', { reason: n.reason }) }) : null,
        byTeam ? el('p', { class: 'r-notice__reason', text: byTeam }) : null);
      root.appendChild(node);
      while (root.children.length > 3) root.removeChild(root.firstChild);
      setTimeout(() => { if (node.parentNode) node.parentNode.removeChild(node); }, SHOW_MS);
    }
  };

  Quiz.mountNotices = function (options) {
    let root = document.getElementById('notices');
    if (!root) {
      root = el('div', { class: 'r-notices', id: 'notices', 'aria-live': 'polite' });
      document.body.appendChild(root);
    }
    return new Quiz.Notices(root, options);
  };

  /* ---------- the MC's undo list ---------- */

  Quiz.openUndo = function (view, send) {
    const items = (view && view.undoable) || [];
    const old = document.getElementById('undo-dialog');
    if (old) old.remove();
    let chosen = null;
    const error = el('p', { class: 'r-undo__error', role: 'alert', hidden: true });
    const reason = el('textarea', { class: 'r-undo__reason', id: 'undo-reason', rows: '2', maxlength: '500',
      placeholder: Quiz.t('VD: MC bấm nhầm nút Sai') });
    const list = el('ol', { class: 'r-undo__list' }, items.map((item, i) => {
      const input = el('input', { type: 'radio', name: 'undo-item', value: item.key, id: 'undo-' + i });
      input.addEventListener('change', () => { chosen = item; });
      return el('li', { class: 'r-undo__item' },
        el('label', { for: 'undo-' + i },
          input,
          el('span', { class: 'r-undo__time', text: Quiz.formatClockTime ? Quiz.formatClockTime(item.at) : '' }),
          el('span', { class: 'r-undo__what', text: item.label })));
    }));
    const close = () => box.remove();
    const go = el('button', { type: 'button', class: 'btn btn--bad', id: 'undo-go' }, Quiz.t('Hoàn tác'));
    const cancel = el('button', { type: 'button', class: 'btn btn--grey', id: 'undo-cancel' }, Quiz.t('Đóng'));
    const box = el('div', { class: 'r-undo', id: 'undo-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'undo-title' },
      el('div', { class: 'r-undo__panel' },
        el('h2', { class: 'r-undo__title', id: 'undo-title', text: Quiz.t('Hoàn tác điều chỉnh hoặc kết quả chấm') }),
        items.length ? el('p', { class: 'r-undo__hint', text: Quiz.t('Chọn mục cần hoàn tác (mới nhất ở trên):') })
          : el('p', { class: 'r-undo__hint', text: Quiz.t('Không có điều chỉnh hay kết quả chấm nào để hoàn tác.') }),
        list,
        items.length ? el('label', { class: 'r-undo__label', for: 'undo-reason', text: Quiz.t('Lý do (bắt buộc)') }) : null,
        items.length ? reason : null,
        error,
        el('div', { class: 'r-undo__buttons' }, items.length ? go : null, cancel)));
    cancel.addEventListener('click', close);
    box.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
    go.addEventListener('click', () => {
      const text = reason.value.trim();
      let message = '';
      if (!chosen) message = Quiz.t('Chọn một mục để hoàn tác');
      else if (!text) message = Quiz.t('Cần nhập lý do');
      if (message) { error.hidden = false; fill(error, message); return; }
      const payload = { name: 'undo', reason: text };
      if (chosen.id !== null && chosen.id !== undefined) payload.id = chosen.id;
      else { payload.question = chosen.question; payload.team = chosen.team; }
      go.disabled = true;
      send(payload, (ack) => {
        go.disabled = false;
        if (ack && ack.ok) close();
        else { error.hidden = false; fill(error, (ack && ack.message) || Quiz.t('Không hoàn tác được')); }
      });
    });
    document.body.appendChild(box);
    const firstInput = box.querySelector('input');
    (firstInput || cancel).focus();
    return box;
  };
})(window.Quiz);
