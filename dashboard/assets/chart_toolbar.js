/* The charts' toolbar: beside plotly.js's "download as PNG", a button that downloads the
   chart as SVG (Plotly.downloadImage), named like the PNG. Its title comes from the chart's
   holder (data-svg-title, in the page's language). plotly.js keeps the buttons it did not
   draw when it updates its toolbar, and redraws the toolbar whole when its buttons change:
   the button is added again to any toolbar that lacks it. */
(function () {
  'use strict';
  var ICON = '<svg viewBox="0 0 1000 1000" class="icon" height="1em" width="1em" aria-hidden="true">' +
    '<path d="M150 80h450l250 250v590H150zM560 140v230h230zM450 420v250l-90-90-60 60 200 200 ' +
    '200-200-60-60-90 90V420z"></path></svg>';

  function download(chart) {
    var options = (chart._context && chart._context.toImageButtonOptions) || {};
    window.Plotly.downloadImage(chart, {format: 'svg', filename: options.filename || 'chart'});
  }

  function addButton(chart) {
    var group = chart.querySelector('.modebar-group');
    if (!group || chart.querySelector('[data-attr="download-svg"]')) { return; }
    var holder = chart.closest('[data-svg-title]');
    var title = holder ? holder.getAttribute('data-svg-title') : 'Download plot as an SVG';
    var button = document.createElement('a');
    button.className = 'modebar-btn';
    button.setAttribute('rel', 'tooltip');
    button.setAttribute('data-title', title);
    button.setAttribute('data-attr', 'download-svg');
    button.setAttribute('data-gravity', 'n');
    button.setAttribute('role', 'button');
    button.setAttribute('aria-label', title);
    button.innerHTML = ICON;
    button.addEventListener('click', function (event) {
      event.preventDefault();
      download(chart);
    });
    group.appendChild(button);
  }

  var pending = false;
  function scan() {
    pending = false;
    if (!window.Plotly) { return; }
    document.querySelectorAll('.js-plotly-plot').forEach(addButton);
  }
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(scan);
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
