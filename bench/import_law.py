"""How fast is reading a draft law? ``recdraft.importing.law.read_law`` on a 300-page bill, against reading
the same file with plain python-docx (issue 16). Ratios measured in one run (machines are noisy).

    python bench/import_law.py [--pages 300] [--runs 5]

(a) read_law (safety checks, accepted text, structure, anchors)  /  ``docx.Document(file)`` and
    ``[p.text for p in document.paragraphs]``, the way a competent python-docx user reads a file's text
    (no structure at all: a floor for "open the file and get its words")           goal <= 3
(b) carry_over of a second version (anchors by wording)  /  (a)'s baseline             printed only

Pairs are interleaved (ours, baseline, ours, …); the median and the min–max of the per-pair ratios are
printed. Asserts nothing (tests assert behaviour, benchmarks report).
"""

from __future__ import annotations

import argparse
import io
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402 - after the path to the checkout

from recdraft.importing.law import carry_over, read_law  # noqa: E402

WORDS_PER_PAGE = 450  # a printed page of a bill in 12 pt


def _bill(pages: int, *, variant: int = 1) -> bytes:
    """A kk bill of about ``pages`` pages: chapters of 20 articles, each with 3 paragraphs and sub-paragraphs."""
    d = docx.Document()
    d.add_paragraph("Ұлттық Қызыл Жарты Ай қоғамы туралы Қазақстан Республикасының Заңы (жоба)", style="Title")
    words = 0
    n = 0
    while words < pages * WORDS_PER_PAGE:
        n += 1
        if (n - 1) % 20 == 0:
            d.add_heading(f"{(n - 1) // 20 + 1}-тарау. Қоғамның қызметі", level=1)
        d.add_heading(f"{n}-бап. Қоғамның {n}-міндеті", level=2)
        for k in range(1, 4):
            change = " Төтенше жағдайлар министрлігімен бірлесіп." if variant == 2 and n % 25 == 0 else ""
            text = (
                f"{k}. Қоғам {n}.{k}-міндетті бейбіт уақытта және қарулы қақтығыс кезінде мемлекеттік "
                f"органдармен, халықаралық ұйымдармен және еріктілермен бірлесіп орындайды, ал оның "
                f"тәртібін Қоғамның жарғысы мен осы Заң белгілейді.{change}"
            )
            d.add_paragraph(text)
            words += len(text.split())
        for s in range(1, 4):
            d.add_paragraph(f"{s}) {n}-баптың {s}-шарасы, оны Қоғам жыл сайын орындайды;")
            words += 7
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _plain(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs]


def _time(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first, second = _bill(args.pages), _bill(args.pages, variant=2)
    law, _ = read_law(first, "bill.docx")
    print(f"bill: {args.pages} pages, {len(law.articles)} articles, {len(first) // 1024} KB")
    ratios, ours, base = [], [], []
    for _ in range(args.runs):
        a = _time(read_law, first, "bill.docx")
        b = _time(_plain, first)
        ours.append(a)
        base.append(b)
        ratios.append(a / b)
    print(
        f"(a) read_law {statistics.median(ours):.2f} s / plain python-docx {statistics.median(base):.2f} s = "
        f"{statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f}) (goal <= 3)"
    )
    new, _ = read_law(second, "bill2.docx")
    spent = _time(carry_over, law, new)
    print(f"(b) carry_over of a second version: {spent:.2f} s = {spent / statistics.median(base):.2f} x (a)'s baseline")


if __name__ == "__main__":
    main()
