"""The ``recdraft`` command: database set-up, demo data, accounts, backups (and the memo, once built).

Every sub-command is documented in ``recdraft --help``; a test fails when one is not.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence  # noqa: F401
from pathlib import Path

from recdraft import config
from recdraft.errors import RecdraftError

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

    upgrade_to_head(config.database_url())
    db = _db()
    report = load_demo(db, password=args.password)
    if report.created:
        print(f"Demo roundtable loaded (id {report.roundtable_id}): {report.summary}")
    else:
        print(f"Demo roundtable already present (id {report.roundtable_id}); nothing changed.")
    print("Demo sign-ins (password: " + ("as given" if args.password != "demo" else "demo") + "): "
          + ", ".join(report.usernames))
    return 0


def _password_from(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if args.password:
        return args.password
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise RecdraftError("The passwords do not match.")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from recdraft.services import accounts, roundtables
    from recdraft.services._base import SYSTEM

    db = _db()
    user = accounts.create_user(db, actor_id=SYSTEM, username=args.username,
                                display_name=args.name or args.username, password=_password_from(args),
                                email=args.email, is_system_admin=args.system_admin)
    print(f"Created user {user.username} (id {user.id}).")
    if args.roundtable is not None:
        m = roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=args.roundtable, user_id=user.id,
                                       role=args.role, organisation=args.organisation)
        print(f"{user.username} is {m.role} in roundtable {args.roundtable}.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from recdraft.services import accounts
    from recdraft.services._base import SYSTEM

    users = accounts.list_users(_db(), actor_id=SYSTEM)
    print(f"{'id':>4}  {'username':<20} {'active':<7} {'sysadmin':<9} name")
    for u in users:
        print(f"{u.id:>4}  {u.username:<20} {'yes' if u.is_active else 'no':<7} "
              f"{'yes' if u.is_system_admin else 'no':<9} {u.display_name}")
    return 0


def cmd_user_set_role(args: argparse.Namespace) -> int:
    from recdraft.services import accounts, roundtables
    from recdraft.services._base import SYSTEM

    db = _db()
    user = accounts.find_user(db, username=args.username)
    m = roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=args.roundtable, user_id=user.id,
                                   role=args.role, organisation=args.organisation)
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

    data = backup.backup(_db(), actor_id=SYSTEM)
    Path(args.out).write_bytes(data)
    print(f"Backup written to {args.out} ({len(data):,} bytes).")
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

    result = memo.export_memo(db, actor_id=SYSTEM, roundtable_id=roundtable_id, lang=args.lang,
                              variant=args.variant, against=args.against, progress=progress)
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
        print(f"{r.id:>4}  {r.created_at:%Y-%m-%d %H:%M} UTC  {r.lang:<5}  {r.recommendations:>3} recommendations  {r.sha256}")
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

    p = sub.add_parser("init-db", help="create or upgrade the database schema to the newest version",
                       description="Create the database (if SQLite) and upgrade its schema to the newest migration.")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("demo", help="load the 6 February 2025 demo roundtable (idempotent)",
                       description="Load the demo roundtable with accounts admin, moderator, expert1..expert6 and "
                       "observer. Running it again changes nothing.")
    p.add_argument("--password", default="demo", help="password of the demo accounts (default: demo)")
    p.set_defaults(func=cmd_demo)

    user = sub.add_parser("user", help="manage accounts: add, list, set-role, deactivate",
                          description="Manage accounts.")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = usub.add_parser("add", help="create an account (asks for the password)", description="Create an account.")
    p.add_argument("username", help="sign-in name: 2-64 of a-z 0-9 . _ -")
    p.add_argument("--name", help="display name (default: the user name)")
    p.add_argument("--email", help="e-mail address (used for single sign-on)")
    p.add_argument("--password", help="password (prefer the prompt or --password-stdin)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--system-admin", action="store_true", help="may manage accounts and backups")
    p.add_argument("--roundtable", type=int, help="also add the person to this roundtable id")
    p.add_argument("--role", default="expert", choices=["admin", "moderator", "expert", "observer"],
                   help="role in --roundtable (default: expert)")
    p.add_argument("--organisation", default="", help="organisation shown in the participants annex")
    p.set_defaults(func=cmd_user_add)
    p = usub.add_parser("list", help="list all accounts", description="List all accounts.")
    p.set_defaults(func=cmd_user_list)
    p = usub.add_parser("set-role", help="set a person's role in a roundtable (takes effect on their next action)",
                        description="Set a person's role in a roundtable.")
    p.add_argument("username", help="the person's user name")
    p.add_argument("role", choices=["admin", "moderator", "expert", "observer"], help="the new role")
    p.add_argument("--roundtable", type=int, default=1, help="roundtable id (default: 1)")
    p.add_argument("--organisation", default=None, help="also set the organisation")
    p.set_defaults(func=cmd_user_set_role)
    p = usub.add_parser("deactivate", help="deactivate an account and end its sessions at once",
                        description="Deactivate an account; its sign-in sessions end at once.")
    p.add_argument("username", help="the person's user name")
    p.set_defaults(func=cmd_user_deactivate)

    p = sub.add_parser("backup", help="write the whole database to one versioned JSON file",
                       description="Write the whole database to one versioned JSON file.")
    p.add_argument("--out", required=True, help="the JSON file to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup file into an empty database (or --replace the data)",
                       description="Restore a backup JSON file into an empty database (refuses a non-empty one "
                                   "unless --replace is given).")
    p.add_argument("file", help="the backup JSON file")
    p.add_argument("--replace", action="store_true",
                   help="delete every row now in the database and load the backup instead, in one transaction "
                        "(nothing changes when the file is refused); ends every sign-in session")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("export-memo", help="export the memo for parliament as a Word file",
                       description="Export the memo (.docx). A final memo needs every included comment moderated and "
                       "every included recommendation adopted by a closed vote; otherwise a DRAFT is written "
                       "that lists what blocks the final version.")
    p.add_argument("--out", required=True, help="the .docx file to write")
    p.add_argument("--roundtable", type=int, help="roundtable id (default: the newest)")
    p.add_argument("--lang", default="en", choices=["en", "ru", "kk", "kk+ru"],
                   help="language: en, ru, kk, or kk+ru side by side (default: en)")
    p.add_argument("--variant", default="final", choices=["final", "review", "redline", "comparison"],
                   help="final memo, review copy with Word comments, redline with tracked changes, "
                   "or comparison table (default: final)")
    p.add_argument("--against", type=int, help="snapshot id to compare with (redline, comparison; default: latest)")
    p.set_defaults(func=cmd_export_memo)

    p = sub.add_parser("snapshots", help="list final-memo snapshots, show or verify one",
                       description="List the frozen snapshots final exports stored, print one's canonical JSON "
                       "(--show) or check that it still matches its SHA-256 (--verify).")
    p.add_argument("--roundtable", type=int, help="roundtable id (default: the newest)")
    p.add_argument("--show", type=int, metavar="ID", help="print the snapshot's canonical JSON")
    p.add_argument("--verify", type=int, metavar="ID", help="recompute and compare the snapshot's SHA-256")
    p.set_defaults(func=cmd_snapshots)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recdraft`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RecdraftError as exc:
        print(f"recdraft: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
