// Only improves the page: a file dropped anywhere on the upload form goes into its file field.
// Every action works without this script.
for (const form of document.querySelectorAll("form[data-slapp]")) {
  const input = form.querySelector("input[type=file]");
  form.addEventListener("dragover", (event) => {
    event.preventDefault();
    form.classList.add("over");
  });
  form.addEventListener("dragleave", () => form.classList.remove("over"));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    form.classList.remove("over");
    if (input && event.dataTransfer && event.dataTransfer.files.length > 0) input.files = event.dataTransfer.files;
  });
}
