"""The ``recdraft`` command: database set-up, demo data, accounts, backups, the memo and the research data.

Every sub-command is documented in ``recdraft --help``; a test fails when one is not.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence  # noqa: F401
from pathlib import Path

from recdraft import config
from recdraft.domain.roles import Role
from recdraft.errors import Msg, RecdraftError

Handler = Callable[[argparse.Namespace], int]


def _db():
    from recdraft.db.engine import Database

    return Database(config.database_url())


def cmd_init_db(args: argparse.Namespace) -> int:
    from recdraft.db.migrate import upgrade_to_head

    head = upgrade_to_head(config.database_url())
    print(f"Database ready at schema revision {head}: {_safe_url(config.database_url())}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from recdraft.db.migrate import upgrade_to_head
    from recdraft.services.demo import load_demo
    from recdraft.services.notifications import muted

    upgrade_to_head(config.database_url())
    db = _db()
    with muted():  # the demo's made-up people get no mail, even on a server with mail on
        report = load_demo(db, password=args.password)
    if report.created:
        print(f"Demo roundtable loaded (id {report.roundtable_id}): {report.summary}")
    else:
        print(f"Demo roundtable already present (id {report.roundtable_id}); nothing changed.")
    print(
        "Demo sign-ins (password: "
        + ("as given" if args.password != "demo" else "demo")
        + "): "
        + ", ".join(report.usernames)
    )
    return 0


def _password_from(args: argparse.Namespace) -> str:
    """The new account's password: --password-stdin, --password, or the prompt; the UI's rule applies."""
    from recdraft.services import accounts

    if args.password_stdin or (not args.password and not sys.stdin.isatty()):
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise RecdraftError("h_rest.cli.no_password")
    elif args.password:
        password = args.password
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise RecdraftError("h_rest.cli.passwords_differ")
    accounts.check_password_policy(password, relaxed=False)  # the same rule as the Admin page and sign-up
    return password


def cmd_user_add(args: argparse.Namespace) -> int:
    from recdraft.services import accounts, roundtables
    from recdraft.services._base import SYSTEM

    db = _db()
    user = accounts.create_user(
        db,
        actor_id=SYSTEM,
        username=args.username,
        display_name=args.name or args.username,
        password=_password_from(args),
        email=args.email,
        is_system_admin=args.system_admin,
    )
    if args.organiser:
        user = accounts.set_organiser(db, actor_id=SYSTEM, user_id=user.id, organiser=True)
    what = "system administrator" if user.is_system_admin else "organiser" if user.is_organiser else "user"
    print(f"Created {what} {user.username} (id {user.id}).")
    if args.roundtable is not None:
        m = roundtables.set_membership(
            db,
            actor_id=SYSTEM,
            roundtable_id=args.roundtable,
            user_id=user.id,
            role=args.role,
            organisation=args.organisation,
        )
        print(f"{user.username} is {m.role} in roundtable {args.roundtable}.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from recdraft.services import accounts
    from recdraft.services._base import SYSTEM

    users = accounts.list_users(_db(), actor_id=SYSTEM)
    print(f"{'id':>4}  {'username':<20} {'active':<7} {'sysadmin':<9} {'organiser':<10} name")
    for u in users:
        print(
            f"{u.id:>4}  {u.username:<20} {'yes' if u.is_active else 'no':<7} "
            f"{'yes' if u.is_system_admin else 'no':<9} {'yes' if u.is_organiser else 'no':<10} {u.display_name}"
        )
    return 0


def cmd_user_set_role(args: argparse.Namespace) -> int:
    from recdraft.services import accounts, roundtables
    from recdraft.services._base import SYSTEM

    db = _db()
    user = accounts.find_user(db, username=args.username)
    m = roundtables.set_membership(
        db,
        actor_id=SYSTEM,
        roundtable_id=args.roundtable,
        user_id=user.id,
        role=args.role,
        organisation=args.organisation,
    )
    print(f"{user.username} is now {m.role} in roundtable {args.roundtable}.")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    from recdraft.services import accounts
    from recdraft.services._base import SYSTEM

    db = _db()
    user = accounts.find_user(db, username=args.username)
    accounts.set_active(db, actor_id=SYSTEM, user_id=user.id, active=False)
    print(f"{user.username} is deactivated; their sessions have ended.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from recdraft.services import backup
    from recdraft.services._base import SYSTEM

    size = backup.backup_to_file(_db(), actor_id=SYSTEM, path=args.out)  # owner-only file (0600)
    print(f"Backup written to {args.out} ({size:,} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from recdraft.db.migrate import upgrade_to_head
    from recdraft.services import backup
    from recdraft.services._base import SYSTEM

    upgrade_to_head(config.database_url())
    counts = backup.restore_from_file(_db(), actor_id=SYSTEM, path=args.file, replace=args.replace)
    total = sum(counts.values())
    if args.replace:
        print("Every row that was in the database was replaced; everybody signs in again.")
    print(f"Restored {total:,} rows into {_safe_url(config.database_url())}:")
    for table, n in counts.items():
        if n:
            print(f"  {table}: {n}")
    return 0


def _against(value: str | None) -> int | str | None:
    """``--against``: a snapshot id, or 'sent' / 'first' (the service explains anything else)."""
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def cmd_export_memo(args: argparse.Namespace) -> int:
    from recdraft.services import memo
    from recdraft.services._base import SYSTEM

    db = _db()
    roundtable_id = args.roundtable if args.roundtable is not None else memo.default_roundtable(db)
    last = [-1]

    def progress(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if percent // 10 != last[0] // 10 or fraction >= 1.0:
            print(f"[{percent:3d}%] {message}", file=sys.stderr)
            last[0] = percent

    result = memo.export_memo(
        db,
        actor_id=SYSTEM,
        roundtable_id=roundtable_id,
        lang=args.lang,
        variant=args.variant,
        against=_against(args.against),
        progress=progress,
        format=args.format,
        page_numbers=args.page_numbers,
    )
    Path(args.out).write_bytes(result.content)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.variant == "final":
        if result.is_final:
            print(f"Final memo written to {args.out}; snapshot {result.snapshot_id}, SHA-256 {result.sha256}")
        else:
            print(f"DRAFT memo written to {args.out}. What blocks the final version:")
            for blocker in result.blockers:
                print(f"  - {blocker}")
    else:
        print(f"{args.variant.capitalize()} memo written to {args.out}.")
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    from recdraft.services import memo
    from recdraft.services._base import SYSTEM

    db = _db()
    if args.verify is not None:
        ok = memo.verify_snapshot(db, actor_id=SYSTEM, snapshot_id=args.verify)
        print(f"Snapshot {args.verify}: {'intact' if ok else 'ALTERED: its text no longer matches its SHA-256'}")
        return 0 if ok else 1
    if args.show is not None:
        sys.stdout.buffer.write(memo.snapshot_text(db, actor_id=SYSTEM, snapshot_id=args.show).encode("utf-8"))
        return 0
    roundtable_id = args.roundtable if args.roundtable is not None else memo.default_roundtable(db)
    rows = memo.list_snapshots(db, actor_id=SYSTEM, roundtable_id=roundtable_id)
    if not rows:
        print("No final memo has been exported yet.")
    for r in rows:
        print(
            f"{r.id:>4}  {r.created_at:%Y-%m-%d %H:%M} UTC  {r.lang:<5}  {r.recommendations:>3} recommendations  {r.sha256}"
        )
    return 0


def cmd_export_research(args: argparse.Namespace) -> int:
    from recdraft.services import memo, research
    from recdraft.services._base import SYSTEM

    db = _db()
    roundtable_id = args.roundtable if args.roundtable is not None else memo.default_roundtable(db)
    result = research.export_research(db, actor_id=SYSTEM, roundtable_id=roundtable_id, lang=args.lang)
    Path(args.out).write_bytes(result.content)
    counts = ", ".join(f"{n} {name}" for name, n in result.rows.items())
    print(f"Research data written to {args.out} ({counts}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from recdraft.serve import serve

    return serve(address=args.address, port=args.port)


def cmd_tick(args: argparse.Namespace) -> int:
    from recdraft.services.outbox import tick

    report = tick(_db())
    sent = report.sent
    print(
        f"closed rounds: {len(report.closed_rounds)}; reminders queued: {report.reminders}; digests: "
        f"{report.digests}; sent: {sent.sent}, retrying: {sent.deferred}, failed: {sent.failed}"
    )
    for error in sent.errors[:20]:
        print(f"  {error}", file=sys.stderr)
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every command has help text."""
    parser = argparse.ArgumentParser(
        prog="recdraft",
        description="recdraft: turn an expert roundtable into a recommendations memo for parliament. "
        "The database is RECDRAFT_DATABASE_URL (default: SQLite file data/recdraft.sqlite3).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "init-db",
        help="create or upgrade the database schema to the newest version",
        description="Create the database (if SQLite) and upgrade its schema to the newest migration.",
    )
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser(
        "demo",
        help="load the 6 February 2025 demo roundtable (idempotent)",
        description="Load the demo roundtable with accounts admin, moderator, expert1..expert6 and "
        "observer. Running it again changes nothing.",
    )
    p.add_argument("--password", default="demo", help="password of the demo accounts (default: demo)")
    p.set_defaults(func=cmd_demo)

    user = sub.add_parser(
        "user", help="manage accounts: add, list, set-role, deactivate", description="Manage accounts."
    )
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = usub.add_parser("add", help="create an account (asks for the password)", description="Create an account.")
    p.add_argument("username", help="sign-in name: 2-64 of a-z 0-9 . _ -")
    p.add_argument("--name", help="display name (default: the user name)")
    p.add_argument("--email", help="e-mail address (used for single sign-on)")
    p.add_argument("--password", help="password (prefer the prompt or --password-stdin)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument(
        "--system-admin",
        action="store_true",
        help="may manage accounts and backups and create roundtables (the first account of a school)",
    )
    p.add_argument(
        "--organiser", action="store_true", help="may create roundtables (and administers each one they create)"
    )
    p.add_argument("--roundtable", type=int, help="also add the person to this roundtable id")
    p.add_argument(
        "--role",
        default=Role.EXPERT.value,
        choices=[r.value for r in Role],
        help="role in --roundtable (default: expert)",
    )
    p.add_argument("--organisation", default="", help="organisation shown in the participants annex")
    p.set_defaults(func=cmd_user_add)
    p = usub.add_parser("list", help="list all accounts", description="List all accounts.")
    p.set_defaults(func=cmd_user_list)
    p = usub.add_parser(
        "set-role",
        help="set a person's role in a roundtable (takes effect on their next action)",
        description="Set a person's role in a roundtable.",
    )
    p.add_argument("username", help="the person's user name")
    p.add_argument("role", choices=[r.value for r in Role], help="the new role")
    p.add_argument("--roundtable", type=int, default=1, help="roundtable id (default: 1)")
    p.add_argument("--organisation", default=None, help="also set the organisation")
    p.set_defaults(func=cmd_user_set_role)
    p = usub.add_parser(
        "deactivate",
        help="deactivate an account and end its sessions at once",
        description="Deactivate an account; its sign-in sessions end at once.",
    )
    p.add_argument("username", help="the person's user name")
    p.set_defaults(func=cmd_user_deactivate)

    p = sub.add_parser(
        "backup",
        help="write the whole database to one versioned JSON file",
        description="Write the whole database to one versioned JSON file.",
    )
    p.add_argument("--out", required=True, help="the JSON file to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="restore a backup file into an empty database (or --replace the data)",
        description="Restore a backup JSON file into an empty database (refuses a non-empty one "
        "unless --replace is given).",
    )
    p.add_argument("file", help="the backup JSON file")
    p.add_argument(
        "--replace",
        action="store_true",
        help="delete every row now in the database and load the backup instead, in one transaction "
        "(nothing changes when the file is refused); ends every sign-in session",
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "export-memo",
        help="export the memo for parliament as a Word file or PDF/A",
        description="Export the memo (.docx, or PDF/A-2b through LibreOffice). A final memo needs every included comment moderated and "
        "every included recommendation adopted by a closed vote; otherwise a DRAFT is written "
        "that lists what blocks the final version.",
    )
    p.add_argument("--out", required=True, help="the file to write (.docx, or .pdf with --format pdf)")
    p.add_argument(
        "--format",
        default="docx",
        choices=["docx", "pdf"],
        help="docx (Word) or pdf (PDF/A-2b with fonts embedded and page numbers; needs LibreOffice)",
    )
    p.add_argument(
        "--page-numbers",
        action="store_true",
        help="fill the Word contents' page numbers through LibreOffice (slower; PDF always has them)",
    )
    p.add_argument("--roundtable", type=int, help="roundtable id (default: the newest)")
    p.add_argument(
        "--lang",
        default="en",
        choices=["en", "ru", "kk", "kk+ru"],
        help="language: en, ru, kk, or kk+ru side by side (default: en)",
    )
    p.add_argument(
        "--variant",
        default="final",
        choices=["final", "review", "redline", "comparison"],
        help="final memo, review copy with Word comments, redline with tracked changes, "
        "or comparison table (default: final)",
    )
    p.add_argument(
        "--against",
        metavar="ID|sent|first",
        help="what a redline or comparison compares with: a snapshot id, 'sent' (the last snapshot "
        "sent to parliament; the default, else the first drafts) or 'first' (the first drafts)",
    )
    p.set_defaults(func=cmd_export_memo)

    p = sub.add_parser(
        "snapshots",
        help="list final-memo snapshots, show or verify one",
        description="List the frozen snapshots final exports stored, print one's canonical JSON "
        "(--show) or check that it still matches its SHA-256 (--verify).",
    )
    p.add_argument("--roundtable", type=int, help="roundtable id (default: the newest)")
    p.add_argument("--show", type=int, metavar="ID", help="print the snapshot's canonical JSON")
    p.add_argument("--verify", type=int, metavar="ID", help="recompute and compare the snapshot's SHA-256")
    p.set_defaults(func=cmd_snapshots)

    p = sub.add_parser(
        "export-research",
        help="export a roundtable's data for researchers as one ZIP",
        description="Export recommendations, revisions, published comments and votes as CSV and XLSX "
        "in one ZIP with a data dictionary. People who withheld their names are 'Participant N' as in "
        "the memo; anonymous rounds name no voter.",
    )
    p.add_argument("--out", required=True, help="the .zip file to write")
    p.add_argument("--roundtable", type=int, help="roundtable id (default: the newest)")
    p.add_argument(
        "--lang", default="en", choices=["en", "ru", "kk"], help="language of the 'Participant N' labels (default: en)"
    )
    p.set_defaults(func=cmd_export_research)

    p = sub.add_parser(
        "serve",
        help="start one production replica (no demo accounts; needs RECDRAFT_SECRET)",
        description="Start recdraft for real use: checks every setting and that the database schema "
        "is current, requires RECDRAFT_SECRET, never loads or lists demo accounts, serves under "
        "RECDRAFT_BASE_PATH and logs one line per request. Put a reverse proxy with TLS in front "
        "(docs/deploy.md; deploy/Caddyfile).",
    )
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, reachable only through the proxy)",
    )
    p.add_argument("--port", type=int, default=8501, help="port to listen on (default: 8501)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "tick",
        help="the clock: close due rounds, queue reminders and digests, send the mail",
        description="Run every minute (systemd timer deploy/recdraft-tick.timer, or cron): closes "
        "voting rounds past their closing time as closing by hand would, queues reminders "
        "(RECDRAFT_SMTP_REMINDER_HOURS before a round closes) and the daily digests, and sends "
        "the outbox with retries. Safe to run twice at once. Without RECDRAFT_SMTP_HOST it only "
        "closes rounds.",
    )
    p.set_defaults(func=cmd_tick)

    return parser


