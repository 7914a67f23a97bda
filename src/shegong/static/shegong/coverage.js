// The coverage page's chart: rooms established and operating per town (ECharts).
// Data from the page's json_script block, series names from the chart element's
// data-* attributes (translated on the server).
(function () {
  'use strict';
  var source = document.getElementById('chart-data');
  var el = document.getElementById('chart');
  if (!window.echarts || !el || !source) return;
  var data = JSON.parse(source.textContent);
  var names = {villages: el.dataset.villages, rooms: el.dataset.rooms, operating: el.dataset.operating};
  // On a phone, 30 towns only fit as horizontal bars, one per line.
  var narrow = window.innerWidth < 768;
  if (narrow) { el.style.height = (data.towns.length * 26 + 80) + 'px'; }
  var chart = echarts.init(el);
  var towns = {type: 'category', data: data.towns, inverse: narrow,
               axisLabel: narrow ? {fontSize: 11} : {rotate: 45, interval: 0, fontSize: 11}};
  var values = {type: 'value'};
  chart.setOption({
    animation: false,  // draws at once on slow phones, and screenshots are stable
    tooltip: {trigger: 'axis'},
    legend: {data: [names.villages, names.rooms, names.operating]},
    grid: narrow ? {left: 90, right: 16, top: 40, bottom: 20} : {left: 40, right: 10, bottom: 90},
    xAxis: narrow ? values : towns,
    yAxis: narrow ? towns : values,
    series: [
      {name: names.villages, type: 'bar', data: data.villages, itemStyle: {color: '#ced4da'}},
      {name: names.rooms, type: 'bar', data: data.rooms, itemStyle: {color: '#0d6efd'}},
      {name: names.operating, type: 'bar', data: data.operating, itemStyle: {color: '#198754'}}
    ]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
