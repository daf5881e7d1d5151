"""`craftls audit tail` and `craftls doctor`: operations commands that work offline."""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from craftls.ops import paths
from craftls.ops.audit_files import read_audit, verify_audit_dir

DoctorResult = tuple[str, bool, str]
DoctorCheck = Callable[..., DoctorResult]

# Extra checks added by other parts of craftls (definitions valid, registry
# reachable, cache integrity): `DOCTOR_CHECKS.append(fn)`, fn() -> (name, ok, message).
DOCTOR_CHECKS: list[DoctorCheck] = []


def register(subparsers: Any) -> None:
    """Add the `audit` and `doctor` subcommands to the main parser's subparsers."""
    audit = subparsers.add_parser("audit", help="read the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="COMMAND")
    audit_sub.required = True
    tail = audit_sub.add_parser("tail", help="print the last audit records")
    tail.add_argument("-n", "--lines", type=int, default=20, dest="n",
                      help="number of records to print (default 20)")
    tail.add_argument("-f", "--follow", action="store_true", help="keep printing new records")
    tail.add_argument("--json", action="store_true", help="print raw JSON lines")
    tail.add_argument("--log-dir", help=f"audit folder (default ${paths.LOG_DIR_ENV} or the user log dir)")
    tail.set_defaults(func=audit_tail)

    doctor = subparsers.add_parser("doctor", help="check the installation (offline)")
    doctor.add_argument("--log-dir", help="audit folder to check")
    doctor.add_argument("--cache-dir", help="cache folder to check")
    doctor.add_argument("--config-dir", help="configuration folder to check")
    doctor.add_argument("--json", action="store_true", help="print results as JSON")
    doctor.set_defaults(func=doctor_cmd)


# -- audit tail --------------------------------------------------------------

def format_record(rec: dict[str, Any]) -> str:
    """One readable line: time, type, action, outcome, target, duration, error category."""
    parts = [str(rec.get("timestamp", "?")), str(rec.get("event_type", "?")),
             str(rec.get("action", "?")), str(rec.get("outcome", "?"))]
    if rec.get("target"):
        parts.append(str(rec["target"]))
    if rec.get("duration_ms") is not None:
        parts.append(f"{rec['duration_ms']:.1f}ms")
    if rec.get("error_category"):
        parts.append(f"[{rec['error_category']}]")
    if rec.get("details"):
        parts.append(json.dumps(rec["details"], ensure_ascii=False, sort_keys=True))
    return "  ".join(parts)


def audit_tail(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    directory = paths.log_dir(args.log_dir)
    if not directory.is_dir() and not args.follow:
        print(f"no audit log in {directory}", file=sys.stderr)
        return 1
    try:
        for rec in read_audit(directory, max(args.n, 0), args.follow):
            line = json.dumps(rec, ensure_ascii=False) if args.json else format_record(rec)
            print(line, file=out, flush=args.follow)
    except KeyboardInterrupt:
        pass  # Ctrl-C ends --follow; that is success
    except BrokenPipeError:
        # `craftls audit tail | head`: the reader left. Point stdout at /dev/null so
        # the interpreter's final flush does not print a second BrokenPipeError.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


# -- doctor ------------------------------------------------------------------

def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def dir_writable_check(label: str, directory: Path) -> DoctorResult:
    """A folder is fine if it is writable, or missing but creatable (nothing is created)."""
    if directory.exists() and not directory.is_dir():
        return label, False, f"{directory} exists but is not a folder"
    if not directory.exists():
        parent = _nearest_existing(directory)
        ok = parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
        message = "will be created" if ok else f"cannot be created ({parent} not writable)"
        return label, ok, f"{directory}: {message}"
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        return label, False, f"{directory}: not writable ({exc.strerror or exc})"
    return label, True, str(directory)


def audit_readable_check(directory: Path) -> DoctorResult:
    label = "audit log readable"
    if not directory.exists():
        return label, True, "no audit files yet"
    report = verify_audit_dir(directory)
    if report.unreadable:
        return label, False, "unreadable: " + "; ".join(report.unreadable)
    if report.malformed:
        return label, False, (f"{report.malformed} malformed lines in {report.files} files "
                               f"({report.records} records ok)")
    return label, True, f"{report.records} records in {report.files} files"


def _run_check(check: DoctorCheck, options: dict[str, Any]) -> DoctorResult:
    """Run one check; a check that declares a keyword in ``options`` (``cache_dir``)
    gets the folder the user named on the command line."""
    name = getattr(check, "__name__", "check")
    try:
        wanted = _accepted(check, options)
        name, ok, message = check(**wanted)
        return str(name), bool(ok), str(message)
    except Exception as exc:  # a broken check is a problem to report, not a crash
        return name, False, f"check raised {type(exc).__name__}: {exc}"


def _accepted(check: DoctorCheck, options: dict[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(check).parameters
    except (TypeError, ValueError):
        return {}
    return {k: v for k, v in options.items() if k in params}


def run_doctor(log_dir: Path, cache_dir: Path, config_dir: Path,
               extra: list[DoctorCheck] | None = None,
               options: dict[str, Any] | None = None) -> list[DoctorResult]:
    builtin: list[DoctorCheck] = [
        lambda: dir_writable_check("log dir writable", log_dir),
        lambda: dir_writable_check("cache dir writable", cache_dir),
        lambda: dir_writable_check("config dir writable", config_dir),
        lambda: audit_readable_check(log_dir),
    ]
    return [_run_check(c, options or {})
            for c in [*builtin, *(DOCTOR_CHECKS if extra is None else extra)]]


def format_table(results: list[DoctorResult]) -> str:
    width = max((len(name) for name, _, _ in results), default=5)
    lines = [f"{'':4}  {'CHECK':<{width}}  DETAIL"]
    lines += [f"{'ok' if ok else 'FAIL':4}  {name:<{width}}  {message}"
              for name, ok, message in results]
    problems = sum(1 for _, ok, _ in results if not ok)
    lines.append("")
    lines.append("all checks passed" if not problems else f"{problems} problem(s) found")
    return "\n".join(lines)


def doctor_cmd(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    results = run_doctor(paths.log_dir(args.log_dir), paths.cache_dir(args.cache_dir),
                         paths.config_dir(args.config_dir),
                         options={"cache_dir": args.cache_dir})
    if args.json:
        print(json.dumps([{"check": n, "ok": ok, "message": m} for n, ok, m in results],
                         indent=2), file=out)
    else:
        print(format_table(results), file=out)
    return 0 if all(ok for _, ok, _ in results) else 1
