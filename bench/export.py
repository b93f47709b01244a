"""How fast is render_memo? Ratios against baselines measured in the same run (machines are noisy).

    python bench/export.py [--runs 5] [--recommendations 200] [--cpu]

(a) render_memo  /  a plain python-docx script writing the same headings, paragraphs, runs and
    tables with the documented high-level API (add_heading, add_paragraph, add_run, add_table,
    add_row)                                                       goal <= 0.5
(b) render_memo  /  the string floor: the product's own document.xml and numbering.xml, byte for
    byte, produced the cheapest way there is — every text escaped and joined with its markup as
    strings, then the package zipped as python-docx zips it. The markup and the texts are taken from
    one rendering beforehand, so the floor makes no layout decision at all: a strict lower bound
    (1.0 would be free; it is checked byte-identical before timing)      goal <= 2
(c) ``python -m recdraft.export memo.json out.docx``  /  ``pandoc memo.md -o out.docx`` on the
    same content, whole processes, with the bytecode cache and without one (an empty
    PYTHONPYCACHEPREFIX and PYTHONDONTWRITEBYTECODE: every module compiled from source, as on a
    first run after installing)                                    goal <= 0.3
    and, for scale, ``python -c pass`` against pandoc in the same two settings (no export is faster)

Every ratio is measured in pairs, interleaved (ours, baseline, ours, …), and printed as the median
with the min–max of the per-pair ratios. Asserts nothing (tests assert behaviour, benchmarks report).
"""

from __future__ import annotations

import argparse
import io
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from recdraft.export import render_memo  # noqa: E402
from recdraft.export._markup import BOLD, ITALIC, parse_blocks  # noqa: E402
from recdraft.schemas.memo import MemoData  # noqa: E402
from tests.unit.export.factories import large_memo  # noqa: E402

VOTE_COLUMNS = [
    "Round",
    "For",
    "Against",
    "Abstain",
    "Block",
    "Voted / eligible",
    "Quorum",
    "Rule met",
    "Median (IQR)",
    "Outcome",
]


def _vote_cells(vote) -> list[str]:
    median = f"{vote.delphi.median:g} ({vote.delphi.iqr:g})" if vote.delphi else "—"
    return [
        f"Round {vote.round_number}",
        str(vote.votes_for),
        str(vote.votes_against),
        str(vote.abstain),
        str(vote.block),
        f"{vote.voted} / {vote.eligible}",
        "yes" if vote.quorum_met else "no",
        "yes" if vote.rule_met else "no",
        median,
        vote.outcome,
    ]


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
    yield (
        "table",
        (
            ["No.", "Member", "Organisation", "Reason"],
            [
                [str(d.recommendation_number), d.name or "Name withheld", d.organisation or "—", d.reason]
                for d in data.dissents
            ],
        ),
    )
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


# --------------------------------------------------------------------------- (b) string floor

_TEXT = re.compile(rb">([^<]+)<")
STRING_PARTS = ("word/document.xml", "word/numbering.xml")


