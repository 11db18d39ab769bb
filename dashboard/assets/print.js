/* Before printing, charts are redrawn at the printed width (a chart keeps the width it was
   drawn at: the print stylesheet makes its column the whole page), and again after. */
(function () {
  function redraw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll('.js-plotly-plot').forEach(function (chart) {
      window.Plotly.Plots.resize(chart);
    });
  }
  window.addEventListener('beforeprint', redraw);
  window.addEventListener('afterprint', redraw);
  if (window.matchMedia) {
    var print = window.matchMedia('print');
    var listen = print.addEventListener ? print.addEventListener.bind(print, 'change') : print.addListener.bind(print);
    listen(redraw);
  }
})();
