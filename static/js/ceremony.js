/* The pauses and the end, as the board, the MC and the tablets show them:
 * the lobby's joined teams, the round summary between rounds, the prize
 * ceremony after the last round (static/css/record.css).
 *
 * - Quiz.boardScreen(v): 'ceremony' | 'summary' | null, asked by board.js.
 * - Quiz.drawBoardExtras(v, screen): draws (or hides) those screens and the
 *   lobby's list of joined teams.
 * - Quiz.renderMcExtras(v, send): the MC's offer (round summary) and the
 *   ceremony's progress beside the next-step button.
 * - Quiz.renderTeamPrize(v): the team's prize on its tablet once revealed.
 */
(function (Quiz) {
  'use strict';

  const { el, fill } = Quiz;

  function section(id, cls) {
    let node = document.getElementById(id);
    if (!node) {
      const stage = document.querySelector('.b-stage') || document.body;
      node = el('section', { class: cls, id, hidden: true });
      stage.appendChild(node);
    }
    return node;
  }

  Quiz.boardScreen = function (v) {
    if (v.phase === 'finished' && v.ceremony) return 'ceremony';
    if (v.summary && !v.show_scoreboard) return 'summary';
    return null;
  };

  let drawnCeremony = null;
  let drawnSummary = null;
  let drawnLobby = null;

  Quiz.drawBoardExtras = function (v, screen) {
    const cer = section('ceremony', 'r-ceremony');
    const sum = section('summary', 'r-summary');
    cer.hidden = screen !== 'ceremony';
    sum.hidden = screen !== 'summary';
    if (screen === 'ceremony') {
      const sig = JSON.stringify([v.ceremony, window.innerWidth, window.innerHeight]);
      if (sig !== drawnCeremony) { drawnCeremony = sig; drawCeremony(cer, v.ceremony, v.contest || {}); }
    }
    if (screen === 'summary') {
      const sig = JSON.stringify([v.summary, window.innerWidth, window.innerHeight]);
      if (sig !== drawnSummary) { drawnSummary = sig; drawSummary(sum, v.summary); }
    }
    if (screen === 'lobby') drawLobbyTeams(v);
  };

  /* ---------- the lobby: who has joined ---------- */

  function drawLobbyTeams(v) {
    const lobby = document.getElementById('lobby');
    if (!lobby) return;
    let box = document.getElementById('lobby-teams');
    if (!box) {
      box = el('div', { class: 'r-lobby', id: 'lobby-teams' });
      lobby.appendChild(box);
    }
    const joined = new Set(v.joined || []);
    const teams = v.teams || [];
    box.hidden = !teams.length; // a contest of players only (Rung chuông vàng) has no teams
    const sig = JSON.stringify([teams.map((t) => t.id), [...joined]]);
    if (sig === drawnLobby) return;
    drawnLobby = sig;
    fill(box,
      el('p', { class: 'r-lobby__count', text: Quiz.t('Đội đã vào phòng thi: {joined}/{total}', { joined: joined.size, total: teams.length }) }),
      el('ul', { class: 'r-lobby__list', dataset: { n: String(teams.length) } }, teams.map((t) => el('li', {
        class: 'r-lobby__team' + (joined.has(t.id) ? ' r-lobby__team--in' : ''),
        dataset: { team: t.id }, title: t.name,
      }, joined.has(t.id) ? '✓ ' : '', t.name))));
  }

  /* ---------- the ceremony ---------- */

  function drawCeremony(box, c, contest) {
    const podium = c.podium || [];
    const places = [2, 1, 3]; // silver left, gold centre, bronze right
    const byRank = {};
    podium.forEach((p, i) => { byRank[i + 1] = p; });
    const current = (c.prizes || []).find((p) => p.name === c.current);
    fill(box,
      el('p', { class: 'r-ceremony__title', text: Quiz.t('Lễ trao giải') }),
      el('p', { class: 'r-ceremony__contest', text: contest.title || '' }),
      c.shown === 0 ? el('p', { class: 'r-ceremony__wait', text: Quiz.t('Kết quả chung cuộc sắp được công bố') }) : null,
      current ? el('div', { class: 'r-ceremony__now', id: 'ceremony-now' },
        el('p', { class: 'r-ceremony__prize', text: current.name }),
        el('ul', { class: 'r-ceremony__teams' }, current.teams.map((t) => el('li', { dataset: { team: t.team } },
          el('span', { class: 'r-ceremony__team', text: t.name }),
          el('span', { class: 'r-ceremony__total', text: Quiz.t('{points} điểm', { points: Quiz.formatNumber(t.total) }) }),
          t.tiebreak ? el('span', { class: 'r-ceremony__tb', text: Quiz.t('Phân định: ') + t.tiebreak }) : null)))) : null,
      podium.length ? el('div', { class: 'r-podium', id: 'podium' }, places.map((place) => {
        const p = byRank[place];
        return el('div', { class: `r-podium__step r-podium__step--${place}` + (p ? '' : ' r-podium__step--empty'),
          dataset: p ? { team: p.team } : {} },
        p ? el('p', { class: 'r-podium__name', text: p.name }) : null,
        p ? el('p', { class: 'r-podium__prize', text: p.prize }) : null,
        el('p', { class: 'r-podium__place', text: String(place) }));
      })) : null,
      (c.prizes || []).length > 1 ? el('ol', { class: 'r-ceremony__all', id: 'ceremony-all' }, c.prizes
        .filter((p) => p.name !== c.current)
        .map((p) => el('li', {},
          el('b', { text: p.name + ': ' }), p.teams.map((t) => t.name).join(', ')))) : null);
  }

  /* ---------- the round summary ---------- */

  function move(r) {
    if (r.previous_rank === null || r.previous_rank === undefined) return ['', 'same'];
    const d = r.previous_rank - r.rank;
    if (d > 0) return ['▲' + d, 'up'];
    if (d < 0) return ['▼' + -d, 'down'];
    return ['–', 'same'];
  }

  function drawSummary(box, s) {
    const rows = (s.rows || []).slice().sort((a, b) => a.rank - b.rank);
    const cols = rows.length > 20 ? 2 : 1;
    const per = Math.ceil(rows.length / cols) || 1;
    const head = () => el('div', { class: 'r-summary__row r-summary__row--head' },
      el('span', { text: Quiz.t('Hạng') }), el('span'), el('span', { text: Quiz.t('Đội thi') }),
      el('span', { class: 'num', text: Quiz.t('Điểm phần thi') }), el('span', { class: 'num', text: Quiz.t('Tổng điểm') }));
    const columns = [];
    for (let c = 0; c < cols; c++) {
      columns.push(el('div', { class: 'r-summary__col' }, head(), rows.slice(c * per, (c + 1) * per).map((r) => {
        const [m, dir] = move(r);
        return el('div', { class: 'r-summary__row', dataset: { team: r.team } },
          el('span', { class: 'r-summary__rank', text: String(r.rank) }),
          el('span', { class: `r-summary__move r-summary__move--${dir}`, text: m }),
          el('span', { class: 'r-summary__name', text: r.name, title: r.name }),
          el('span', { class: 'num r-summary__round', text: (r.round_points > 0 ? '+' : '') + Quiz.formatNumber(r.round_points) }),
          el('span', { class: 'num r-summary__total', text: Quiz.formatNumber(r.total) }));
      })));
    }
    box.style.setProperty('--rows', String(per + 1));
    box.style.setProperty('--cols', String(cols));
    fill(box,
      el('h2', { class: 'r-summary__title', text: Quiz.t('Tổng kết phần thi {number}: {title}', { number: s.number, title: s.title }) }),
      el('div', { class: 'r-summary__table' }, columns));
  }

  /* ---------- the MC: the offer and the ceremony's progress ---------- */

  Quiz.renderMcExtras = function (v, send) {
    const anchor = document.getElementById('next-btn');
    if (!anchor) return;
    let box = document.getElementById('mc-extras');
    if (!box) {
      box = el('div', { class: 'r-mcx', id: 'mc-extras' });
      anchor.insertAdjacentElement('afterend', box);
    }
    const offer = v.offer;
    const c = v.ceremony;
    const parts = [];
    if (offer) {
      const btn = el('button', { type: 'button', class: 'btn btn--ghost r-mcx__offer', id: 'offer-btn' }, offer.label);
      btn.addEventListener('click', () => send({ name: offer.command, show: offer.show }));
      parts.push(btn);
    }
    if (c) {
      const shown = c.prizes.filter((p) => p.revealed).map((p) => p.name);
      parts.push(el('p', { class: 'r-mcx__ceremony', id: 'ceremony-progress' },
        Quiz.t('Lễ trao giải: bước {shown}/{steps}', { shown: c.shown, steps: c.steps }),
        c.next ? el('span', {}, Quiz.t(' — tiếp theo: '), el('b', { text: Quiz.t('{name} ({teams} đội)', { name: c.next.name, teams: c.next.teams }) })) : Quiz.t(' — đã công bố tất cả các giải'),
        shown.length ? el('span', { class: 'r-mcx__done', text: Quiz.t(' · Đã công bố: ') + shown.reverse().join(', ') }) : null));
    }
    fill(box, parts);
    box.hidden = !parts.length;
  };

  /* ---------- the tablet: its prize ---------- */

  Quiz.renderTeamPrize = function (v) {
    const anchor = document.getElementById('message');
    if (!anchor) return;
    let box = document.getElementById('team-prize');
    if (!box) {
      box = el('p', { class: 'r-teamprize', id: 'team-prize', hidden: true });
      anchor.insertAdjacentElement('afterend', box);
    }
    box.hidden = !v.prize;
    fill(box, v.prize ? [Quiz.t('Đội đạt '), el('b', { text: v.prize })] : []);
  };
})(window.Quiz);
