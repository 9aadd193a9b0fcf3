"""A real PostgreSQL server for tests: Debian's binaries, a new cluster in a temporary folder, on a
free port of 127.0.0.1. PostgreSQL refuses to run as root, so under root it runs as the
`postgres` user that Debian's package creates; `make test` installs the package when missing."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.ports import free_port

BINARIES = Path("/usr/lib/postgresql")
USER = "inbox"  # the database superuser the tests connect as (trust, on 127.0.0.1 only)


def binaries() -> Path:
    """The newest installed version's bin folder."""
    found = sorted(BINARIES.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise RuntimeError(f"No PostgreSQL under {BINARIES}: `make test` installs it.")
    return found[-1].parent


class PostgresServer:
    def __init__(self, durable: bool = False):
        """`durable`: commits wait for the disk, as in production (benchmarks). Tests skip
        that: their clusters are thrown away."""
        self.bin = binaries()
        self.port = free_port()
        # Not under pytest's own temporary folder: the postgres user could not enter it.
        self.folder = Path(tempfile.mkdtemp(prefix="inbox-postgres-"))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._run(
            "initdb", "-D", self.data, "-U", USER, "--auth=trust", "--encoding=UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")

    def cpu_seconds(self) -> float:
        """CPU the server has used: the postmaster, its live backends, and the ended ones."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended while we looked
            if int(stat.parent.name) == pid:  # with its waited-for children's time
                total += sum(int(f) for f in fields[11:15]) / 100
            elif int(fields[1]) == pid:
                total += (int(fields[11]) + int(fields[12])) / 100
        return total

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args) -> None:
        command = [str(self.bin / program), *map(str, args)]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}\n{log}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
