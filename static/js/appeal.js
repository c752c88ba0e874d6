/* The jury's side on the other screens (quiz/rules/jury_view.py):
 *
 * - Quiz.renderTeamAppeal(v, socket): on a tablet, "Khiếu nại" on the latest
 *   revealed question while its appeal window is open (a short text, at most
 *   500 characters), and the outcome of each of the team's own appeals.
 * - Quiz.renderBoardAppeals(v): on the board, the accepted appeals.
 * - Quiz.renderMcJury(v, send): on the MC console, what waits for the jury
 *   (not counted yet) and a form to enter an appeal for a team.
 * Each builds its own box the first time, next to an element of its page.
 */
(function () {
  'use strict';

  const { el, fill, setText } = Quiz;
  const MAX = 500;

  function box(id, anchorId, cls, where) {
    let node = document.getElementById(id);
    if (node) return node;
    const anchor = document.getElementById(anchorId);
    if (!anchor) return null;
    node = el('div', { class: cls, id });
    anchor.insertAdjacentElement(where || 'afterend', node);
    return node;
  }

  /* ---------- the tablet ---------- */

  const team = { key: null, open: false, sending: false, error: '' };

  function secondsLeft(offer) {
    return Math.max(0, Math.ceil((offer.until - Quiz.serverNow()) / 1000));
  }

  Quiz.renderTeamAppeal = function (v, socket) {
    // the right-hand column on a tablet (free once the answer is revealed), under the result on a phone
    const node = box('appeal', 'answer', 't-appeal');
    if (!node) return;
    const offer = v.appeal_offer;
    const mine = v.my_appeals || [];
    const key = JSON.stringify([offer && offer.question, mine.map((a) => [a.id, a.status]), team.open, team.error, team.sending]);
    if (key === team.key) return;
    team.key = key;
    const parts = [];
    for (const a of mine.slice().reverse().slice(0, 3)) {
      const word = a.status === 'accepted' ? Quiz.t('Ban giám khảo chấp nhận khiếu nại')
        : a.status === 'rejected' ? Quiz.t('Ban giám khảo không chấp nhận khiếu nại') : Quiz.t('Đã gửi khiếu nại — chờ Ban giám khảo xử lý');
      parts.push(el('div', { class: 't-appeal__outcome t-appeal__outcome--' + a.status, role: 'status', dataset: { status: a.status } },
        el('p', { class: 't-appeal__word' }, `${a.question_name}: ${word}`),
        a.reason ? el('p', { class: 't-appeal__reason' }, Quiz.t('Lý do: {reason}', { reason: a.reason })) : null));
    }
    if (offer && !team.open) {
      const btn = el('button', { type: 'button', class: 'btn btn--warn t-appeal__btn', id: 'appeal-btn' }, Quiz.t('Khiếu nại'));
      btn.addEventListener('click', () => { team.open = true; team.error = ''; Quiz.renderTeamAppeal(v, socket); });
      parts.push(el('div', { class: 't-appeal__offer' }, btn,
        el('span', { class: 't-appeal__left', id: 'appeal-left' }, Quiz.t('còn {seconds} giây để khiếu nại {question}', { seconds: secondsLeft(offer), question: offer.question_name }))));
    }
    if (offer && team.open) {
      const text = el('textarea', { id: 'appeal-text', maxlength: MAX, rows: 4, placeholder: Quiz.t('Nội dung khiếu nại (tối đa 500 ký tự)'), 'aria-label': Quiz.t('Nội dung khiếu nại') });
      const count = el('span', { class: 't-appeal__count', id: 'appeal-count' }, `0/${MAX}`);
      text.addEventListener('input', () => {
        setText(count, `${text.value.length}/${MAX}`);
        const error = form.querySelector('.t-appeal__error');
        if (error) { error.remove(); team.error = ''; }
      });
      const send = el('button', { type: 'submit', class: 'btn btn--warn', id: 'appeal-send', disabled: team.sending }, team.sending ? Quiz.t('Đang gửi...') : Quiz.t('Gửi khiếu nại'));
      const cancel = el('button', { type: 'button', class: 'btn btn--grey', id: 'appeal-cancel' }, Quiz.t('Hủy'));
      const form = el('form', { class: 't-appeal__form', id: 'appeal-form' },
        el('p', { class: 't-appeal__title' }, Quiz.t('Khiếu nại {question}', { question: offer.question_name })),
        text, count,
        team.error ? el('p', { class: 't-appeal__error', role: 'alert' }, team.error) : null,
        el('div', { class: 't-appeal__buttons' }, cancel, send));
      cancel.addEventListener('click', () => { team.open = false; team.error = ''; Quiz.renderTeamAppeal(v, socket); });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const value = text.value.trim();
        if (!value) { team.error = Quiz.t('Cần nhập nội dung khiếu nại'); team.key = null; Quiz.renderTeamAppeal(v, socket); return; }
        if (!socket) return;
        team.sending = true;
        send.disabled = true;
        setText(send, Quiz.t('Đang gửi...'));
        Quiz.request(socket, 'appeal', { question: offer.question, text: value }, (ack) => {
          team.sending = false;
          if (ack && ack.ok) { team.open = false; team.error = ''; }
          else team.error = (ack && ack.message) || Quiz.t('Chưa gửi được — thử lại');
          team.key = null;
          Quiz.renderTeamAppeal(v, socket);
        }, 8000);
      });
      parts.push(form);
      setTimeout(() => { text.focus(); form.scrollIntoView({ block: 'nearest' }); }, 0);
    }
    fill(node, parts);
    node.hidden = parts.length === 0;
  };

  /* ---------- the board ---------- */

  const BOARD_SHOW_MS = 20000; // an accepted appeal stays on the board this long
  let boardTimer = null;

  Quiz.renderBoardAppeals = function (v) {
    let node = document.getElementById('board-appeals');
    if (!node) {
      // over the stage (like the notices), so the stage's fitted layout never moves
      node = el('aside', { class: 'b-appeals', id: 'board-appeals', role: 'status', hidden: true });
      document.body.appendChild(node);
    }
    const latest = (v.appeals || [])[0];
    const left = latest ? BOARD_SHOW_MS - (Quiz.serverNow() - latest.decided_at) : 0;
    node.hidden = !(left > 0);
    clearTimeout(boardTimer);
    if (node.hidden) return;
    boardTimer = setTimeout(() => Quiz.renderBoardAppeals(v), left + 50);
    fill(node, el('p', { class: 'b-appeals__title' }, Quiz.t('Ban giám khảo chấp nhận khiếu nại')),
      el('p', { class: 'b-appeals__who' }, `${latest.team_name} — ${latest.question_name}`),
      el('p', { class: 'b-appeals__reason' }, latest.reason));
  };

  /* ---------- the MC ---------- */


  Quiz.renderMcJury = function (v, send) {
    const work = v.jury_work;
    const node = box('mc-jury', 'corr', 'm-corr m-jury', 'beforebegin');
    const alert = box('mc-jury-alert', 'next-btn', 'm-jury-alert');
    if (!node) return;
    node.hidden = !work || !work.jury_on;
    if (alert) alert.hidden = true;
    if (node.hidden) return;
    const proposals = work.proposals || [];
    const appeals = work.appeals_pending || [];
    if (alert) {
      // next to the big button, where the MC looks: what waits for the jury
      const waiting = [];
      if (appeals.length) waiting.push(Quiz.t('{n} khiếu nại', { n: appeals.length }));
      if (proposals.length) waiting.push(Quiz.t('{n} điều chỉnh (chưa tính điểm)', { n: proposals.length }));
      alert.hidden = waiting.length === 0;
      setText(alert, waiting.length ? Quiz.t('Chờ Ban giám khảo xử lý: {items}', { items: waiting.join(', ') }) : '');
    }
    const key = JSON.stringify([proposals.map((p) => p.id), appeals.map((a) => a.id), work.signoff.signed, (v.asked || []).length]);
    if (node.dataset.key === key) return;
    node.dataset.key = key;
    const parts = [el('div', { class: 'm-section-head' }, el('h2', {}, Quiz.t('Ban giám khảo')))];
    if (work.signoff.signed) parts.push(el('p', { class: 'm-jury__signed' }, Quiz.t('Ban giám khảo đã xác nhận kết quả — điều chỉnh cần Ban giám khảo mở lại kết quả.')));
    if (!proposals.length && !appeals.length) parts.push(el('p', { class: 'm-jury__none' }, Quiz.t('Không có việc nào chờ Ban giám khảo.')));
    for (const p of proposals) {
      parts.push(el('p', { class: 'm-jury__pending', dataset: { proposal: p.id } }, el('b', {}, Quiz.t('Chờ Ban giám khảo duyệt (chưa tính điểm): ')), p.label, ` — ${p.reason}`));
    }
    for (const a of appeals) {
      parts.push(el('p', { class: 'm-jury__pending', dataset: { appeal: a.id } }, el('b', {}, Quiz.t('Khiếu nại số {id} đang chờ xử lý:', { id: a.id }) + ' '), `${a.team_name}, ${a.question_name}`));
    }
    const revealed = (v.asked || []).filter((q) => q.id !== (v.question && v.question.id) || ['revealed', 'finished', 'intro'].includes(v.phase));
    if (revealed.length) {
      const teamSel = el('select', { id: 'mc-appeal-team', 'aria-label': Quiz.t('Đội thi') }, (v.teams || []).map((t) => el('option', { value: t.id }, t.name)));
      const qSel = el('select', { id: 'mc-appeal-question', 'aria-label': Quiz.t('Câu hỏi') }, revealed.slice().reverse().map((q) => el('option', { value: q.id }, Quiz.t('Phần {round} – Câu {number}', { round: q.round + 1, number: q.number }))));
      const text = el('textarea', { id: 'mc-appeal-text', maxlength: MAX, rows: 2, placeholder: Quiz.t('Nội dung khiếu nại'), 'aria-label': Quiz.t('Nội dung khiếu nại') });
      const form = el('form', { class: 'm-jury__form', id: 'mc-appeal-form' }, teamSel, qSel, text,
        el('button', { type: 'submit', class: 'btn' }, Quiz.t('Ghi khiếu nại')));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        send({ name: 'appeal', team: teamSel.value, question: qSel.value, text: text.value }, (ack) => { if (ack && ack.ok) text.value = ''; });
      });
      parts.push(el('details', { class: 'm-jury__new' }, el('summary', {}, Quiz.t('Ghi khiếu nại thay đội')), form));
    }
    fill(node, parts);
  };
})();
