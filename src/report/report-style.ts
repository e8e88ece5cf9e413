/** The report's only stylesheet, inlined: light and dark schemes, cards in a grid, bars drawn with boxes. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #f6f7f9; --fg: #1d2430; --muted: #5b6573; --card: #ffffff; --line: #d8dde4;
  --error: #b42318; --error-bg: #fde8e6; --warn: #8a5a00; --warn-bg: #fff4d6; --ok: #1a7f37; --ok-bg: #e3f5e8;
  --accent: #1f5fbf; --seg-video: #3b82f6; --seg-audio: #8b5cf6; --cut: #e5484d; --fixed: #0b6e8a; --fixed-bg: #dff3f8; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14171c; --fg: #e6e9ee; --muted: #9aa4b2; --card: #1d2128; --line: #343a44;
    --error: #ff8a80; --error-bg: #3d1d1b; --warn: #ffcf66; --warn-bg: #3a2f12; --ok: #6fd08c; --ok-bg: #17321f;
    --accent: #7fb0ff; --seg-video: #4f8ff7; --seg-audio: #9d7bf5; --cut: #ff6b6f; --fixed: #62cde8; --fixed-bg: #123440; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; } h3 { font-size: 1rem; margin: 0 0 .5rem; } h4 { font-size: .95rem; margin: .75rem 0 .25rem; }
a { color: var(--accent); }
code, pre { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--bg); padding: .5rem; border-radius: 6px; margin: .25rem 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; }
.badge.ok, .badge.done, .badge.passing { background: var(--ok-bg); color: var(--ok); }
.badge.fixed { background: var(--fixed-bg); color: var(--fixed); }
.badge.failed, .badge.error, .badge.failing { background: var(--error-bg); color: var(--error); }
.badge.warning, .badge.dry-run, .badge.busy, .badge.interrupted, .badge.not-started { background: var(--warn-bg); color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
tr.error td.severity, table.counts tr.error td { color: var(--error); font-weight: 600; } tr.warning td.severity { color: var(--warn); font-weight: 600; }
section.job { background: transparent; border-top: 2px solid var(--line); margin-top: 2rem; }
.request, .jobinfo { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; margin: 1rem 0; }
.prompt { font-size: 1.05rem; margin: .5rem 0; padding: .5rem .75rem; border-left: 4px solid var(--accent); background: var(--bg); border-radius: 4px; }
.ref { font-weight: 600; border-radius: 4px; padding: 0 .2rem; }
a.ref { background: color-mix(in srgb, var(--accent) 15%, transparent); text-decoration: none; }
mark.ref.missing { background: var(--error-bg); color: var(--error); text-decoration: underline wavy; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); gap: 1rem; }
.card { min-width: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; scroll-margin-top: 1rem; }
.card:target { outline: 3px solid var(--accent); }
.card.failing { border-left: 5px solid var(--error); } .card.passing { border-left: 5px solid var(--ok); } .card.fixed { border-left: 5px solid var(--fixed); }
/* ffmpeg arguments, sources and paths are long words: they wrap anywhere, inside the card, never past its edge */
.card td, table.index td { overflow-wrap: break-word; } td.op, td.source, td.path { overflow-wrap: anywhere; }
ul.remedies { margin: 0; padding-left: 1rem; }
.card h3 { overflow-wrap: anywhere; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
figure { margin: 0; }
figcaption { font-size: .8rem; color: var(--muted); overflow-wrap: anywhere; }
img.main { display: block; max-width: 100%; max-height: 240px; border-radius: 6px; background: #000; }
.strip { display: flex; gap: 4px; margin-top: 4px; } .strip img { width: calc(25% - 3px); height: auto; border-radius: 3px; }
.nopreview { display: grid; place-items: center; min-height: 80px; border: 1px dashed var(--line); border-radius: 6px; color: var(--muted); font-size: .85rem; padding: .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .5rem 0; font-size: .85rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.budget .bar { position: relative; display: flex; height: 1.6rem; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; overflow: hidden; }
.budget .seg { position: relative; height: 100%; border-right: 2px solid var(--card); overflow: hidden; display: flex; }
.budget .seg .kept { height: 100%; } .budget[data-kind="video"] .kept { background: var(--seg-video); } .budget[data-kind="audio"] .kept { background: var(--seg-audio); }
.budget .seg .cut { height: 100%; background: repeating-linear-gradient(45deg, var(--cut) 0 4px, transparent 4px 8px); }
.budget .limit { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--fg); }
.budget ul { margin: .25rem 0; padding-left: 1.2rem; font-size: .85rem; }
.filter { border: 1px solid var(--line); border-radius: 8px; padding: .25rem .75rem; margin: .5rem 0; display: inline-flex; gap: 1rem; flex-wrap: wrap; }
body:has(#status-done:checked) [data-status]:not([data-status="done"]),
body:has(#status-failed:checked) [data-status]:not([data-status="failed"]),
body:has(#status-dry-run:checked) [data-status]:not([data-status="dry-run"]),
body:has(#status-busy:checked) [data-status]:not([data-status="busy"]),
body:has(#status-interrupted:checked) [data-status]:not([data-status="interrupted"]),
body:has(#status-not-started:checked) [data-status]:not([data-status="not-started"]) { display: none; }
body:has(#files-failing:checked) [data-file-status]:not([data-file-status="failing"]),
body:has(#files-fixed:checked) [data-file-status]:not([data-file-status="fixed"]),
body:has(#files-passing:checked) [data-file-status]:not([data-file-status="passing"]) { display: none; }
code.error { color: var(--error); } code.warning { color: var(--warn); }
img.result { max-width: 320px; border-radius: 6px; }
`;
