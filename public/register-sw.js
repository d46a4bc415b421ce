// Registers matwise's service worker (decision 091): the guides, Today and the timer then work offline.
if ("serviceWorker" in navigator) addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
