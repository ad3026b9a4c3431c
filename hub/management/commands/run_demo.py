import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

COLOURS = {"web": "\033[36m", "worker": "\033[35m", "beat": "\033[33m"}


class Command(BaseCommand):
    help = (
        "Run the web server, a Celery worker and the Celery beat scheduler together; Ctrl-C stops all three."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address of the web server")

    def handle(self, *args, addr, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", "--noreload", addr],
            "worker": [python, "-m", "celery", "-A", "hub", "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "hub",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        processes = {}
        for name, command in commands.items():
            processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
                command,
                cwd=settings.BASE_DIR,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            threading.Thread(target=self._relay, args=(name, processes[name]), daemon=True).start()
        self.stdout.write(f"Guichet runs on http://{addr}/ — press Ctrl-C to stop web, worker and scheduler.")
        try:
            while not stopping.is_set():
                ended = [name for name, process in processes.items() if process.poll() is not None]
                if ended:
                    self.stderr.write(f"{', '.join(ended)} stopped; stopping the others.")
                    break
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(timeout=max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    process.kill()
        if (
            any(process.returncode not in (0, -signal.SIGTERM) for process in processes.values())
            and not stopping.is_set()
        ):
            sys.exit(1)

    def _relay(self, name, process):
        colour, reset = (COLOURS[name], "\033[0m") if sys.stdout.isatty() else ("", "")
        for line in process.stdout:
            sys.stdout.write(f"{colour}{name:<6}|{reset} {line}")
            sys.stdout.flush()
