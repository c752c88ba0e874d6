/* The `all` round's screen parts: on the board, the strip of who has answered
 * (never what) while answering is open. Registered in window.QuizFormats
 * (static/js/common.js). The team tablet and the MC console show nothing of
 * `all` beyond what every round shows.
 */
(function (Quiz) {
  'use strict';

  const { el, fill } = Quiz;

  let stripDrawn = null;

  /** ctx: {screen, force, unit (the board's size unit in px), size (the window's size)}. */
  function board(v, root, ctx) {
    const show = ctx.screen === 'question' && (v.phase === 'shown' || v.phase === 'open')
      && (v.teams || []).length > 0;
    root.hidden = !show;
    if (!show) { stripDrawn = null; return; }
    const teams = v.teams.map((t) => [t.id, t.name, !!t.answered]);
    const sig = JSON.stringify([teams, ctx.size]);
    if (!ctx.force && stripDrawn === sig) return;
    stripDrawn = sig;
    const done = teams.filter((t) => t[2]).length;
    fill(root,
      el('span', { class: 'b-strip__count', text: Quiz.t('Đã trả lời: {n}/{of}', { n: done, of: teams.length }) }),
      teams.map(([id, name, answered]) => el('span', {
        class: 'b-chip' + (answered ? ' b-chip--done' : ''), dataset: { team: id },
      }, name)));
    // Keep the strip to about two lines: shrink the chips for large contests.
    const u = ctx.unit;
    let size = 2 * u;
    root.style.setProperty('--chip-size', size + 'px');
    while (root.scrollHeight > 11 * u && size > 0.9 * u) {
      size -= 0.1 * u;
      root.style.setProperty('--chip-size', size + 'px');
    }
  }

  // part: draws a part of the shared screens, not a question screen of its own.
  window.QuizFormats.all = { part: true, board };
})(window.Quiz);
