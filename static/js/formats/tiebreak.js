/* The `tiebreak` round (câu hỏi phụ) on the screens: which teams play, how far
 * sudden death has ordered them, the drawing of lots; the MC's selection and
 * lots form. Its questions play as `buzzer` or, in `closest` mode, as `all`:
 * `adapt` hands the page a view that reads as that format (the teams not
 * playing get no question, so no buzzer and no answer controls).
 * Registered in window.QuizFormats; the pages call it from small hooks. */
(function () {
  'use strict';

  function el(tag, attrs) {
    var node = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      if (k === 'text') node.textContent = a[k];
      else if (k === 'class') node.className = a[k];
      else if (a[k] !== null && a[k] !== undefined && a[k] !== false) node.setAttribute(k, a[k] === true ? '' : a[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(root) { while (root.firstChild) root.removeChild(root.firstChild); }

  function names(list) { return list.map(function (t) { return t.name; }).join(', '); }

  function howText(p) {
    if (p.how === 'lots') return Quiz.t('bốc thăm');
    return p.number ? Quiz.t('câu hỏi phụ {n}', { n: p.number }) : Quiz.t('câu hỏi phụ');
  }

  /** One tie: its order so far and the teams still level. */
  function groupNode(g, index, count) {
    var rows = g.placed.map(function (p) {
      return el('li', { class: 'f-tb__placed', 'data-how': p.how },
        el('span', { class: 'f-tb__place', text: String(p.place) }),
        el('span', { class: 'f-tb__name', text: p.name }),
        el('span', { class: 'f-tb__how', text: howText(p) }));
    });
    if (g.remaining.length) {
      rows.push(el('li', { class: 'f-tb__level' },
        el('span', { class: 'f-tb__place', text: g.placed.length + 1 + '' }),
        el('span', { class: 'f-tb__name', text: names(g.remaining) }),
        el('span', { class: 'f-tb__how', text: g.open ? Quiz.t('đang thi') : '' })));
    }
    var title = count > 1 ? Quiz.t('Nhóm {n}', { n: index + 1 }) : Quiz.t('Các đội thi câu hỏi phụ');
    var list = el('ol', { class: 'f-tb__list' });
    rows.forEach(function (r) { list.appendChild(r); });
    return el('div', { class: 'f-tb__group' }, el('p', { class: 'f-tb__title', text: title }), list);
  }

  function lotsNode(t) {
    if (!t.lots) return null;
    var text = t.lots.kind === 'server'
      ? Quiz.t('Bốc thăm trên máy chủ — số bốc thăm (seed): {seed}', { seed: t.lots.seed })
      : Quiz.t('Bốc thăm tại hội trường (MC ghi nhận)');
    return el('p', { class: 'f-tb__lots', text: text });
  }

  function summary(t, root) {
    clear(root);
    var box = el('div', { class: 'f-tb' });
    t.groups.forEach(function (g, i) { box.appendChild(groupNode(g, i, t.groups.length)); });
    var lots = lotsNode(t);
    if (lots) box.appendChild(lots);
    root.appendChild(box);
  }

  function adapt(v) {
    var t = v.tiebreak;
    if (!t || !v.round) return v;
    var copy = Object.assign({}, v);
    copy.round = Object.assign({}, v.round, {
      format: t.mode === 'closest' ? 'all' : 'buzzer',
      own_format: 'tiebreak',
    });
    if (v.role === 'team' && v.me && t.playing.indexOf(v.me.id) < 0) {
      copy.question = null; // not playing: no question, no buzzer, no answer controls
      copy.clock = null;
    }
    return copy;
  }

  /** On the round's title, in the page's intro part; else in a band under the header. */
  function board(v, root, screen) {
    var t = v.tiebreak;
    var target = screen === 'intro' ? root : document.getElementById('format-band');
    if (!target) return;
    target.hidden = !t || !t.selected;
    if (target.hidden) return;
    summary(t, target);
  }

  function team(v, root) {
    var t = v.tiebreak;
    root.hidden = !t || !t.selected;
    if (root.hidden) return;
    var me = v.me ? v.me.id : null;
    var playing = t.playing.indexOf(me) >= 0;
    var inTie = t.groups.some(function (g) { return g.teams.some(function (x) { return x.id === me; }); });
    var message = document.getElementById('message');
    clear(root);
    var head;
    if (playing) head = el('p', { class: 'f-tb__me', 'data-tone': 'go', text: Quiz.t('Đội đang thi câu hỏi phụ') });
    else if (inTie) head = el('p', { class: 'f-tb__me', 'data-tone': 'ok', text: Quiz.t('Đội đã được phân định thứ hạng') });
    else head = el('p', { class: 'f-tb__me', 'data-tone': 'info', text: Quiz.t('Đội không thi câu hỏi phụ — mời theo dõi trên màn hình chính') });
    root.appendChild(head);
    if (!playing && message) message.hidden = true;
    var box = el('div');
    summary(t, box);
    root.appendChild(box);
  }

  /* ---------- the MC: proposal, selection, lots ---------- */

  var chosen = { round: null, groups: null }; // the selection being edited

  function teamsOf(v) { return v.teams || []; }

  function nameOf(v, id) {
    var t = teamsOf(v).find(function (x) { return x.id === id; });
    return t ? t.name : id;
  }

  function selection(v) {
    var t = v.tiebreak;
    if (chosen.round !== t.round_id || !chosen.groups) {
      chosen.round = t.round_id;
      chosen.groups = t.selected
        ? t.groups.map(function (g) { return g.teams.map(function (x) { return x.id; }); })
        : t.proposal.map(function (p) { return p.teams.slice(); });
    }
    return chosen.groups;
  }

  function mcSelect(v, root, send) {
    var t = v.tiebreak;
    var groups = selection(v);
    var box = el('div', { class: 'f-tb f-tb--mc' });
    box.appendChild(el('p', { class: 'f-tb__title', text: t.proposal.length
      ? Quiz.t('Đề xuất: các đội đồng điểm ở ranh giới giải (có thể thay đổi)')
      : Quiz.t('Không có đội đồng điểm ở ranh giới giải') }));
    var noPrize = Quiz.t('không giải');
    t.proposal.forEach(function (p) {
      box.appendChild(el('p', { class: 'f-tb__note', text: Quiz.t('Hạng {rank}, {total} điểm: {teams} — ranh giới {prize} / {next}', {
        rank: p.rank, total: p.total, teams: p.names.join(', '), prize: p.prize, next: p.next_prize || noPrize,
      }) }));
    });
    (t.not_deciding || []).forEach(function (g) {
      box.appendChild(el('p', { class: 'f-tb__note f-tb__note--muted', text: Quiz.t('Đồng điểm, không ảnh hưởng giải: {teams}', { teams: names(g) }) }));
    });
    groups.forEach(function (g, gi) {
      var group = el('fieldset', { class: 'f-tb__pick' }, el('legend', { text: Quiz.t('Nhóm {n}', { n: gi + 1 }) }));
      g.forEach(function (id) {
        var remove = el('button', { type: 'button', class: 'btn f-tb__chip', 'data-team': id, title: Quiz.t('Bỏ đội khỏi nhóm') },
          nameOf(v, id) + ' ✕');
        remove.addEventListener('click', function () {
          groups[gi] = g.filter(function (x) { return x !== id; });
          if (!groups[gi].length) groups.splice(gi, 1);
          mc(v, root, send);
        });
        group.appendChild(remove);
      });
      var taken = [].concat.apply([], groups);
      var add = el('select', { class: 'f-tb__add', 'aria-label': Quiz.t('Thêm đội vào nhóm {n}', { n: gi + 1 }) },
        el('option', { value: '', text: '+ ' + Quiz.t('Thêm đội') }));
      teamsOf(v).forEach(function (x) {
        if (taken.indexOf(x.id) < 0) add.appendChild(el('option', { value: x.id, text: x.name }));
      });
      add.addEventListener('change', function () {
        if (add.value) { g.push(add.value); mc(v, root, send); }
      });
      group.appendChild(add);
      box.appendChild(group);
    });
    var newGroup = el('button', { type: 'button', class: 'btn f-tb__newgroup' }, '+ ' + Quiz.t('Nhóm mới'));
    newGroup.addEventListener('click', function () { groups.push([]); mc(v, root, send); });
    box.appendChild(newGroup);
    root.appendChild(box);
  }

  function mcLots(v, root, send) {
    var t = v.tiebreak;
    var open = t.groups.filter(function (g) { return g.open; });
    var box = el('div', { class: 'f-tb f-tb--mc' });
    if (t.lots_kind === 'server') {
      box.appendChild(el('p', { class: 'f-tb__title', text: Quiz.t('Bốc thăm trên máy chủ: bấm nút bốc thăm (số bốc thăm hiện trên màn hình)') }));
      root.appendChild(box);
      return;
    }
    box.appendChild(el('p', { class: 'f-tb__title', text: Quiz.t('Bốc thăm tại hội trường: chọn thứ tự bốc được, từ cao xuống thấp') }));
    chosen.order = chosen.order || {};
    open.forEach(function (g, gi) {
      var key = g.remaining.map(function (x) { return x.id; }).join(',');
      var picked = chosen.order[key] || [];
      chosen.order[key] = picked;
      var group = el('fieldset', { class: 'f-tb__pick' }, el('legend', { text: Quiz.t('Nhóm {n}', { n: gi + 1 }) }));
      g.remaining.forEach(function (x) {
        var at = picked.indexOf(x.id);
        var btn = el('button', { type: 'button', class: 'btn f-tb__chip', 'data-team': x.id, 'aria-pressed': at >= 0 ? 'true' : 'false' },
          (at >= 0 ? at + 1 + '. ' : '') + x.name);
        btn.addEventListener('click', function () {
          var i = picked.indexOf(x.id);
          if (i >= 0) picked.splice(i, 1); else picked.push(x.id);
          mc(v, root, send);
        });
        group.appendChild(btn);
      });
      box.appendChild(group);
    });
    root.appendChild(box);
  }

  function mc(v, root, send) {
    var t = v.tiebreak;
    root.hidden = !t;
    if (!t) return;
    clear(root);
    var next = v.next || {};
    if (next.command === 'tiebreak_select' || (!t.selected && v.phase === 'intro')) {
      mcSelect(v, root, send);
      return;
    }
    var box = el('div');
    summary(t, box);
    root.appendChild(box);
    if (next.command === 'draw_lots') mcLots(v, root, send);
  }

  /** What the big button's command needs besides its name. */
  function payload(v, next) {
    if (next.command === 'tiebreak_select') {
      return { groups: selection(v).filter(function (g) { return g.length; }) };
    }
    if (next.command === 'draw_lots' && v.tiebreak && v.tiebreak.lots_kind === 'hall') {
      var order = chosen.order || {};
      return { order: v.tiebreak.groups.filter(function (g) { return g.open; }).map(function (g) {
        return order[g.remaining.map(function (x) { return x.id; }).join(',')] || [];
      }) };
    }
    return {};
  }

  window.QuizFormats = window.QuizFormats || {};
  window.QuizFormats.tiebreak = {
    // boardPanel: beside the board's own screens (a `board` renderer would replace them)
    adapt: adapt, boardPanel: board, team: team, mc: mc, payload: payload,
  };
})();
