"""`wangge audit verify`: check the audit log's hash chain, live or archived.
`wangge audit archive`: move entries older than the retention to an archive file."""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wangge.audit import archives
from wangge.audit.selectors import archive_links_check, chain_start, chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain, or archive its oldest entries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute every hash and check every link")
        verify.add_argument("--chunk-size", type=int, default=5000, help="rows per fetch")
        verify.add_argument(
            "--archive", type=Path, metavar="FILE", help="check this archive file instead"
        )
        archive = sub.add_parser("archive", help="move old entries to an archive file")
        archive.add_argument(
            "--before",
            metavar="DATE",
            help="archive entries before this day (local time) or ISO time; "
            "default: now less WANGGE_AUDIT_RETENTION_DAYS",
        )
        archive.add_argument("--chunk-size", type=int, default=5000, help="rows per fetch")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "archive":
            self.archive(options["before"], options["chunk_size"])
        elif options["archive"] is not None:
            self.verify_archive(options["archive"])
        else:
            self.verify(options["chunk_size"])

    def verify(self, chunk_size: int) -> None:
        unlinked = archive_links_check()
        if unlinked is not None:
            raise CommandError(
                f"archive record {unlinked.pk} ({unlinked.file_name}) does not start where "
                "the archive before it ended"
            )
        start = chain_start()
        report = chain_verify(chunk_size=chunk_size)
        if report.first_break is not None:
            intact = report.rows - 1
            raise CommandError(
                f"audit chain broken at {report.first_break}; "
                f"{intact} {'row' if intact == 1 else 'rows'} before it intact"
            )
        self.stdout.write(f"audit chain intact: {report.rows} rows")
        if start != archives.chain.GENESIS:
            self.stdout.write(f"(continuing from the last archived entry, hash {start})")
        if report.last_id is not None:
            self.stdout.write(
                f"last entry: {report.last_id}, hash {report.last_hash} "
                "(note it elsewhere: a removed last row shows only against it)"
            )

    def verify_archive(self, path: Path) -> None:
        archive, report, problems = archives.archive_file_verify(path)
        if problems:
            raise CommandError(f"archive {path} is not intact:\n- " + "\n- ".join(problems))
        assert archive is not None and report is not None  # no problem means both are there
        self.stdout.write(
            f"archive {path.name} intact: {archive.rows} rows, entries "
            f"{archive.first_id}–{archive.last_id}, SHA-256 {report.sha256} as recorded"
        )

    def archive(self, before_text: str | None, chunk_size: int) -> None:
        before = cutoff(before_text)
        try:
            archive = archives.entries_archive(actor=None, before=before, chunk_size=chunk_size)
        except archives.ArchiveRefused as refusal:
            raise CommandError(f"archive refused, nothing deleted: {refusal}") from None
        if archive is None:
            local = timezone.localtime(before).isoformat()  # in the district's time
            self.stdout.write(f"nothing to archive: no entry before {local}")
            return
        self.stdout.write(
            f"archived {archive.rows} entries ({archive.first_id}–{archive.last_id}) to "
            f"{archives.archive_directory() / archive.file_name}\nSHA-256 {archive.file_sha256}"
        )


def cutoff(text: str | None) -> datetime.datetime:
    if text is None:
        default = archives.retention_cutoff()
        if default is None:
            raise CommandError(
                "WANGGE_AUDIT_RETENTION_DAYS is not set, so entries are kept in the database "
                "forever; give --before DATE to archive anyway"
            )
        return default
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--before: not a date or ISO time: {text!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
