/**
 * The labeling page (GET /label). Kept as a string module rather than a .html file so that the
 * compiled service in dist/ serves it without a copy step; the script and the style sheet are
 * served beside it (label-script.ts, label-styles.ts). Every piece of data is inserted by the
 * script with textContent, never as HTML.
 */
export const LABEL_PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Caveat · labeling</title>
<link rel="stylesheet" href="/label/app.css">
</head>
<body>
<header class="bar">
  <h1>Caveat <span>labeling</span></h1>
  <p id="who" class="who" hidden></p>
</header>
<main>
  <section id="setup" class="card" aria-labelledby="setup-title">
    <h2 id="setup-title">Start labeling</h2>
    <form id="setup-form" novalidate>
      <div class="field">
        <label for="annotator">Your annotator id</label>
        <input id="annotator" name="annotator" inputmode="numeric" autocomplete="off" list="annotator-list" placeholder="e.g. 3">
        <datalist id="annotator-list"></datalist>
      </div>
      <div class="field">
        <label for="campaign">Campaign</label>
        <select id="campaign" name="campaign"><option value="">Loading…</option></select>
      </div>
      <button type="submit" id="start" class="primary">Open next task</button>
    </form>
  </section>

  <div id="error" class="error" role="alert" hidden></div>
  <div id="message" class="message" role="status" aria-live="polite"></div>

  <section id="task" class="card" hidden aria-labelledby="item-title">
    <p id="task-meta" class="meta"></p>
    <article id="item">
      <h2 id="item-title">Item <span id="item-id"></span></h2>
      <p id="item-text" class="item-text"></p>
      <table id="item-attributes" class="attributes" hidden>
        <caption>Attributes</caption>
        <tbody></tbody>
      </table>
      <p id="model-answer" class="model-answer" hidden></p>
    </article>
    <form id="answer-form" novalidate>
      <fieldset id="concepts" class="concepts">
        <legend>Does the item show each concept?</legend>
        <div id="concept-list"></div>
      </fieldset>
      <fieldset id="model-judgement" class="judgement" hidden>
        <legend>Is the model's answer right?</legend>
        <label><input type="radio" name="model-correct" value="true"> Right</label>
        <label><input type="radio" name="model-correct" value="false"> Wrong</label>
      </fieldset>
      <div class="field typeahead">
        <label for="free-text" id="prompt">What makes this item hard?</label>
        <textarea id="free-text" rows="3" autocomplete="off" aria-autocomplete="list" aria-controls="suggestions" aria-describedby="free-text-hint"></textarea>
        <p id="free-text-hint" class="hint">Separate ideas with commas. Suggestions come from the concept vocabulary: ↓/↑ to choose, Tab to take one.</p>
        <ul id="suggestions" class="suggestions" role="listbox" aria-label="Suggested concepts" hidden></ul>
      </div>
      <div class="actions">
        <button type="submit" id="submit" class="primary">Submit <kbd>Enter</kbd></button>
      </div>
    </form>
  </section>

  <section id="done" class="card" hidden>
    <h2>Nothing to label</h2>
    <p id="done-reason"></p>
    <button type="button" id="retry">Check again</button>
  </section>

  <aside class="card help" aria-labelledby="help-title">
    <h2 id="help-title">Keyboard shortcuts</h2>
    <dl>
      <div><dt><kbd>y</kbd> <kbd>n</kbd> <kbd>u</kbd></dt><dd>yes / no / unsure for the focused concept, then the next one</dd></div>
      <div><dt><kbd>j</kbd> <kbd>k</kbd></dt><dd>next / previous concept</dd></div>
      <div><dt><kbd>/</kbd></dt><dd>write in the free-text box</dd></div>
      <div><dt><kbd>Esc</kbd></dt><dd>leave the free-text box</dd></div>
      <div><dt><kbd>Enter</kbd></dt><dd>submit (<kbd>Ctrl</kbd>+<kbd>Enter</kbd> inside the text box)</dd></div>
    </dl>
  </aside>
</main>
<script src="/label/app.js"></script>
</body>
</html>
`;
