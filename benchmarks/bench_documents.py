"""Benchmark the printed documents: the year bundle (``ledger``), as PDF and DOCX.

Run: ``.venv/bin/python benchmarks/bench_documents.py [--ledger FILE] [--minutes 100] [--runs 5]``

Measured in the same run:
- ours-pdf against (a) bare reportlab, alternately in one process, fonts loaded, best of three:
  the year bundle of the 100 most recent minutes, and a plain reportlab script printing the
  SAME pages with the SAME settings (same blocks, fonts per role, sizes, leading, type area,
  28 characters a body line, widow/orphan control, headings kept with two lines, the last
  lines kept with the signatures, outer page numbers) with stock platypus on reportlab as
  installed; both page counts are printed (they must match);
- ours-docx alone in its process (peak memory);
- (b) whole processes, interleaved, ``--runs`` times (min / median / max): ``zhibu export FILE
  ledger --branch B --year Y --format pdf`` (Python start, imports, fonts, reading the ledger,
  layout, writing) against ``soffice --headless --convert-to pdf`` of the .docx that ``zhibu
  export ... --format docx`` wrote for the same branch-year (LibreOffice start included; one
  unmeasured run first creates its profile). B/Y: the branch-year with the most meetings;
- one minutes, PDF and DOCX, inside a running process (median and worst of 20).

Prints markdown tables. Goals: ours-pdf ≤ 1.3 × bare reportlab, whole-process export ≥ 5 ×
faster than LibreOffice converting, peak memory < 250 MB, one minutes < 0.15 s.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3  # best of three: other processes on the machine slow single runs down
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _details(ledger_path: str, n: int):
    from desktop.services.meetings import get_meeting, list_meetings
    from desktop.store.ledger import Ledger

    ledger = Ledger.open(Path(ledger_path))
    try:
        rows = sorted(list_meetings(ledger), key=lambda r: (r.date, r.number))[-n:]
        with ledger.read() as s:
            return [get_meeting(s, r.id) for r in rows]
    finally:
        ledger.close()


def _ours_pdf(details, fonts, out: str) -> None:
    from desktop.documents.kinds.ledger import build_ledger
    from desktop.documents.pdf import render_pdf

    doc = build_ledger(details, year=details[-1].date.year, branch_name="基准党支部", unit_name="基准单位")
    with open(out, "wb") as fh:
        render_pdf(doc, fh, fonts, with_toc=True)


def _ours_docx(details, fonts, out: str) -> None:
    from desktop.documents.docx import render_docx
    from desktop.documents.kinds.ledger import build_ledger

    doc = build_ledger(details, year=details[-1].date.year, branch_name="基准党支部", unit_name="基准单位")
    render_docx(doc, out, fonts, toc_pages=None)


def _bare_pdf(doc, fonts, out: str) -> None:
    """A plain reportlab script printing the SAME pages: the same blocks (cover, contents
    lines, titles, header facts as a bordered two-column table, paragraphs, signature lines,
    page breaks), the same fonts per role, sizes, leading, A4 margins, the same 28 characters a
    body line (the body wraps at the same width as ours, ``layout.body_scale``: stock platypus
    has no narrowed drawing, so a bare line is drawn 1.3 % wider, into the right margin), the
    same page-break rules (widow and orphan control, a heading goes over unless two lines
    follow it, the last lines of a record stay with the signatures) and outer page numbers,
    with stock platypus (BaseDocTemplate and a Frame of the type area, Paragraph, Table,
    CondPageBreak, KeepTogether) on reportlab as installed."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        KeepTogether,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    from desktop.documents import blocks as b
    from desktop.documents.layout import (
        BODY_PT,
        LINE_PT,
        MARGINS_MM,
        PAGE_NO_PT,
        TITLE_PT,
        body_scale,
        page_size_mm,
    )

    r = {k: v.rl_name for k, v in fonts.roles.items()}
    w_mm, h_mm = page_size_mm(doc.orientation)
    top, bottom, left, right = MARGINS_MM[doc.orientation]
    width = (w_mm - left - right) * mm
    wider = width - width / body_scale(width)  # negative right indent: body lines of 28 characters

    def st(role, size=BODY_PT, leading=LINE_PT, align=TA_JUSTIFY, indent=0.0, right=0.0):
        return ParagraphStyle(f"{role}{size}{align}{indent}{right}", fontName=r[role], fontSize=size, leading=leading,
                              alignment=align, firstLineIndent=indent, rightIndent=right, wordWrap="CJK",
                              allowWidows=0, allowOrphans=0)

    title, sub, h1, h2 = st("title", TITLE_PT, TITLE_PT * 1.5, TA_CENTER), st("kai", align=TA_CENTER), \
        st("heading", indent=2 * BODY_PT, right=wider), st("kai", indent=2 * BODY_PT, right=wider)
    body, sig = st("body", indent=2 * BODY_PT, right=wider), st("body", align=TA_RIGHT, right=wider)
    kv = st("body", 14, 20.3)
    cover_unit, cover_title = st("title", 22, 40, TA_CENTER), st("title", 36, 54, TA_CENTER)
    cover_line, toc = st("kai", 22, 40, TA_CENTER), st("body")
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                       ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])
    def p(text, style):
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list = []
    entries = [x.toc_text or x.text for x in doc.blocks if isinstance(x, b.Title) and x.toc]
    for blk in doc.blocks:
        if isinstance(blk, b.Title):
            story += [p(blk.text, title), Spacer(1, LINE_PT * 0.5)]
        elif isinstance(blk, b.Subtitle):
            story.append(p(blk.text, sub))
        elif isinstance(blk, b.Heading):
            story += [CondPageBreak(3 * LINE_PT + 1), p(blk.text, h1 if blk.level == 1 else h2)]
        elif isinstance(blk, b.Paragraph):
            story += [p(blk.bold_prefix + line, body) for line in blk.text.split("\n")]
        elif isinstance(blk, b.KeyValueTable):
            rows = [[p(k, kv), p(v, kv)] for k, v in blk.items]
            story += [Table(rows, colWidths=[width / 4, width * 3 / 4], style=grid), Spacer(1, LINE_PT * 0.3)]
        elif isinstance(blk, b.Table):
            cell = st("body", blk.font_size, blk.font_size * 1.45)
            ws = [c.weight for c in blk.columns]
            rows = [[p(t, cell) for t in h] for h in blk.headers()]
            rows += [[p(c.text, cell) if c else "" for c in row] for row in blk.grid()]
            story.append(Table(rows, colWidths=[width * x / sum(ws) for x in ws], style=grid, repeatRows=1))
        elif isinstance(blk, b.SignatureLines):  # the last paragraphs go over with the signatures
            last = []
            while story and isinstance(story[-1], Paragraph) and len(last) < 2:
                last.insert(0, story.pop())
            story.append(KeepTogether(last + [Spacer(1, LINE_PT * 0.5)]
                                      + [p(f"{x}（签字）：＿＿＿＿＿＿＿", sig) for x in blk.labels]))
        elif isinstance(blk, b.PageBreak):
            story.append(PageBreak())
        elif isinstance(blk, b.Spacer):
            story.append(Spacer(1, blk.height_pt))
        elif isinstance(blk, b.Cover):
            story += [Spacer(1, h_mm * mm * 0.1), p(blk.unit, cover_unit), Spacer(1, 20), p(blk.title, cover_title),
                      Spacer(1, 40)] + [p(x, cover_line) for x in blk.lines] + [PageBreak()]
        elif isinstance(blk, b.TocPlaceholder):  # the same lines; a bare script has no page numbers yet
            story += [p(blk.title, title)] + [p(f"{e}　……　0", toc) for e in entries] + [PageBreak()]

    def page_number(canv, _doc):  # outside: odd pages at the right, even at the left, one character in
        n = canv.getPageNumber()
        canv.setFont(r["song"], PAGE_NO_PT)
        y = bottom * mm - 7 * mm - PAGE_NO_PT
        if n % 2:
            canv.drawRightString(left * mm + width - PAGE_NO_PT, y, f"— {n} —")
        else:
            canv.drawString(left * mm + PAGE_NO_PT, y, f"— {n} —")

    # the type area exactly as ours: a frame without SimpleDocTemplate's 6 pt padding
    tpl = BaseDocTemplate(out, pagesize=(w_mm * mm, h_mm * mm), topMargin=top * mm, bottomMargin=bottom * mm,
                          leftMargin=left * mm, rightMargin=right * mm, initialFontName=r["body"])
    frame = Frame(left * mm, bottom * mm, width, (h_mm - top - bottom) * mm, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    tpl.addPageTemplates([PageTemplate("page", [frame], onPage=page_number)])
    tpl.build(story)


_PATCHED = (("reportlab.lib.textsplit", "ALL_CANNOT_START"), ("reportlab.lib.textsplit", "dumbSplit"),
            ("reportlab.lib.textsplit", "getCharWidths"), ("reportlab.platypus.paragraph", "ALL_CANNOT_START"),
            ("reportlab.platypus.paragraph", "cjkFragSplit"), ("reportlab.rl_config", "useA85"),
            ("reportlab.platypus.paragraph:Paragraph", "breakLinesCJK"))


def _owner(path: str):
    import importlib

    module, _, cls = path.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, cls) if cls else obj


