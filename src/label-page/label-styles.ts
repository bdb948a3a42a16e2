/** Style sheet of the labeling page (GET /label/app.css): one column, large touch targets, readable on a phone. */
export const LABEL_PAGE_CSS = String.raw`
*, *::before, *::after { box-sizing: border-box; }
:root { --fg: #1d2330; --muted: #5b6475; --line: #d7dbe3; --bg: #f5f6f8; --card: #fff; --accent: #1f5fbf; --yes: #18794e; --no: #b42318; --unsure: #8a6d00; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
.bar { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .5rem; padding: .75rem 1rem; background: #10223f; color: #fff; }
.bar h1 { margin: 0; font-size: 1.15rem; }
.bar h1 span { font-weight: 400; opacity: .8; }
.who { margin: 0; font-size: .9rem; opacity: .9; }
main { max-width: 48rem; margin: 0 auto; padding: .75rem; display: grid; gap: .75rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1rem; }
h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
.field { display: grid; gap: .25rem; margin-bottom: .75rem; }
label { font-weight: 600; }
input[type=text], input:not([type]), input[inputmode], select, textarea { width: 100%; font: inherit; padding: .55rem .6rem; border: 1px solid var(--line); border-radius: .4rem; background: #fff; }
textarea { resize: vertical; min-height: 4.5rem; }
button { font: inherit; min-height: 2.75rem; padding: .5rem 1rem; border-radius: .4rem; border: 1px solid var(--line); background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button:disabled { opacity: .6; cursor: progress; }
:focus-visible { outline: 3px solid #8db4ff; outline-offset: 2px; }
kbd { font: .8em ui-monospace, monospace; padding: .05rem .35rem; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: .25rem; background: #f7f7f9; color: var(--fg); }
button.primary kbd { background: rgba(255,255,255,.15); color: #fff; border-color: rgba(255,255,255,.4); }
.error { background: #fdecea; color: #7a1a12; border: 1px solid #f3b8b1; border-radius: .5rem; padding: .75rem 1rem; font-weight: 600; }
.message:empty { display: none; }
.message { background: #e9f6ef; color: #134e35; border: 1px solid #b5e0c7; border-radius: .5rem; padding: .75rem 1rem; }
.meta { margin: 0 0 .5rem; color: var(--muted); font-size: .9rem; }
.item-text { white-space: pre-wrap; font-size: 1.05rem; margin: .25rem 0 .75rem; }
.attributes { border-collapse: collapse; width: 100%; margin-bottom: .75rem; font-size: .95rem; }
.attributes caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
.attributes th, .attributes td { text-align: left; padding: .3rem .4rem; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
.attributes th { color: var(--muted); font-weight: 500; width: 40%; }
.model-answer { padding: .5rem .75rem; border-left: 4px solid var(--accent); background: #eef3fc; }
fieldset { border: 0; padding: 0; margin: 0 0 .75rem; min-width: 0; }
legend { font-weight: 700; margin-bottom: .4rem; padding: 0; }
.concept { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; padding: .6rem; border: 1px solid var(--line); border-radius: .5rem; margin-bottom: .45rem; }
.concept.focused { border-color: var(--accent); box-shadow: 0 0 0 2px #c9dafb; }
.concept .name { font-weight: 600; }
.concept .desc { display: block; color: var(--muted); font-size: .85rem; font-weight: 400; }
.choices { display: flex; gap: .35rem; }
.choices label { position: relative; }
.choices input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
.choices span { display: inline-flex; align-items: center; justify-content: center; min-width: 4.2rem; min-height: 2.6rem; padding: .3rem .6rem; border: 1px solid var(--line); border-radius: .4rem; font-weight: 600; }
.choices input:focus-visible + span { outline: 3px solid #8db4ff; outline-offset: 2px; }
.choices input[value=yes]:checked + span { background: var(--yes); border-color: var(--yes); color: #fff; }
.choices input[value=no]:checked + span { background: var(--no); border-color: var(--no); color: #fff; }
.choices input[value=unsure]:checked + span { background: var(--unsure); border-color: var(--unsure); color: #fff; }
.judgement label { font-weight: 500; margin-right: 1rem; }
.typeahead { position: relative; }
.hint { margin: 0; color: var(--muted); font-size: .85rem; }
.suggestions { list-style: none; margin: 0; padding: .25rem 0; border: 1px solid var(--line); border-radius: .4rem; background: #fff; box-shadow: 0 6px 18px rgba(16,34,63,.12); }
.suggestions li { padding: .55rem .75rem; cursor: pointer; }
.suggestions li[aria-selected=true], .suggestions li:hover { background: #eef3fc; }
.suggestions .via { color: var(--muted); font-size: .85rem; margin-left: .4rem; }
.suggestions .proposed { color: var(--unsure); font-size: .8rem; margin-left: .4rem; }
.actions { display: flex; gap: .5rem; justify-content: flex-end; }
.help dl { margin: 0; display: grid; gap: .35rem; }
.help dl div { display: flex; gap: .75rem; }
.help dt { min-width: 6.5rem; }
.help dd { margin: 0; color: var(--muted); }
[hidden] { display: none !important; }
@media (max-width: 30rem) {
  main { padding: .5rem; }
  .card { padding: .75rem; }
  .concept { flex-direction: column; align-items: stretch; }
  .choices { width: 100%; }
  .choices label { flex: 1; }
  .choices span { width: 100%; min-width: 0; }
  .actions button { width: 100%; }
  .help dl div { flex-direction: column; gap: 0; }
}
`;
