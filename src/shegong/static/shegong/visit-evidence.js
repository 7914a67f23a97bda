/* The visit form's evidence from the field: the check-in location (only when the worker
   ticks it; kept in hidden fields, never in a URL) and the client's signature drawn on a
   canvas, sent as a PNG. Texts come from the form's data- attributes (translated). */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  var status = document.getElementById("location-status");
  var box = form.querySelector("input[name=record_location]");
  function set(name, value) {
    var input = form.querySelector("input[name=" + name + "]");
    if (input) input.value = value;
  }
  if (box) {
    box.addEventListener("change", function () {
      if (!box.checked) {
        set("latitude", ""); set("longitude", ""); set("location_accuracy", "");
        status.textContent = "";
        return;
      }
      if (!navigator.geolocation) { status.textContent = form.dataset.noLocation; return; }
      status.textContent = form.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        set("latitude", pos.coords.latitude.toFixed(6));
        set("longitude", pos.coords.longitude.toFixed(6));
        set("location_accuracy", Math.round(pos.coords.accuracy));
        status.textContent = form.dataset.located.replace("%s", Math.round(pos.coords.accuracy));
      }, function () {
        status.textContent = form.dataset.noLocation;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  var canvas = document.getElementById("signature-pad");
  if (!canvas) return;
  var ctx = canvas.getContext("2d");
  var drawn = false, down = false;
  function fit() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = 140 * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 2; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    drawn = false;
  }
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }
  canvas.addEventListener("pointerdown", function (e) {
    down = true; canvas.setPointerCapture(e.pointerId);
    var p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]);
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!down) return;
    var p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); drawn = true;
  });
  canvas.addEventListener("pointerup", function () { down = false; });
  document.getElementById("signature-clear").addEventListener("click", function () {
    ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; set("signature", "");
  });
  form.addEventListener("submit", function () {
    set("signature", drawn ? canvas.toDataURL("image/png") : "");
  });
  fit();
})();
