(function () {
  var box = document.getElementById("filter");
  var rows = document.querySelectorAll("#findings tbody tr");
  if (!box) { return; }
  box.addEventListener("input", function () {
    var query = box.value.toLowerCase();
    rows.forEach(function (row) {
      row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) === -1;
    });
  });
})();