# Commands that create the database when it is missing; the others refuse, so that a command run from the
# wrong folder does not silently make an empty ./data/recdraft.sqlite3 there.
_CREATES_DATABASE = {"init-db", "demo", "restore"}


def _check_database_exists(command: str) -> None:
    url = config.database_url()
    path = config.sqlite_path(url)
    if command in _CREATES_DATABASE or path is None or path.exists():
        return
    where = (
        "RECDRAFT_DATABASE_URL"
        if os.environ.get("RECDRAFT_DATABASE_URL", "").strip()
        else Msg("h_rest.cli.default_database", folder=str(Path.cwd()))
    )
    raise RecdraftError("h_rest.cli.no_database", path=str(path.resolve()), where=where)


def _database_problem(exc: Exception) -> str | None:
    """A person's message for a database that cannot be used, or None when the error is something else."""
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError, OperationalError, ProgrammingError

    from recdraft.serve import first_line, safe_url

    url = safe_url(config.database_url())
    text = first_line(exc)
    if isinstance(exc, NoSuchModuleError):
        return f"RECDRAFT_DATABASE_URL names a database driver recdraft does not have ({text})."
    if isinstance(exc, (OperationalError, ProgrammingError)) and (
        "no such table" in text or ("relation" in text and "does not exist" in text)
    ):
        return f"The database {url} has no recdraft tables yet ({text}): run `recdraft init-db` first."
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return (
            f"Cannot use the database {url}: {text}. Check RECDRAFT_DATABASE_URL and that the database "
            "server is running (docs/deploy.md)."
        )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recdraft`` console script."""
    from sqlalchemy.exc import SQLAlchemyError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config.check_settings()
        _check_database_exists(args.command)
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a reader that went away is a BrokenPipeError handled below
        return code
    except (RecdraftError, config.ConfigError) as exc:
        print(f"recdraft: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        message = _database_problem(exc)
        if message is None:
            raise
        print(f"recdraft: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``recdraft snapshots | head``): stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
