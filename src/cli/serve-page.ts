// The HTML of the page `tsvirt serve` serves (its script is src/browser/page.ts, bundled).

/** The page, its relative addresses resolved against `base` ('/' isolated, '/off/' not). */
export function pageHtml(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<base href="${base}">
<title>tsvirt: RISC-V Linux in the browser</title>
<link rel="stylesheet" href="tsvirt/page.css">
<style>
  body { font-family: system-ui, sans-serif; margin: 1em; background: #f4f4f4; }
  header { display: flex; gap: 1.2em; align-items: center; flex-wrap: wrap; margin-bottom: 0.6em; }
  h1 { font-size: 1.2em; margin: 0; }
  .figure { font-variant-numeric: tabular-nums; }
  #notice { background: #fff3cd; border: 1px solid #e0c36a; padding: 0.4em 0.6em; margin-bottom: 0.6em; }
  #terminal { display: inline-block; padding: 4px; background: #000; }
  progress { width: 12em; }
</style>
</head>
<body data-state="loading">
<header>
  <h1>tsvirt</h1>
  <span>state: <b id="state">loading</b></span>
  <span class="figure">guest MIPS: <b id="mips">0</b></span>
  <span><progress id="progress" max="1" value="0"></progress> <span id="progress-text">starting</span></span>
  <span>
    <button id="pause" disabled>Pause</button>
    <button id="resume" disabled>Resume</button>
    <button id="poweroff" disabled>Power off</button>
    <button id="reset" disabled>Reset</button>
  </span>
</header>
<div id="notice" hidden></div>
<div id="terminal"></div>
<script type="module" src="tsvirt/page.js"></script>
</body>
</html>
`;
}
