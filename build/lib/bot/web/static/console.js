// The queue refreshes itself: every 15 s it asks whether anything changed (a 204 costs a few bytes on 3G)
// and, when a case arrived, vibrates or beeps if the duty officer turned that on. No framework.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  if (!queue) return;
  var sound = document.getElementById("alert-sound");
  if (sound) {
    sound.checked = localStorage.getItem("cp-alert-sound") === "1";
    sound.addEventListener("change", function () { localStorage.setItem("cp-alert-sound", sound.checked ? "1" : "0"); });
  }
  function codes() {
    return Array.prototype.map.call(queue.querySelectorAll(".code"), function (el) { return el.textContent.trim(); });
  }
  function signal() {
    if (!sound || !sound.checked) return;
    if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    try {
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (e) { /* no sound on this phone: the vibration and the list still show it */ }
  }
  function refresh() {
    fetch("/queue/rows?since=" + encodeURIComponent(queue.dataset.mark), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 200) return null;
        queue.dataset.mark = response.headers.get("x-queue-mark") || "";
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var before = codes();
        queue.innerHTML = html;
        if (codes().some(function (code) { return before.indexOf(code) < 0; })) signal();
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  var every = Number(queue.dataset.every || 15000);
  setInterval(refresh, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
})();
