/* The `buzzer` round's screen parts: the buzz order on the board and the MC
 * console, the buzzer button's state on the team tablet. Registered in
 * window.QuizFormats (static/js/common.js); the buzz rows and the headline come
 * from static/js/record.js. The button's press is sent by team.js.
 */
(function (Quiz) {
  'use strict';

  const { el, fill, setText } = Quiz;

  function namesOf(v) {
    const names = {};
    for (const t of v.teams || []) names[t.id] = t.name;
    return (id) => names[id] || id;
  }

  /* ---------- board: the order of presses, each attempt's verdict ---------- */

  let boardDrawn = null;

  function board(v, root, ctx) {
    root.hidden = !(ctx && ctx.screen === 'question' && v.question);
    if (root.hidden) { boardDrawn = null; return; }
    const sig = JSON.stringify([v.question.id, v.phase, v.buzz]);
    if (!(ctx && ctx.force) && boardDrawn === sig) return;
    boardDrawn = sig;
    // Every press of every opening, each attempt's verdict and points, and a
    // headline that follows the corrected result (static/js/record.js).
    const buzz = v.buzz || { order: [], attempts: [], locked_out: [] };
    const name = namesOf(v);
    const [status, tone] = Quiz.buzzStatus(v);
    const rows = Quiz.buzzRows(buzz, 'b-buzz');
    const locked = (buzz.locked_out || []).map(name);
    fill(root,
      el('p', { class: 'b-buzz__status' + (tone ? ' b-buzz__status--' + tone : '') }, status),
      rows.length ? el('p', { class: 'b-buzz__heading', text: Quiz.t('Thứ tự bấm chuông') }) : null,
      rows.length ? el('ol', { class: 'b-buzz__list' }, rows) : null,
      locked.length ? el('p', { class: 'b-buzz__locked', text: Quiz.t('Bấm sớm, mất quyền trả lời: {teams}', { teams: locked.join(', ') }) }) : null);
  }

  /* ---------- team: the buzzer button ---------- */

  const BUZZ = {
    open: [Quiz.t('Bấm chuông!'), Quiz.t('Bấm ngay khi đội biết câu trả lời')],
    buzzed: [Quiz.t('Đã bấm chuông'), Quiz.t('Chờ xác định đội nhanh nhất...')],
    won: [Quiz.t('Đội giành quyền trả lời'), ''],
    lost: [Quiz.t('Đội khác đã giành quyền'), Quiz.t('Chờ lượt tiếp theo')],
    done: [Quiz.t('Đội đã trả lời câu này'), ''],
    locked_out: [Quiz.t('Bấm sớm — mất quyền trả lời câu này'), Quiz.t('Đội bấm chuông trước khi chuông mở')],
  };

  /** ctx: {buzz: the tablet's own press feedback or null, received: the answer it sent}. */
  function team(v, root, ctx) {
    const local = ctx || {};
    const show = !!v.question && v.phase !== 'revealed';
    root.hidden = !show;
    if (!show) return;
    const button = root.querySelector('#buzz-btn');
    let status = v.buzzer || 'closed';
    let [text, note] = BUZZ[status] || ['', ''];
    let enabled = false;
    if (status === 'closed') {
      if (v.phase === 'shown') {
        text = Quiz.t('Chưa được bấm chuông');
        note = Quiz.t('Chờ MC mở chuông. Bấm sớm sẽ mất quyền trả lời câu này!');
        enabled = true; // the press is still sent: the rules decide (lockout)
      } else {
        text = Quiz.t('Đã đóng chuông');
        note = '';
      }
    }
    if (status === 'open') enabled = true;
    // While another team answers a press is still kept in the order (record.js).
    if (status === 'lost' && !Quiz.pressedThisOpening(v)) enabled = true;
    if (status === 'won') {
      note = v.answer_on === 'tablet' ? Quiz.t('Mời đội chọn đáp án bên dưới') : Quiz.t('Mời đội trả lời trực tiếp');
    }
    if (status === 'done' && local.received) note = Quiz.t('Đã ghi nhận đáp án: {answer}', { answer: local.received.display });
    // Answering on the tablet: a smaller button leaves room for the choices.
    root.dataset.compact = status === 'won' && v.answer_on === 'tablet' ? 'yes' : 'no';
    // Local feedback between the press and the server's answer.
    const pressing = local.buzz && (status === 'open' || status === 'closed');
    if (pressing && local.buzz.status === 'pressing') {
      status = 'pressing';
      text = Quiz.t('Đã bấm chuông');
      note = Quiz.t('Đang gửi...');
      enabled = false;
    } else if (pressing && local.buzz.status === 'error') {
      note = local.buzz.message;
    }
    root.dataset.state = status;
    button.dataset.state = status;
    button.disabled = !enabled;
    setText(root.querySelector('#buzz-text'), text);
    setText(root.querySelector('#buzz-note'), note);
  }

  /* ---------- MC: who has the floor, the order of presses ---------- */

  function mc(v, root) {
    const buzz = v.buzz;
    root.hidden = !buzz;
    if (!buzz) return;
    const name = namesOf(v);
    // Every press, each attempt's verdict and points (static/js/record.js).
    const status = buzz.winner && buzz.time_up ? [Quiz.t('Hết giờ — chấm đội'), ' ', el('b', { text: name(buzz.winner) })]
      : buzz.winner ? [Quiz.t('Đội giành quyền trả lời:'), ' ', el('b', { text: name(buzz.winner) })]
        : buzz.open ? [Quiz.t('Đang mở chuông — chờ các đội bấm')] : v.phase === 'shown' ? [Quiz.t('Chưa mở chuông')]
          : [Quiz.t('Chuông đã đóng')];
    const rows = Quiz.buzzRows(buzz, 'm-buzz');
    fill(root,
      el('p', { class: 'm-buzz__status' + (buzz.winner ? ' is-winner' : buzz.open ? ' is-open' : '') }, status),
      rows.length ? el('ol', { class: 'm-buzz__order' }, rows)
        : el('p', { class: 'm-buzz__none', text: Quiz.t('Chưa có đội bấm chuông') }),
      (buzz.locked_out || []).length ? el('p', { class: 'm-buzz__locked',
        text: Quiz.t('Bấm sớm, mất quyền: {teams}', { teams: buzz.locked_out.map(name).join(', ') }) }) : null);
  }

  // part: draws a part of the shared screens, not a question screen of its own.
  window.QuizFormats.buzzer = { part: true, board, team, mc };
})(window.Quiz);
