"""Render a memo from a MemoData JSON file: ``python -m recdraft.export FILE.json OUT.docx``.

Options: ``--lang en|ru|kk|kk+ru`` (default en), ``--variant final|review|redline|comparison``
(default final), ``--template PATH``. Warnings go to stderr; the exit status is 0 on success,
1 when the input or template is unusable.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recdraft.export", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=pathlib.Path, help="MemoData as JSON")
    parser.add_argument("output", type=pathlib.Path, help="where to write the .docx")
    parser.add_argument("--lang", default="en", choices=["en", "ru", "kk", "kk+ru"])
    parser.add_argument("--variant", default="final", choices=["final", "review", "redline", "comparison"])
    parser.add_argument("--template", type=pathlib.Path, default=None)
    args = parser.parse_args(argv)

    from recdraft.export import render_memo
    from recdraft.export._plain import load_memo

    try:
        raw = args.source.read_bytes()
        # Valid input needs no pydantic (it is most of a short process's time); anything else is
        # validated by the schema, whose message is the one shown.
        data: Any = load_memo(raw) or _validated(raw)  # plain records with MemoData's attributes, or MemoData
        result = render_memo(data, lang=args.lang, variant=args.variant, template=args.template)
    except Exception as exc:
        from recdraft.errors import RecdraftError  # loaded only when there is something to say

        if not isinstance(exc, OSError | ValueError | RecdraftError):  # pydantic's ValidationError is a ValueError
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.output.write_bytes(result.content)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _validated(raw: bytes):
    from recdraft.schemas.memo import MemoData

    return MemoData.model_validate_json(raw)


if __name__ == "__main__":
    sys.exit(main())