class StringFloor:
    """The product's package, rebuilt from its markup and texts joined as strings (see (b) above)."""

    def __init__(self, product: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(product)) as zf:
            self.infos = zf.infolist()
            self.parts = {info.filename: zf.read(info.filename) for info in self.infos}
        self.skeletons: dict[str, tuple[list[str], list[str]]] = {}
        for name in STRING_PARTS:
            data = self.parts[name]
            markup: list[str] = []
            texts: list[str] = []
            pos = 0
            for m in _TEXT.finditer(data):
                markup.append(data[pos : m.start(1)].decode("utf-8"))
                # What the renderer knows: the plain text; escaping it is part of the floor's work.
                texts.append(m.group(1).decode("utf-8").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
                pos = m.end(1)
            markup.append(data[pos:].decode("utf-8"))
            self.skeletons[name] = (markup, texts)

    def xml(self, name: str) -> bytes:
        markup, texts = self.skeletons[name]
        out = [markup[0]]
        for text, tail in zip(texts, markup[1:], strict=True):
            out.append(escape(text))
            out.append(tail)
        return "".join(out).encode("utf-8")

    def build(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for info in self.infos:
                data = self.xml(info.filename) if info.filename in self.skeletons else self.parts[info.filename]
                zf.writestr(info.filename, data)
        return buffer.getvalue()

    def identical(self, built: bytes) -> bool:
        with zipfile.ZipFile(io.BytesIO(built)) as zf:
            return all(zf.read(name) == self.parts[name] for name in STRING_PARTS)


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


CLOCK = time.perf_counter  # --cpu: time.process_time for (a) and (b), less disturbed by a shared machine


def timed(fn, *args) -> float:
    start = CLOCK()
    fn(*args)
    return CLOCK() - start


def run_process(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, capture_output=True, env=env)


def paired(ours, baseline, runs: int) -> tuple[list[float], list[float]]:
    """``runs`` pairs of timings, the order alternating inside each pair (drift hits both alike)."""
    a, b = [], []
    for k in range(runs):
        if k % 2 == 0:
            a.append(timed(ours))
            b.append(timed(baseline))
        else:
            b.append(timed(baseline))
            a.append(timed(ours))
    return a, b


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def report(label: str, ours: list[float], baseline: list[float], names: tuple[str, str], goal: str) -> None:
    ratios = [x / y for x, y in zip(ours, baseline, strict=True)]
    ms = [1000 * x for x in ours], [1000 * y for y in baseline]
    print(
        f"{label} {names[0]} {spread(ms[0], '{:.1f}')} ms / {names[1]} {spread(ms[1], '{:.1f}')} ms "
        f"= {spread(ratios)}   ({goal}; median (min–max) of {len(ratios)} interleaved pairs)"
    )


def no_bytecode_cache_env(prefix: pathlib.Path) -> dict[str, str]:
    """An environment in which Python finds no cached bytecode and writes none (``prefix`` stays empty)."""
    return {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--recommendations", type=int, default=200)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time (a) and (b) in CPU time of this process (a loaded machine's wall time wanders)",
    )
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time

    data = large_memo(args.recommendations, rounds=3, people=40)
    print(
        f"memo: {len(data.recommendations)} recommendations, {len(data.votes)} vote rows, "
        f"{len(data.dissents)} dissents, {len(data.participants)} participants; {args.runs} pairs each\n"
    )

    render = lambda: render_memo(data, lang="en", variant="final").content  # noqa: E731
    product = render()  # also warms imports and caches for every contender alike
    plain_python_docx(data)
    floor = StringFloor(product)
    same = floor.identical(floor.build())
    print(f"string floor: document.xml and numbering.xml byte-identical to render_memo's: {'yes' if same else 'NO'}")

    ours, plain = paired(render, lambda: plain_python_docx(data), args.runs)
    report("(a) render_memo", ours, plain, ("render_memo", "plain python-docx"), "goal <= 0.5")
    ours, strings = paired(render, floor.build, args.runs)
    report("(b) render_memo", ours, strings, ("render_memo", "string floor"), "goal <= 2; 1.0 would be free")
    print()

    CLOCK = time.perf_counter  # child processes: wall time
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = pathlib.Path(tmp)
        source = tmp_path / "memo.json"
        source.write_text(data.model_dump_json(), encoding="utf-8")
        md = tmp_path / "memo.md"
        md.write_text(markdown(data), encoding="utf-8")
        ours_cmd = [
            sys.executable,
            "-m",
            "recdraft.export",
            str(source),
            str(tmp_path / "ours.docx"),
            "--lang",
            "en",
            "--variant",
            "final",
        ]
        run_process(ours_cmd)
        if pandoc is None:
            print("(c) skipped: pandoc is not installed (apt-get install pandoc)")
            return
        pandoc_cmd = [pandoc, str(md), "-o", str(tmp_path / "pandoc.docx")]
        run_process(pandoc_cmd)
        ours, theirs = paired(lambda: run_process(ours_cmd), lambda: run_process(pandoc_cmd), args.runs)
        report("(c) process, bytecode cache   ", ours, theirs, ("python -m recdraft.export", "pandoc"), "goal <= 0.3")
        empty = tmp_path / "no-pycache"
        empty.mkdir()
        cold = no_bytecode_cache_env(empty)
        ours, theirs = paired(lambda: run_process(ours_cmd, cold), lambda: run_process(pandoc_cmd), args.runs)
        report("(c) process, no bytecode cache", ours, theirs, ("python -m recdraft.export", "pandoc"), "goal <= 0.3")
        # What no export can go below: the interpreter starting (site, the editable install's finder) and
        # doing nothing, in the same two settings.
        bare = [sys.executable, "-c", "pass"]
        ours, theirs = paired(lambda: run_process(bare), lambda: run_process(pandoc_cmd), args.runs)
        report("(c) floor: python -c pass, cache   ", ours, theirs, ("python -c pass", "pandoc"), "for scale")
        ours, theirs = paired(lambda: run_process(bare, cold), lambda: run_process(pandoc_cmd), args.runs)
        report("(c) floor: python -c pass, no cache", ours, theirs, ("python -c pass", "pandoc"), "for scale")


if __name__ == "__main__":
    main()
