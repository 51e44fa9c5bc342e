#!/usr/bin/python3
"""Opens SWEEP_DIR/results/report.html in headless Chromium and checks that it renders.

Usage: check_report_html.py SWEEP_DIR

Checks, without project code: the page is self-contained (no script, nothing fetched from
elsewhere); it echoes the site factors with their sources; Chromium logs no console message
for it; the DOM it builds holds every table and plot the collector writes; its 1200 x 3000
screenshot is a PNG of that size that is not blank (has non-white pixels); laid out in a window
1,400 px wide, nothing overflows sideways (neither the page nor a table inside its scrolling
box), no text is smaller than 10 px, and the groups' headings name parameters, not only hashes.
The layout is measured by a script added to a temporary copy of the page; the page itself has
none. Exits 77 (CTest: skipped) when Chromium is not installed, 1 listing each problem.
"""
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser
from pathlib import Path

WIDTH, HEIGHT = 1200, 3000
LAYOUT_WIDTH = 1400
# Measures the laid-out page and writes what overflows into the DOM, which --dump-dom prints.
LAYOUT_PROBE = """<script>
window.addEventListener("load", () => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1)
    problems.push(`page ${page.scrollWidth}px wide in a ${page.clientWidth}px window`);
  for (const box of document.querySelectorAll("div.scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption");
      problems.push(`table '${caption ? caption.textContent : "?"}' ${box.scrollWidth}px ` +
                    `in ${box.clientWidth}px`);
    }
  }
  for (const element of document.querySelectorAll("body *")) {
    if (!element.textContent.trim() || element.closest("title")) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 10) { problems.push(`${element.tagName} text at ${size}px`); break; }
  }
  const out = document.createElement("pre");
  out.id = "layout-probe";
  out.textContent = JSON.stringify(problems);
  document.body.appendChild(out);
});
</script>"""
# The tables every fixture sweep has; each other table the collector wrote (results/*.md) must be
# there as well.
TABLE_CAPTIONS = ["ND vs D", "groups where ND differs significantly", "stability across runs",
                  "per-class accuracy SD", "determinism overhead", "energy and CO2"]
# make_fixture_sweep's site factors, which the energy section must echo with their sources.
SITE_LINES = ["PUE 1.25; source: --pue",
              "carbon intensity 0.381 kg CO2e/kWh; source: --region DE: Germany 2023"]


class Elements(HTMLParser):
    """Counts elements by tag, collects <caption> texts and attributes that load resources."""

    def __init__(self):
        super().__init__()
        self.counts, self.captions, self.loads = {}, [], []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self._in_caption = tag == "caption"
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.loads.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.captions.append(data)


def chromium(binary, url, *options):
    args = [binary, "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
            "--v=0", *options, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def png_rows(data):
    """Yields the PNG's rows, unfiltered, as bytes (8-bit RGB or RGBA, not interlaced)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, color, interlace = header[8], header[9], header[12]
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"unexpected PNG format: depth {depth}, colour type {color}")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = row[i - bpp] if i >= bpp else 0
            up, up_left = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                row[i] = (row[i] + predictor) & 255
        yield width, height, bpp, bytes(row)
        previous = row


def has_non_white_pixel(data):
    """True at the first row holding a pixel that is not white (the page's heading is near the
    top, so a rendered page is found within a few rows)."""
    for _, _, bpp, row in png_rows(data):
        for i in range(0, len(row), bpp):
            if row[i] != 255 or row[i + 1] != 255 or row[i + 2] != 255:
                return True
    return False


def png_size(data):
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    page = (Path(sys.argv[1]) / "results" / "report.html").resolve()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        print("SKIPPED: chromium is not installed (env/setup.sh installs Debian's chromium)")
        sys.exit(77)
    problems = []
    url = page.as_uri()

    text = page.read_text(encoding="utf-8")
    source = Elements()
    source.feed(text)
    for line in SITE_LINES:
        if f"<li>{line}" not in text:
            problems.append(f"the energy section does not echo '{line}'")
    if source.counts.get("script"):
        problems.append("the page has a <script>")
    if source.loads:
        problems.append(f"the page loads other files: {source.loads}")

    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "report.png"
        run = chromium(binary, url, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        if console:
            problems.append("console messages:\n  " + "\n  ".join(console))
        if not shot.exists() or shot.stat().st_size == 0:
            problems.append(f"no screenshot (exit {run.returncode}): {run.stderr[-2000:]}")
        else:
            data = shot.read_bytes()
            if png_size(data) != (WIDTH, HEIGHT):
                problems.append(f"screenshot is {png_size(data)}, expected {(WIDTH, HEIGHT)}")
            if not has_non_white_pixel(data):
                problems.append("the screenshot is blank (every pixel white)")

        probed = Path(tmp) / "report.html"
        probed.write_text(text.replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
        run = chromium(binary, probed.as_uri(), "--dump-dom", f"--window-size={LAYOUT_WIDTH},2000",
                       "--virtual-time-budget=5000")
        found = re.search(r'<pre id="layout-probe">(.*?)</pre>', run.stdout, re.S)
        if found is None:
            problems.append(f"the layout probe did not run: {run.stderr[-1000:]}")
        else:
            layout = json.loads(html.unescape(found.group(1)))
            problems += [f"at {LAYOUT_WIDTH} px: {problem}" for problem in layout]

    headings = re.findall(r'<article class="group" id="group-\d+">\n<h3>(.*?)</h3>', text)
    if not headings or any(re.fullmatch(r"#\d+ [0-9a-f]{16}", h) for h in headings):
        problems.append(f"group headings do not name parameters: {headings[:3]}")

    run = chromium(binary, url, "--dump-dom")
    dom = Elements()
    dom.feed(run.stdout)
    captions = " | ".join(re.sub(r"\s+", " ", c) for c in dom.captions)
    written = [next(line[3:] for line in md.read_text().splitlines() if line.startswith("## "))
               for md in sorted(page.parent.glob("*.md"))]
    expected = TABLE_CAPTIONS + [title for title in written
                                 if not any(caption in title for caption in TABLE_CAPTIONS)]
    for caption in expected:
        if caption not in captions:
            problems.append(f"no table captioned '...{caption}...' in the DOM: {captions}")
    if dom.counts.get("table", 0) != len(expected):
        problems.append(f"{dom.counts.get('table', 0)} tables in the DOM, expected "
                        f"{len(expected)}")
    if (page.parent / "env.md").exists() and 'class="heat-' not in run.stdout:
        problems.append("env.md was written, but the page has no environment heat-map")
    svgs, groups = dom.counts.get("svg", 0), dom.counts.get("article", 0)
    # Two plots per group (accuracy, cosine; one group has too few runs for a cosine) and the
    # overhead and energy bar charts.
    if groups == 0 or svgs < groups + 2:
        problems.append(f"{svgs} svg plots for {groups} groups in the DOM")
    for shape in ("circle", "rect", "polygon", "polyline", "line", "text"):
        if not dom.counts.get(shape):
            problems.append(f"no <{shape}> in the DOM's plots")

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"report.html renders: {len(expected)} tables, {svgs} plots, non-blank "
          f"{WIDTH}x{HEIGHT} screenshot, no console messages")


if __name__ == "__main__":
    main()
