// The date pickers take their month and day names from window.dateFns.locale (the files in
// vendor/date-fns register French and Moroccan Arabic), picking by the browser's languages.
// Keep only the page's language, so that a French page shows French months in any browser
// and an English page keeps date-fns's English.
(function () {
  var wanted = {fr: "fr", ar: "arMA"}[document.documentElement.lang];
  document.addEventListener("DOMContentLoaded", function () {
    var all = (window.dateFns && window.dateFns.locale) || {};
    var kept = {};
    if (wanted && all[wanted]) kept[wanted] = all[wanted];
    window.dateFns = Object.assign({}, window.dateFns, {locale: kept});
  });
})();