def _reportlab_state() -> list:
    return [getattr(_owner(m), a) for m, a in _PATCHED]


def _set_reportlab_state(values: list) -> None:
    for (m, a), v in zip(_PATCHED, values, strict=True):
        setattr(_owner(m), a, v)


def _timed(fn, *args) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t, time.process_time() - c


def worker(kind: str, ledger_path: str, n: int, out: str) -> dict:
    from desktop.documents.fonts import resolve_fonts
    from desktop.documents.kinds.ledger import build_ledger

    details = _details(ledger_path, n)
    t0 = time.perf_counter()
    fonts = resolve_fonts()
    result: dict = {"fonts_s": time.perf_counter() - t0}
    if kind == "pair":  # ours and bare alternately, so that load from other processes hits both alike
        doc = build_ledger(details, year=details[-1].date.year, branch_name="基准党支部", unit_name="基准单位")
        stock = _reportlab_state()
        import desktop.documents.pdf  # noqa: F401  (installs our line breaking and settings)

        ours_state = _reportlab_state()
        ours, bare = [], []
        for _ in range(REPEAT):
            ours.append(_timed(_ours_pdf, details, fonts, out + ".ours.pdf"))
            _set_reportlab_state(stock)  # the bare script runs on reportlab as installed
            bare.append(_timed(_bare_pdf, doc, fonts, out + ".bare.pdf"))
            _set_reportlab_state(ours_state)
        from pypdf import PdfReader

        result.update(ours=min(ours), bare=min(bare), ours_pages=len(PdfReader(out + ".ours.pdf").pages),
                      bare_pages=len(PdfReader(out + ".bare.pdf").pages))
    elif kind in ("pdf", "docx"):  # alone in its process: peak memory
        fn = _ours_pdf if kind == "pdf" else _ours_docx
        runs = [_timed(fn, details, fonts, out) for _ in range(REPEAT)]
        result["seconds"], result["cpu"] = min(r[0] for r in runs), min(r[1] for r in runs)
    elif kind == "one":
        from desktop.documents.docx import render_docx
        from desktop.documents.kinds.minutes import build_minutes
        from desktop.documents.pdf import render_pdf

        sample = details[:20]
        render_pdf(build_minutes(sample[0]), io.BytesIO(), fonts)  # warm: first use of each font
        render_docx(build_minutes(sample[0]), io.BytesIO(), fonts)
        for name, fn in (("pdf", render_pdf), ("docx", render_docx)):
            ts, cs = [], []
            for m in sample:
                t, c = time.perf_counter(), time.process_time()
                fn(build_minutes(m), io.BytesIO(), fonts)
                ts.append(time.perf_counter() - t)
                cs.append(time.process_time() - c)
            ts.sort()
            cs.sort()
            result[name] = {"median": ts[len(ts) // 2], "max": ts[-1], "cpu_median": cs[len(cs) // 2],
                            "cpu_max": cs[-1]}
    result["peak_mb"] = _peak_mb()
    return result


def _run(kind: str, ledger: str, n: int, out: str) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--ledger", ledger, "--minutes", str(n), "--out", out]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


CLI = "import sys; from desktop.cli import main; sys.exit(main())"


def _largest_branch_year(ledger: str) -> tuple[str, int, int]:
    from collections import Counter

    from desktop.services.meetings import list_meetings
    from desktop.store.ledger import Ledger

    led = Ledger.open(Path(ledger))
    try:
        (branch, year), n = Counter((r.branch_name, r.date.year) for r in list_meetings(led)).most_common(1)[0]
    finally:
        led.close()
    return branch, year, n


def _whole_process(ledger: str, tmp: Path, runs: int) -> dict | None:
    """``zhibu export`` against LibreOffice converting the same bundle's .docx, both as whole processes."""
    import os

    if not shutil.which("soffice"):
        return None
    from pypdf import PdfReader

    branch, year, n = _largest_branch_year(ledger)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def children_cpu() -> float:  # CPU of waited-for children and their children (soffice.bin)
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    def export(fmt: str, out: Path) -> tuple[float, Path]:
        shutil.rmtree(out, ignore_errors=True)
        t, c = time.perf_counter(), children_cpu()
        proc = subprocess.run([sys.executable, "-c", CLI, "export", ledger, "ledger", "--branch", branch, "--year",
                               str(year), "--out", str(out), "--format", fmt], capture_output=True, text=True,
                              env=env, cwd=ROOT, check=True)
        cpu.setdefault(fmt, []).append(children_cpu() - c)
        return time.perf_counter() - t, Path(proc.stdout.strip().splitlines()[0])

    cpu: dict[str, list[float]] = {}

    docx_s, docx = export("docx", tmp / "whole-docx")
    lo_out = tmp / "whole-lo"

    def convert() -> float:
        t, c = time.perf_counter(), children_cpu()
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-whole", "--headless", "--convert-to", "pdf",
                        "--outdir", str(lo_out), str(docx)], check=True, capture_output=True, timeout=900)
        cpu.setdefault("lo", []).append(children_cpu() - c)
        return time.perf_counter() - t

    convert()  # creates LibreOffice's profile: not measured
    cpu.pop("lo")
    ours, lo = [], []
    pdf = None
    for _ in range(runs):
        t, pdf = export("pdf", tmp / "whole-pdf")
        ours.append(t)
        lo.append(convert())
    return {"label": f"{branch} {year}", "meetings": n, "ours": ours, "lo": lo, "docx_s": docx_s,
            "ours_cpu": cpu["pdf"], "lo_cpu": cpu["lo"],
            "pages": len(PdfReader(str(pdf)).pages), "lo_pages": len(PdfReader(str(lo_out / (docx.stem + ".pdf"))).pages)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ledger")
    ap.add_argument("--minutes", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--worker")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.ledger, args.minutes, args.out)))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-docs-"))
    ledger = args.ledger
    if not ledger:
        ledger = str(tmp / "demo.zhibu")
        subprocess.run([sys.executable, "-m", "desktop", "demo", ledger], check=True, cwd=ROOT, capture_output=True)
    n = args.minutes
    base = str(tmp / "bundle")
    pair = _run("pair", ledger, n, base)
    ours_pdf = _run("pdf", ledger, n, base + ".pdf")
    ours_docx = _run("docx", ledger, n, base + ".docx")
    one = _run("one", ledger, n, "")
    whole = _whole_process(ledger, tmp, args.runs)
    (ow, oc), (bw, bc) = pair["ours"], pair["bare"]
    fonts_s = pair["fonts_s"]
    print(f"Ledger bundle of {n} minutes ({pair['ours_pages']} PDF pages). Best of {REPEAT} runs, fonts already "
          f"loaded (loading them took {fonts_s:.2f} s once per process; a one-shot `zhibu export` pays it). "
          f"Ours and bare reportlab ran alternately in one process.\n")
    print("| measurement | seconds (wall) | seconds (CPU) | peak memory (MB) | pages | ratio |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| ours: PDF | {ow:.2f} | {oc:.2f} | {ours_pdf['peak_mb']:.0f} | {pair['ours_pages']} | "
          f"{ow / bw:.2f} × bare wall, {oc / bc:.2f} × bare CPU (goal ≤ 1.3) |")
    print(f"| ours: DOCX | {ours_docx['seconds']:.2f} | {ours_docx['cpu']:.2f} | {ours_docx['peak_mb']:.0f} | | |")
    print(f"| (a) bare reportlab, the same pages and settings | {bw:.2f} | {bc:.2f} | | {pair['bare_pages']} | |")
    for k in ("pdf", "docx"):
        print(f"| one minutes, {k.upper()}, in a running process (median / worst of 20) | "
              f"{one[k]['median']:.3f} / {one[k]['max']:.3f} | {one[k]['cpu_median']:.3f} / {one[k]['cpu_max']:.3f} | "
              f"{one['peak_mb']:.0f} | | goal < 0.15 |")
    if whole:
        print(f"\nWhole processes, {whole['label']} ({whole['meetings']} minutes, {whole['pages']} pages in our PDF, "
              f"{whole['lo_pages']} in LibreOffice's), interleaved, {args.runs} runs each:\n")
        print("| whole process | min (s) | median (s) | max (s) | CPU min / median / max (s) | ratio of medians |")
        print("|---|---:|---:|---:|---:|---|")
        o, lo, oc, lc = whole["ours"], whole["lo"], whole["ours_cpu"], whole["lo_cpu"]
        med = statistics.median
        print(f"| `zhibu export … ledger --format pdf` | {min(o):.2f} | {med(o):.2f} | {max(o):.2f} | "
              f"{min(oc):.2f} / {med(oc):.2f} / {max(oc):.2f} | {med(lo) / med(o):.2f} × as fast as (b) wall, "
              f"{med(lc) / med(oc):.2f} × CPU (goal ≥ 5) |")
        print(f"| (b) `soffice --headless --convert-to pdf` of the same bundle's .docx | {min(lo):.2f} | "
              f"{med(lo):.2f} | {max(lo):.2f} | {min(lc):.2f} / {med(lc):.2f} / {max(lc):.2f} | |")
        print(f"| (for reference) `zhibu export … --format docx` | {whole['docx_s']:.2f} | | | one run |")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
