"""How fast is render_memo? Ratios against baselines measured in the same run (machines are noisy).

    python bench/export.py [--runs 5] [--recommendations 200]

(a) render_memo  /  a plain python-docx script writing the same headings, paragraphs, runs and
    tables with the documented high-level API (add_heading, add_paragraph, add_run, add_table,
    add_row)                                                       goal <= 0.5
(b) render_memo  /  the same content appended straight to the document XML with lxml (the floor)
(c) ``python -m recdraft.export memo.json out.docx``  /  ``pandoc memo.md -o out.docx`` on the
    same content, whole processes                                  goal <= 0.7

Prints medians; asserts nothing (tests assert behaviour, benchmarks report figures).
"""

from __future__ import annotations

import argparse
import io
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from lxml import etree  # noqa: E402

from recdraft.export import DEFAULT_TEMPLATE, render_memo  # noqa: E402
from recdraft.export._markup import BOLD, ITALIC, parse_blocks, parse_inline  # noqa: E402
from recdraft.schemas.memo import MemoData  # noqa: E402
from tests.unit.export.factories import large_memo  # noqa: E402

VOTE_COLUMNS = ["Round", "For", "Against", "Abstain", "Block", "Voted / eligible", "Quorum", "Rule met",
                "Median (IQR)", "Outcome"]


def _vote_cells(vote) -> list[str]:
    median = f"{vote.delphi.median:g} ({vote.delphi.iqr:g})" if vote.delphi else "—"
    return [f"Round {vote.round_number}", str(vote.votes_for), str(vote.votes_against), str(vote.abstain),
            str(vote.block), f"{vote.voted} / {vote.eligible}", "yes" if vote.quorum_met else "no",
            "yes" if vote.rule_met else "no", median, vote.outcome]


def _sections(data: MemoData):
    """The memo's content as (kind, payload) items, shared by every baseline."""
    rt = data.roundtable
    yield "p", rt.organisers["en"]
    yield "p", rt.title["en"]
    yield "p", rt.venue["en"]
    yield "h1", "Executive summary"
    yield "md", rt.executive_summary["en"]
    yield "h1", "Background"
    yield "md", rt.background["en"]
    yield "h1", "Recommendations"
    for rec in data.recommendations:
        c = rec.content["en"]
        yield "h2", f"Recommendation {rec.number}. {c.title}"
        yield "md", c.text
        yield "md", f"**Rationale.** {c.rationale}"
        yield "md", f"**Legal basis:** {c.legal_basis}"
        yield "md", f"**Responsible body:** {c.responsible_body}"
        yield "md", f"**Priority:** {rec.priority}"
    yield "h1", "Annex 1. Voting results"
    rows = [_vote_cells(v) for v in data.votes]
    yield "table", (VOTE_COLUMNS, rows)
    yield "h1", "Annex 2. Dissenting opinions"
    yield "table", (["No.", "Member", "Organisation", "Reason"],
                    [[str(d.recommendation_number), d.name or "Name withheld", d.organisation or "—", d.reason]
                     for d in data.dissents])
    yield "h1", "Annex 3. Participants"
    yield "table", (["Name", "Role"], [[p.name, p.role] for p in data.participants if p.consent_to_be_named])


# --------------------------------------------------------------------------- (a) plain python-docx

def plain_python_docx(data: MemoData) -> bytes:
    document = docx.Document()
    for kind, payload in _sections(data):
        if kind == "p":
            document.add_paragraph(payload)
        elif kind in ("h1", "h2"):
            document.add_heading(payload, level=1 if kind == "h1" else 2)
        elif kind == "md":
            for block in parse_blocks(payload):
                style = {"bullet": "List Bullet", "number": "List Number", "quote": "Quote"}.get(block.kind)
                p = document.add_paragraph(style=style)
                for text, fmt in block.spans:
                    r = p.add_run(text)
                    r.bold = bool(fmt & BOLD) or None
                    r.italic = bool(fmt & ITALIC) or None
        else:
            header, rows = payload
            table = document.add_table(rows=1, cols=len(header))
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for values in rows:
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- (b) lxml floor

