"""``python -m recdraft.export FILE.json OUT.docx``: render from a JSON file."""

from __future__ import annotations

import io
import subprocess
import sys

import docx

from recdraft.export.__main__ import main
from tests.unit.export.factories import memo_data


def test_renders_a_json_file_to_docx_and_reports_warnings_on_stderr(tmp_path, capsys):
    source, output = tmp_path / "memo.json", tmp_path / "memo.docx"
    source.write_text(memo_data().model_dump_json(), encoding="utf-8")
    assert main([str(source), str(output), "--lang", "kk", "--variant", "final"]) == 0
    assert docx.Document(io.BytesIO(output.read_bytes())).paragraphs
    assert "Recommendation 4 has no text in 'kk'" in capsys.readouterr().err


def test_invalid_json_is_an_error_with_status_1(tmp_path, capsys):
    source = tmp_path / "bad.json"
    source.write_text('{"roundtable": {}}', encoding="utf-8")
    assert main([str(source), str(tmp_path / "out.docx")]) == 1
    assert capsys.readouterr().err.startswith("error:")


def test_runs_as_a_module(tmp_path):
    source, output = tmp_path / "memo.json", tmp_path / "memo.docx"
    source.write_text(memo_data().model_dump_json(), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "recdraft.export", str(source), str(output), "--lang", "en", "--variant", "redline"],
        check=True,
    )
    assert output.read_bytes()[:2] == b"PK"
