"""The README's command table and ``recdraft --help`` describe the same commands (as sqlite-utils checks its docs).

A command added to the CLI without a row in the table fails here, and so does a row (or an option in it)
that the CLI does not have; a row shows every option of its command, the choices it lists are the CLI's,
and its arguments are as many as the command takes.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from recdraft.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_commands(parser: argparse.ArgumentParser | None = None, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command a person can run, by its words ("user add"), with its parser."""
    parser = parser or build_parser()
    out: dict[str, argparse.ArgumentParser] = {}
    for name, sub in _subcommands(parser).items():
        if _subcommands(sub):
            out.update(cli_commands(sub, prefix + name + " "))
        else:
            out[prefix + name] = sub
    return out


def readme_rows() -> list[str]:
    """The command cell of each row of the table under "## Command line", without ``recdraft``."""
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `recdraft ([^`]+)` \|", section, flags=re.MULTILINE)
    assert rows, "the README has no command table under '## Command line'"
    return [row.replace("\\|", "|") for row in rows]


def _command_of(row: str) -> tuple[str, argparse.ArgumentParser | None]:
    parser, words = build_parser(), []
    for word in row.split():
        choices = _subcommands(parser)
        if word not in choices:
            break
        words.append(word)
        parser = choices[word]
    found = " ".join(words)
    return (found, parser) if found in cli_commands() else (row.split()[0], None)


def test_every_command_in_the_readme_table_exists_with_the_options_it_shows():
    for row in readme_rows():
        command, parser = _command_of(row)
        assert parser is not None, f"the README shows 'recdraft {command}', which `recdraft --help` does not have"
        options = {s for a in parser._actions for s in a.option_strings}
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", row):
            assert option in options, f"the README shows 'recdraft {command} {option}', an option it does not have"


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {s: a for a in parser._actions for s in a.option_strings if s.startswith("--") and s != "--help"}


def _shown(row: str, command: str) -> tuple[dict[str, str | None], list[str]]:
    """What a row shows after its command words: {option: the value it shows or None}, and the arguments."""
    tokens = row.replace("[", " ").replace("]", " ").replace(" | ", " ").split()[len(command.split()) :]
    options: dict[str, str | None] = {}
    arguments: list[str] = []
    parser = _command_of(row)[1]
    assert parser is not None
    known = _options(parser)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("--"):
            takes_value = token in known and known[token].nargs != 0
            options[token] = tokens[i + 1] if takes_value and i + 1 < len(tokens) else None
            i += 2 if takes_value else 1
        else:
            arguments.append(token)
            i += 1
    return options, arguments


def test_every_readme_row_shows_all_options_of_its_command_with_their_choices_and_arguments():
    for row in readme_rows():
        command, parser = _command_of(row)
        assert parser is not None
        options, arguments = _shown(row, command)
        missing = sorted(set(_options(parser)) - set(options))
        assert missing == [], f"the README's row for 'recdraft {command}' does not show {missing}"
        for option, action in _options(parser).items():
            value = options.get(option)
            if action.choices and value and "|" in value:
                assert value.split("|") == [str(c) for c in action.choices], (
                    f"the README shows 'recdraft {command} {option} {value}'; the CLI's choices are "
                    f"{'|'.join(map(str, action.choices))}"
                )
        positionals = [a for a in parser._actions if not a.option_strings]
        assert len(arguments) == len(positionals), (
            f"the README shows 'recdraft {command}' with the arguments {arguments}; the CLI takes "
            f"{[a.dest for a in positionals]}"
        )


def test_every_command_of_the_cli_has_a_row_in_the_readme_table():
    documented = {_command_of(row)[0] for row in readme_rows()}
    missing = sorted(set(cli_commands()) - documented)
    assert missing == [], f"add these commands to the README's command table: {missing}"


def test_the_first_start_section_uses_commands_that_exist():
    text = README.read_text(encoding="utf-8")
    first = text.split("## First start", 1)[1].split("\n## ", 1)[0]
    for line in re.findall(r"recdraft ([a-z][a-z -]*[a-z])", first):
        command, parser = _command_of(line)
        assert parser is not None, f"'recdraft {line}' in First start is not a command"
    assert "--system-admin" in first and "init-db" in first