def lxml_floor(data: MemoData) -> bytes:
    document = docx.Document(str(DEFAULT_TEMPLATE))
    body = document.element.body
    sect = body[-1]
    for child in list(body):
        body.remove(child)
    SE = etree.SubElement
    P, PPR, PSTYLE, R, RPR, T, B, ITAL, VAL = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr",
                                                                "w:t", "w:b", "w:i", "w:val"))
    TBL, TR, TC, TCPR, TCW, W = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW"), qn("w:w")

    def para(parent, style, spans):
        p = SE(parent, P)
        SE(SE(p, PPR), PSTYLE).set(VAL, style)
        for text, fmt in spans:
            r = SE(p, R)
            if fmt:
                rpr = SE(r, RPR)
                if fmt & BOLD:
                    SE(rpr, B)
                if fmt & ITALIC:
                    SE(rpr, ITAL)
            SE(r, T).text = text

    for kind, payload in _sections(data):
        if kind == "p":
            para(body, "MemoBody", [(payload, 0)])
        elif kind in ("h1", "h2"):
            para(body, "MemoHeading1" if kind == "h1" else "RecommendationHeading", [(payload, 0)])
        elif kind == "md":
            for block in parse_blocks(payload):
                para(body, "MemoBody", block.spans)
        else:
            header, rows = payload
            tbl = SE(body, TBL)
            SE(SE(tbl, qn("w:tblPr")), qn("w:tblStyle")).set(VAL, "AnnexTable")
            grid = SE(tbl, qn("w:tblGrid"))
            for _ in header:
                SE(grid, qn("w:gridCol")).set(W, "900")
            for values in [header, *rows]:
                tr = SE(tbl, TR)
                for text in values:
                    tc = SE(tr, TC)
                    SE(SE(tc, TCPR), TCW).set(W, "900")
                    para(tc, "MemoTableText", parse_inline(text))
    body.append(sect)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- (c) processes

def markdown(data: MemoData) -> str:
    out = []
    for kind, payload in _sections(data):
        if kind == "p":
            out.append(payload)
        elif kind == "h1":
            out.append(f"# {payload}")
        elif kind == "h2":
            out.append(f"## {payload}")
        elif kind == "md":
            out.append("\n\n".join(line for line in payload.split("\n") if line.strip()))
        else:
            header, rows = payload
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(v.replace("|", "/") for v in values) + " |" for values in rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def run_process(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--recommendations", type=int, default=200)
    args = parser.parse_args()

    data = large_memo(args.recommendations, rounds=3, people=40)
    print(f"memo: {len(data.recommendations)} recommendations, {len(data.votes)} vote rows, "
          f"{len(data.dissents)} dissents, {len(data.participants)} participants; {args.runs} runs, medians\n")

    render = lambda: render_memo(data, lang="en", variant="final")  # noqa: E731
    render()  # warm up imports and caches for every contender alike
    plain_python_docx(data)
    lxml_floor(data)

    ours, plain, floor = [], [], []
    for _ in range(args.runs):  # interleaved, so drift on a shared machine hits all three alike
        ours.append(timed(render))
        plain.append(timed(plain_python_docx, data))
        floor.append(timed(lxml_floor, data))
    m_ours, m_plain, m_floor = (statistics.median(x) for x in (ours, plain, floor))
    print(f"render_memo (in process)          {m_ours * 1000:8.1f} ms")
    print(f"plain python-docx script          {m_plain * 1000:8.1f} ms")
    print(f"lxml straight into document XML   {m_floor * 1000:8.1f} ms")
    print(f"(a) render_memo / plain python-docx = {m_ours / m_plain:.2f}   (goal <= 0.5)")
    print(f"(b) render_memo / lxml floor        = {m_ours / m_floor:.2f}   (floor; 1.0 would be free)\n")

    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = pathlib.Path(tmp)
        source = tmp_path / "memo.json"
        source.write_text(data.model_dump_json(), encoding="utf-8")
        md = tmp_path / "memo.md"
        md.write_text(markdown(data), encoding="utf-8")
        ours_cmd = [sys.executable, "-m", "recdraft.export", str(source), str(tmp_path / "ours.docx"),
                    "--lang", "en", "--variant", "final"]
        run_process(ours_cmd)
        if pandoc is None:
            print("(c) skipped: pandoc is not installed (apt-get install pandoc)")
            return
        pandoc_cmd = [pandoc, str(md), "-o", str(tmp_path / "pandoc.docx")]
        run_process(pandoc_cmd)
        proc_ours, proc_pandoc = [], []
        for _ in range(args.runs):
            proc_ours.append(timed(run_process, ours_cmd))
            proc_pandoc.append(timed(run_process, pandoc_cmd))
        m_proc, m_pandoc = statistics.median(proc_ours), statistics.median(proc_pandoc)
        print(f"python -m recdraft.export (process) {m_proc * 1000:8.1f} ms")
        print(f"pandoc memo.md -o memo.docx         {m_pandoc * 1000:8.1f} ms")
        print(f"(c) recdraft process / pandoc     = {m_proc / m_pandoc:.2f}   (goal <= 0.7)")


if __name__ == "__main__":
    main()
