/* The join sheet's one button: print it. */
(function () {
  'use strict';
  const button = document.getElementById('print-btn');
  if (button) button.addEventListener('click', () => window.print());
})();
