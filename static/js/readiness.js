/* The readiness grid of the MC console (before the first question).
 *
 * From the MC view's `readiness` (docs/protocol.md): one line ("Sẵn sàng:
 * 16/17 — Xã Mi Hòa chưa kết nối"), the devices waiting for the MC's approval
 * (Duyệt / Từ chối), the practice question's switch, and a row per device:
 * connected, round trip and jitter, clock offset, screen size, page version,
 * Wake Lock, battery, the practice answer; for a board, sound and full screen.
 */
(function (global) {
  'use strict';

  const { el, fill, setText, $ } = Quiz;
  const SLOW_MS = 150;
  const JUMPY_MS = 200;
  const OFFSET_WARN_MS = 2000;
  const LOW_BATTERY = 0.2;

  let section = null;
  let wasLobby = null;

  /** A whole number the Vietnamese way ("1.204"; "0", never ""). */
  function whole(value) {
    return Quiz.formatNumber(Math.round(value), 0);
  }

  function ms(value) {
    return value === null || value === undefined ? '–' : whole(value) + ' ms';
  }

  function cell(text, tone, title, num) {
    const cls = 'r-cell' + (tone ? ' r-cell--' + tone : '') + (num ? ' num' : '');
    return el('td', { class: cls, title: title || null }, text);
  }

  function offsetCell(value) {
    if (value === null || value === undefined) return cell('–');
    const abs = Math.abs(value);
    const text = abs >= 60000
      ? (value < 0 ? Quiz.MINUS : '+') + Quiz.t('{minutes} phút', { minutes: Quiz.formatNumber(abs / 60000, 1) })
      : (value < 0 ? Quiz.MINUS : value > 0 ? '+' : '') + whole(abs) + ' ms';
    return cell(text, abs > OFFSET_WARN_MS ? 'warn' : null,
      Quiz.t('Đồng hồ máy chủ trừ đồng hồ thiết bị (đã bù khi tính giờ)'), true);
  }

  function versionCell(current) {
    if (current === null || current === undefined) return cell('–');
    return current ? cell(Quiz.t('Mới nhất'), 'ok') : cell(Quiz.t('Bản cũ — tải lại trang'), 'bad');
  }

  function wakeCell(wake) {
    if (wake === 'on') return cell(Quiz.t('Đang giữ'), 'ok');
    if (wake === 'off') return cell(Quiz.t('Chưa giữ'), 'warn', Quiz.t('Chạm vào màn hình một lần để giữ sáng'));
    if (wake === 'unsupported') return cell(Quiz.t('Không hỗ trợ'), 'warn');
    return cell('–');
  }

  function batteryCell(b) {
    if (!b) return cell(Quiz.t('Không rõ'));
    const pct = Math.round(b.level * 100) + '%';
    const text = pct + (b.charging ? Quiz.t(' · đang sạc') : '');
    return cell(text, b.level < LOW_BATTERY && !b.charging ? 'bad' : null);
  }

  function screenText(s) {
    return s ? `${s.w}×${s.h}` : '–';
  }

  function linkCells(d) {
    return [
      cell(ms(d.rtt_ms), d.rtt_ms !== null && d.rtt_ms > SLOW_MS ? 'warn' : null, null, true),
      cell(ms(d.jitter_ms), d.jitter_ms !== null && d.jitter_ms > JUMPY_MS ? 'warn' : null, null, true),
    ];
  }

  function teamRows(t) {
    const practice = t.practice === null || t.practice === undefined ? cell('–')
      : t.practice ? cell(Quiz.t('Đã trả lời'), 'ok') : cell(Quiz.t('Chưa trả lời'), 'warn');
    if (!t.devices.length) {
      return [el('tr', { class: 'r-row r-row--missing', dataset: { team: t.id, connected: 'no' } },
        el('th', { scope: 'row', class: 'r-name' }, t.name),
        cell(Quiz.t('Chưa kết nối'), 'bad'), cell('–'), cell('–'), cell('–'), cell('–'), cell('–'),
        cell('–'), cell('–'), practice)];
    }
    return t.devices.map((d, i) => el('tr', {
      class: 'r-row', dataset: { team: t.id, connected: 'yes' },
    },
    el('th', { scope: 'row', class: 'r-name' }, i === 0 ? t.name : '',
      t.count > 1 && i === 0 ? el('span', { class: 'r-count' }, ' ' + Quiz.t('({n} thiết bị)', { n: t.count })) : null),
    cell(Quiz.t('Đã kết nối'), 'ok', d.address ? Quiz.t('Địa chỉ {address}', { address: d.address }) : null),
    ...linkCells(d),
    offsetCell(d.offset_ms),
    cell(screenText(d.screen)),
    versionCell(d.current),
    wakeCell(d.wake_lock),
    batteryCell(d.battery),
    i === 0 ? practice : cell('')));
  }

  function chip(text, tone, title) {
    return el('span', { class: 'r-chip' + (tone ? ' r-chip--' + tone : ''), title: title || null }, text);
  }

  /** The boards, one line each: connected, sound, full screen, screen, version. */
  function boardItems(boards) {
    if (!boards.length) {
      return [el('li', { class: 'r-board', dataset: { connected: 'no' } },
        el('b', { text: Quiz.t('Màn hình trình chiếu') }), chip(Quiz.t('Chưa kết nối'), 'bad'))];
    }
    return boards.map((b, i) => el('li', { class: 'r-board', dataset: { connected: 'yes', board: String(i + 1) } },
      el('b', { text: Quiz.t('Màn hình trình chiếu') + (boards.length > 1 ? ' ' + (i + 1) : '') }),
      chip(Quiz.t('Đã kết nối'), 'ok'),
      b.sound ? chip(Quiz.t('Âm thanh: bật'), 'ok')
        : chip(Quiz.t('Âm thanh: chưa bật'), 'warn', Quiz.t('Nhấn vào màn hình trình chiếu một lần để bật âm thanh')),
      b.fullscreen === true ? chip(Quiz.t('Toàn màn hình'), 'ok')
        : b.fullscreen === false ? chip(Quiz.t('Chưa toàn màn hình'), 'warn') : chip(Quiz.t('Toàn màn hình: không rõ')),
      chip(Quiz.t('Màn hình {size}', { size: screenText(b.screen) })),
      b.current === false ? chip(Quiz.t('Bản cũ — tải lại trang'), 'bad') : b.current ? chip(Quiz.t('Mới nhất'), 'ok') : null,
      b.wake_lock === 'on' ? chip(Quiz.t('Giữ sáng màn hình'), 'ok') : null));
  }

  function waitingList(list, socket, toast) {
    if (!list.length) return null;
    return el('div', { class: 'r-waiting', role: 'alert' },
      el('h3', { class: 'r-waiting__title' }, Quiz.t('Thiết bị chờ duyệt')),
      el('ul', { class: 'r-waiting__list' }, list.map((w) => el('li', {
        class: 'r-waiting__item', dataset: { id: w.id, team: w.team },
      },
      el('span', { class: 'r-waiting__who' },
        el('b', { text: w.holder === 'player' ? Quiz.t('Thí sinh {name}', { name: w.name }) : w.holder === 'judge' ? Quiz.t('Giám khảo {name}', { name: w.name }) : w.name }),
        ' — ' + Quiz.t('thiết bị mới ({device}), chờ {seconds} giây', { device: w.address + (w.screen ? ', ' + screenText(w.screen) : ''), seconds: w.waiting_s })),
      el('button', {
        type: 'button', class: 'btn btn--ok r-approve',
        on: { click: () => decide(socket, toast, w, true) },
      }, w.holder && w.holder !== 'team' ? Quiz.t('Duyệt — chuyển sang máy này') : Quiz.t('Duyệt — chuyển đội sang máy này')),
      el('button', {
        type: 'button', class: 'btn btn--bad r-refuse',
        on: { click: () => decide(socket, toast, w, false) },
      }, Quiz.t('Từ chối'))))));
  }

  function decide(socket, toast, w, approve) {
    if (!socket) return;
    Quiz.request(socket, 'device', { id: w.id, approve }, (ack) => {
      if (!ack.ok) toast(ack.message || Quiz.t('Không thực hiện được'), 'error');
      else toast(approve ? Quiz.t('Đã duyệt thiết bị mới cho {name}', { name: w.name }) : Quiz.t('Đã từ chối thiết bị của {name}', { name: w.name }));
    }, 8000);
  }

  function practiceButton(r, socket, toast) {
    const p = r.practice;
    const on = p && p.on;
    return el('button', {
      type: 'button', class: 'btn ' + (on ? 'btn--warn' : 'btn--grey') + ' r-practice',
      'aria-pressed': on ? 'true' : 'false',
      on: {
        click: () => Quiz.request(socket, 'practice', { on: !on }, (ack) => {
          if (!ack.ok) toast(ack.message || Quiz.t('Không thực hiện được'), 'error');
        }, 8000),
      },
    }, on ? Quiz.t('Kết thúc câu hỏi thử ({answered}/{of} đội đã trả lời)', { answered: p.answered, of: p.of }) : Quiz.t('Chơi câu hỏi thử (không tính điểm)'));
  }

  Quiz.renderReadiness = function (v, socket, toast) {
    section = section || $('#readiness');
    const r = v.readiness;
    if (!section || !r) return;
    const lobby = v.phase === 'lobby';
    section.hidden = false;
    section.dataset.phase = v.phase;
    const details = $('#ready-details');
    if (wasLobby !== lobby) details.open = lobby; // open before the first question
    wasLobby = lobby;
    // Once the contest is under way the grid is the devices' state, not a check before it.
    setText($('#ready-title'), lobby ? Quiz.t('Trước giờ thi') : Quiz.t('Thiết bị các đội'));
    const line = $('#ready-line');
    setText(line, r.line);
    line.dataset.all = r.ready === r.of ? 'yes' : 'no';
    const practice = $('#ready-practice');
    fill(practice, lobby || (r.practice && r.practice.on) ? practiceButton(r, socket, toast) : null);
    fill($('#ready-waiting'), waitingList(r.waiting, socket, toast));
    const pq = r.practice && r.practice.on ? r.practice.question : null;
    fill($('#ready-question'), pq ? [
      el('b', { text: Quiz.t('Câu hỏi thử: ') }), pq.text,
      Quiz.t(' — Đáp án đúng: '), el('b', { text: pq.answer }),
    ] : null);
    const players = $('#ready-players');
    if (players) {
      players.hidden = !r.players || !r.team_devices; // else the line above is the players'

      setText(players, r.players ? r.players.line : '');
    }
    if (!details.open) return;
    const judges = (r.judges || []).map((j) => teamRows(Object.assign({}, j, {
      name: Quiz.t('Giám khảo: {name}', { name: j.name }) })));
    // Teams without devices of their own (Rung chuông vàng, judged rounds only) have no rows.
    const rows = r.team_devices === false ? [] : r.teams.map(teamRows);
    $('#ready-table').hidden = !rows.length && !judges.length;
    fill($('#ready-body'), rows, judges);
    fill($('#ready-boards'), boardItems(r.boards));
  };
})(window);
