/* Judged rounds (phần thi do Ban giám khảo chấm): the board, tablet, MC and
 * judge parts. Each renderer draws `view.judged` (the team called, each
 * judge's score once scoring is closed, the result) into `root`.
 */
(function () {
  'use strict';

  const { el, fill } = Quiz;
  const num = (x) => (x === null || x === undefined ? '—' : Quiz.formatNumber(x));

  const COMBINE = {
    mean: Quiz.t('Điểm trung bình của giám khảo'),
    trimmed_mean: Quiz.t('Trung bình sau khi bỏ điểm cao nhất và thấp nhất'),
    sum: Quiz.t('Tổng điểm của giám khảo'),
  };

  function caption(t) {
    const s = t.settings || {};
    const parts = [COMBINE[s.combine] || ''];
    if (s.weight && s.weight !== 1) parts.push(Quiz.t('hệ số {n}', { n: num(s.weight) }));
    return parts.filter(Boolean).join(' · ');
  }

  function judgeCard(j, show, cls) {
    let value = '';
    let state = 'waiting';
    if (show && j.score !== null && j.score !== undefined) { value = num(j.score); state = 'scored'; }
    else if (j.scored) { value = '✓'; state = 'done'; }
    else if (show) { value = '—'; state = 'missing'; }
    else value = '…';
    return el('li', { class: `${cls}__judge`, 'data-state': state, 'data-dropped': j.dropped ? 'yes' : 'no' },
      el('span', { class: `${cls}__jname`, text: j.name }),
      el('span', { class: `${cls}__jscore`, text: value }),
      j.dropped ? el('span', { class: `${cls}__jnote`, text: Quiz.t('không tính') }) : null);
  }

  function status(t) {
    if (t.shown) return Quiz.t('Đã công bố điểm');
    if (t.show) return t.close_reason === 'mc' ? Quiz.t('Kết quả chấm (đã dừng chấm)') : Quiz.t('Kết quả chấm');
    return Quiz.t('Giám khảo đang chấm: {n}/{of}', { n: t.scored, of: t.judges.length });
  }

  function board(view, root) {
    const t = view.judged;
    if (!t) { fill(root); return; }
    root.className = 'j-board';
    root.dataset.show = t.show ? 'yes' : 'no';
    fill(root,
      el('p', { class: 'j-board__turn', text: Quiz.t('Đội {n}/{of}', { n: t.number, of: t.of }) }),
      el('h2', { class: 'j-board__team', text: t.team_name }),
      el('p', { class: 'j-board__status', text: status(t) }),
      el('ol', { class: 'j-board__judges', style: { '--n': String(Math.min(t.judges.length, 5)) } },
        t.judges.map((j) => judgeCard(j, t.show, 'j-board'))),
      t.show ? el('div', { class: 'j-board__result' },
        el('span', { class: 'j-board__rlabel', text: Quiz.t('Kết quả') }),
        el('span', { class: 'j-board__rvalue', text: num(t.points) }),
        el('span', { class: 'j-board__rnote', text: caption(t) })) : null);
  }

  function team(view, root) {
    const t = view.judged;
    if (!t) { fill(root); return; }
    const me = view.me && view.me.id === t.team;
    root.className = 'j-team';
    fill(root,
      el('p', { class: 'j-team__who', text: t.shown
        ? (me ? Quiz.t('Kết quả của đội mình') : Quiz.t('Kết quả của {team}', { team: t.team_name }))
        : (me ? Quiz.t('Ban giám khảo đang chấm đội mình') : Quiz.t('Ban giám khảo đang chấm: {team}', { team: t.team_name })) }),
      el('p', { class: 'j-team__status', text: status(t) }),
      t.show ? el('ul', { class: 'j-team__judges' }, t.judges.map((j) => judgeCard(j, true, 'j-team'))) : null,
      t.show ? el('p', { class: 'j-team__result', text: Quiz.t('Kết quả: {n} điểm', { n: num(t.points) }) }) : null);
  }

  function mc(view, root, send) {
    const t = view.judged_scores;
    if (!t) { fill(root); return; }
    root.className = 'j-mc';
    const connected = new Set(view.judges_connected || []);
    const rows = t.judges.map((j) => el('li', { class: 'j-mc__judge', 'data-state': j.scored ? 'scored' : 'waiting' },
      el('span', { class: 'j-mc__jname', text: j.name }),
      el('span', { class: 'j-mc__jconn', text: connected.has(j.id) ? Quiz.t('đang kết nối') : Quiz.t('chưa kết nối') }),
      el('span', { class: 'j-mc__jscore', text: j.scored ? num(j.score) : Quiz.t('chưa chấm') }),
      j.dropped ? el('span', { class: 'j-mc__jnote', text: Quiz.t('không tính') }) : null));
    const parts = [
      el('p', { class: 'j-mc__turn', text: Quiz.t('Đội {n}/{of}', { n: t.number, of: t.of }) + ': ' + t.team_name }),
      el('p', { class: 'j-mc__status', text: Quiz.t('{n}/{of} giám khảo đã chấm', { n: t.scored, of: t.judges.length }) + ' · ' + caption(t) }),
      el('ol', { class: 'j-mc__judges' }, rows),
      el('p', { class: 'j-mc__result', text: Quiz.t('Kết quả hiện tại: {n}', { n: num(t.points) }) }),
    ];
    if (t.shown && send) parts.push(fixForm(view, t, send));
    fill(root, ...parts);
  }

  /** A judge's score set by hand after it is shown: a correction with a reason. */
  function fixForm(view, t, send) {
    const s = t.settings;
    const pick = el('select', { class: 'j-mc__fjudge', 'aria-label': Quiz.t('Giám khảo') },
      t.judges.map((j) => el('option', { value: j.id, text: j.name })));
    const box = (id, label, max) => el('input', { class: 'j-mc__fscore', type: 'number', step: String(s.step), min: '0',
      max: String(max), 'aria-label': label, 'data-criterion': id, placeholder: label });
    const criteria = s.criteria || [];
    const inputs = criteria.length ? criteria.map((c) => box(c.id, c.title, c.max)) : [box('score', Quiz.t('Điểm'), s.max)];
    const reason = el('input', { class: 'j-mc__freason', type: 'text', maxlength: '500', placeholder: Quiz.t('Lý do (bắt buộc)') });
    const go = el('button', { type: 'button', class: 'btn j-mc__fgo', text: Quiz.t('Sửa điểm giám khảo') });
    go.addEventListener('click', () => {
      const payload = { name: 'set_judge_score', question: view.question.id, judge: pick.value, reason: reason.value };
      if (criteria.length) {
        payload.parts = {};
        for (const i of inputs) payload.parts[i.dataset.criterion] = Number(i.value);
      } else payload.score = Number(inputs[0].value);
      send(payload);
    });
    return el('div', { class: 'j-mc__fix' }, el('p', { class: 'j-mc__ftitle', text: Quiz.t('Sửa điểm đã công bố (ghi vào biên bản)') }),
      pick, inputs, reason, go);
  }

  /* ---------- the judge's own page ---------- */

  function judge(view, root, send, local) {
    const t = view.turn;
    const r = view.round;
    root.className = 'j-judge';
    if (!r || r.format !== 'judged') {
      fill(root, el('p', { class: 'j-judge__wait', text: view.phase === 'finished' ? Quiz.t('Hội thi đã kết thúc. Cảm ơn giám khảo!') : Quiz.t('Chờ phần thi do Ban giám khảo chấm điểm...') }));
      return;
    }
    if (!r.mine) {
      fill(root, el('p', { class: 'j-judge__wait', text: Quiz.t('{round}: giám khảo không chấm phần thi này.', { round: r.title }) }));
      return;
    }
    if (!t) {
      fill(root, el('h2', { class: 'j-judge__round', text: r.title }),
        el('p', { class: 'j-judge__wait', text: Quiz.t('Chờ người dẫn chương trình mời đội...') }));
      return;
    }
    const s = r.settings;
    const key = t.question;
    if (local.turn !== key) { local.turn = key; local.draft = null; local.status = ''; }
    const mine = t.mine;
    const criteria = s.criteria || [];
    const inputs = [];
    const field = (id, label, max, value) => {
      const input = el('input', { class: 'j-judge__input', type: 'number', inputmode: 'decimal', min: '0', max: String(max),
        step: String(s.step), id: 'score-' + id, 'data-criterion': id, disabled: !t.may_score });
      if (value !== null && value !== undefined) input.value = String(value);
      inputs.push(input);
      return el('label', { class: 'j-judge__field', for: 'score-' + id },
        el('span', { class: 'j-judge__flabel', text: label }),
        input,
        el('span', { class: 'j-judge__fmax', text: `/ ${num(max)}` }));
    };
    const draft = local.draft || {};
    const fields = criteria.length
      ? criteria.map((c) => field(c.id, c.title, c.max, c.id in draft ? draft[c.id] : mine && mine.parts ? mine.parts[c.id] : null))
      : [field('score', Quiz.t('Điểm'), s.max, 'score' in draft ? draft.score : mine ? mine.score : null)];
    const total = el('p', { class: 'j-judge__total' });
    const sendBtn = el('button', { type: 'button', class: 'btn j-judge__send', disabled: !t.may_score, hidden: t.shown,
      text: mine ? Quiz.t('Gửi điểm đã sửa') : Quiz.t('Gửi điểm') });
    const note = el('p', { class: 'j-judge__status', role: 'status', 'aria-live': 'polite' });
    function readDraft() {
      const d = {};
      for (const input of inputs) d[input.dataset.criterion] = input.value;
      local.draft = d;
      if (criteria.length) {
        const sum = inputs.reduce((a, i) => a + (i.value === '' ? 0 : Number(i.value)), 0);
        total.textContent = Quiz.t('Tổng: {n} / {max}', { n: num(Math.round(sum * 100) / 100), max: num(s.max) });
      }
    }
    for (const input of inputs) input.addEventListener('input', readDraft);
    if (criteria.length) readDraft();
    else local.draft = local.draft || null;
    sendBtn.addEventListener('click', () => {
      const payload = { question: key };
      if (inputs.some((i) => i.value === '')) { note.textContent = Quiz.t('Hãy nhập đủ điểm'); note.dataset.tone = 'error'; return; }
      if (criteria.length) {
        payload.parts = {};
        for (const i of inputs) payload.parts[i.dataset.criterion] = Number(i.value);
      } else payload.score = Number(inputs[0].value);
      sendBtn.disabled = true;
      note.textContent = Quiz.t('Đang gửi...');
      send(payload, (ack) => {
        sendBtn.disabled = false;
        if (ack.ok) { local.draft = null; local.status = Quiz.t('Đã ghi nhận'); note.textContent = local.status; note.dataset.tone = 'ok'; }
        else { note.textContent = ack.message || Quiz.t('Điểm chưa được ghi nhận'); note.dataset.tone = 'error'; }
      });
    });
    let info = '';
    if (t.shown) {
      info = mine ? Quiz.t('Điểm đã công bố ({n} điểm) — không sửa được nữa.', { n: num(mine.score) })
        : Quiz.t('Điểm đã công bố — không sửa được nữa.');
    } else if (mine) info = Quiz.t('Đã ghi nhận: {n} điểm. Có thể sửa cho đến khi công bố.', { n: num(mine.score) });
    note.textContent = info;
    note.dataset.tone = mine ? 'ok' : '';
    fill(root,
      el('p', { class: 'j-judge__round', text: r.title + ' · ' + Quiz.t('Đội {n}/{of}', { n: t.number, of: t.of }) }),
      el('h2', { class: 'j-judge__team', text: t.team_name }),
      el('p', { class: 'j-judge__scale', text: criteria.length
        ? Quiz.t('Chấm theo {n} tiêu chí, tối đa {max} điểm, bước {step}', { n: criteria.length, max: num(s.max), step: num(s.step) })
        : Quiz.t('Thang điểm {max}, bước {step}', { max: num(s.max), step: num(s.step) }) }),
      el('div', { class: 'j-judge__fields' }, fields),
      criteria.length ? total : null,
      sendBtn,
      note,
      t.public && t.public.show ? el('div', { class: 'j-judge__public' },
        el('p', { text: Quiz.t('Kết quả trên màn hình: {n}', { n: num(t.public.points) }) })) : null);
  }

  window.QuizFormats = window.QuizFormats || {};
  // mcIn: the MC draws this format in the question card (the team being scored);
  // replacesQuestion: on the tablet its part stands for the question.
  window.QuizFormats.judged = { board, team, mc, judge, mcIn: 'question', replacesQuestion: true };
})();
