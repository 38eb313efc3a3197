"""Benchmark the printed documents: the year bundle (``ledger``) for 100 minutes, as PDF and DOCX.

Run: ``.venv/bin/python benchmarks/bench_documents.py [--ledger FILE] [--minutes 100]``

Measured in the same run, each in a fresh process (so peak memory is per measurement):
- ours-pdf / ours-docx: ``build_ledger`` + our renderers, fonts already loaded;
- bare-reportlab: a plain reportlab script writing the same text (every title, header fact,
  paragraph and speech of the same meetings) with the same font, no tables;
- libreoffice: ``soffice --headless --convert-to pdf`` of our .docx (what "export to Word,
  then print to PDF" would cost);
- one minutes, PDF and DOCX, inside a running process (median and worst of 20).

Prints a markdown table. Goals: ours-pdf ≤ 1.3 × bare-reportlab, ≥ 5 × faster than
LibreOffice, peak memory < 250 MB, one minutes < 0.15 s.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
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


def _texts(doc) -> list[str]:
    """Every printed string of a block document, as plain paragraphs."""
    from desktop.documents import blocks as b

    out: list[str] = []
    for blk in doc.blocks:
        if isinstance(blk, (b.Title, b.Subtitle, b.Heading)):
            out.append(blk.text)
        elif isinstance(blk, b.Paragraph):
            out += (blk.bold_prefix + blk.text).split("\n")
        elif isinstance(blk, b.KeyValueTable):
            out += [f"{k}：{v}" for k, v in blk.items]
        elif isinstance(blk, b.SignatureLines):
            out += [f"{x}（签字）：＿＿＿＿＿＿＿" for x in blk.labels]
    return out


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


def _bare_pdf(texts: list[str], face, out: str) -> None:
    """What a plain reportlab script would do with the same text and font: paragraphs only."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    style = ParagraphStyle("b", fontName=face.rl_name, fontSize=16, leading=28.95, firstLineIndent=32,
                           alignment=TA_JUSTIFY, wordWrap="CJK")
    story = [Paragraph(escape(s), style) for s in texts]
    story.insert(len(story) // 2, PageBreak())
    SimpleDocTemplate(out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                      rightMargin=26 * mm, initialFontName=face.rl_name).build(story)


_PATCHED = (("reportlab.lib.textsplit", "ALL_CANNOT_START"), ("reportlab.lib.textsplit", "dumbSplit"),
            ("reportlab.lib.textsplit", "getCharWidths"), ("reportlab.platypus.paragraph", "ALL_CANNOT_START"),
            ("reportlab.platypus.paragraph", "cjkFragSplit"), ("reportlab.rl_config", "useA85"))


def _reportlab_state() -> list:
    import importlib

    return [getattr(importlib.import_module(m), a) for m, a in _PATCHED]


def _set_reportlab_state(values: list) -> None:
    import importlib

    for (m, a), v in zip(_PATCHED, values, strict=True):
        setattr(importlib.import_module(m), a, v)


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
        texts = _texts(build_ledger(details, year=details[-1].date.year, branch_name="基准党支部"))
        stock = _reportlab_state()
        import desktop.documents.pdf  # noqa: F401  (installs our line breaking and settings)

        ours_state = _reportlab_state()
        ours, bare = [], []
        for _ in range(REPEAT):
            ours.append(_timed(_ours_pdf, details, fonts, out + ".ours.pdf"))
            _set_reportlab_state(stock)  # the bare script runs on reportlab as installed
            bare.append(_timed(_bare_pdf, texts, fonts.roles["body"], out + ".bare.pdf"))
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ledger")
    ap.add_argument("--minutes", type=int, default=100)
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
    lo_s = lo_pages = lo_cpu = None
    if shutil.which("soffice"):
        runs, cpus = [], []
        for _ in range(2):  # the first run also creates LibreOffice's profile: best of two
            t = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp / "lo"), base + ".docx"], check=True,
                           capture_output=True, timeout=900)
            runs.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        lo_s, lo_cpu = min(runs), min(cpus)
        from pypdf import PdfReader

        lo_pages = len(PdfReader(str(tmp / "lo" / "bundle.pdf")).pages)
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
    print(f"| (a) bare reportlab, same text and font | {bw:.2f} | {bc:.2f} | | {pair['bare_pages']} | |")
    if lo_s is not None:
        print(f"| (b) LibreOffice: our DOCX → PDF (process start included) | {lo_s:.2f} | {lo_cpu:.2f} | | {lo_pages} | "
              f"ours PDF {lo_s / ow:.1f} × faster in wall time, {lo_cpu / oc:.1f} × in CPU time (goal ≥ 5); counting "
              f"our font loading {lo_s / (ow + fonts_s):.1f} × |")
    for k in ("pdf", "docx"):
        print(f"| one minutes, {k.upper()}, in a running process (median / worst of 20) | "
              f"{one[k]['median']:.3f} / {one[k]['max']:.3f} | {one[k]['cpu_median']:.3f} / {one[k]['cpu_max']:.3f} | "
              f"{one['peak_mb']:.0f} | | goal < 0.15 |")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
