"""Case intake under load: POST /api/v1/cases against a minimal one-row view, same server.

    .venv/bin/python bench/intake.py [--clients 32] [--seconds 20]
    .venv/bin/python bench/intake.py \
        --database-url postgres://postgres@127.0.0.1:5432/wangge_bench_intake

1. A fresh database: SQLite in a temporary folder, or the PostgreSQL database named in
   --database-url (its name must start with `wangge_bench_`; it is dropped and created anew,
   and dropped again at the end). Migrated, with the demo district (`demo_district_load()`),
   a grid worker whose post covers the district, one signed-in session per client, and the
   baseline's table.
2. One server process on loopback, on Django's own serving path (the one `wangge demo` uses:
   `runserver`'s WSGI server, a thread per connection, without the autoreloader; the listen
   backlog raised to 128 so that 32 clients connecting at once are not dropped, and each
   thread's database connection closed when it ends), DEBUG off. It serves the whole
   project plus one extra URL, the baseline: a plain view that inserts one row into a
   one-table model and answers 201 (same middleware, no authentication, no CSRF).
3. --clients threads, each opening a connection per request, send requests for --seconds
   to the baseline, then for --seconds to POST /api/v1/cases (as the grid worker, with session
   cookie and CSRF token; points inside the district's grids, rotating). Requests per second
   of accepted answers (201), median and p95 latency, refusals and errors per phase.
4. Afterwards every accepted case must be in the database with its number, the numbers
   unique, and no case more than accepted; likewise the baseline's rows.
"""

import argparse
import http.client
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CATEGORY = "E0102"  # 暴露垃圾
BASELINE_PATH = "/bench/intake-row"
CASES_PATH = "/api/v1/cases"
urlpatterns: list[Any] = []  # filled in the server process (ROOT_URLCONF is this module)


# --- the database -------------------------------------------------------------------------


def database_prepared(database_url: str | None) -> str:
    """Point the settings at a new database; returns a description for the report."""
    os.environ["WANGGE_DATA_DIR"] = tempfile.mkdtemp(prefix="wangge-bench-intake-")
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
        return f"SQLite in {os.environ['WANGGE_DATA_DIR']}"
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("wangge_bench_"):
        raise SystemExit("the database name must start with wangge_bench_ (it is dropped)")
    database_recreated(database_url)
    os.environ["DATABASE_URL"] = database_url
    return f"PostgreSQL database {name} on {parts.hostname}"


def database_recreated(database_url: str, create: bool = True) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def baseline_model() -> Any:
    """The one-table model of the baseline (defined after Django is set up; not migrated)."""
    from django.apps import apps
    from django.db import models

    known = apps.all_models["bench_intake"].get("row")
    if known is not None:
        return known

    class Row(models.Model):
        note = models.CharField(max_length=200)
        created_at = models.DateTimeField()

        class Meta:
            app_label = "bench_intake"
            db_table = "bench_intake_row"

        def __str__(self) -> str:
            return self.note

    return Row


def setup(clients: int) -> tuple[list[dict[str, str]], list[tuple[float, float]]]:
    """Migrate, load the district, create the reporter's sessions and the baseline's table.
    Returns the cookie/header sets (one per client) and points inside grids."""
    from django.core.management import call_command
    from django.db import connection

    from wangge.demo.services import demo_district_load

    call_command("migrate", verbosity=0)
    demo_district_load()
    with connection.schema_editor() as editor:
        editor.create_model(baseline_model())
    return sessions(clients), grid_points(64)


def sessions(count: int) -> list[dict[str, str]]:
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from wangge.accounts.models import Membership, User

    user = User.objects.create(username="bench_reporter", name="压测网格员")
    Membership.objects.create(
        user=user, role="grid_worker", region_id="620502", starts_on=datetime.date(2026, 1, 1)
    )
    found = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        token = _get_new_csrf_string()
        found.append(
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
            }
        )
    return found


def grid_points(count: int) -> list[tuple[float, float]]:
    import shapely

    from wangge.regions.models import Level, Region

    grids = Region.objects.filter(level=Level.GRID).exclude(boundary=None).order_by("code")
    step = max(1, grids.count() // count)
    points = []
    for region in grids[::step][:count]:
        point = shapely.geometry.shape(region.boundary).representative_point()
        points.append((point.x, point.y))
    return points


# --- the server ---------------------------------------------------------------------------


def baseline_view(request: Any) -> Any:
    from django.http import JsonResponse
    from django.utils import timezone

    body = json.loads(request.body or b"{}")
    row = baseline_model().objects.create(
        note=str(body.get("description", ""))[:200], created_at=timezone.now()
    )
    return JsonResponse({"id": row.pk}, status=201)


def serve(port: int) -> None:
    """The server process: the project's URLs plus the baseline, on runserver's server."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.servers.basehttp import (
        ThreadedWSGIServer,
        get_internal_wsgi_application,
        run,
    )
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from wangge.urls import urlpatterns as project

    baseline_model()  # registered once, before the threads start
    urlpatterns[:] = [path(BASELINE_PATH.lstrip("/"), csrf_exempt(baseline_view)), *project]
    settings.ROOT_URLCONF = __name__

    class Server(ThreadedWSGIServer):
        """runserver's threaded server, closing each request thread's database connection
        when it ends (runserver's own leaves them to the garbage collector, which runs
        PostgreSQL out of connections under this load)."""

        request_queue_size = 128

    run("127.0.0.1", port, get_internal_wsgi_application(), server_cls=Server)


def server_started(port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--serve", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("server did not start within 60 s")


# --- the clients --------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    accepted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: float = 0.0


def one_request(port: int, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body, {**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def client_loop(
    phase: Phase,
    port: int,
    path: str,
    headers: dict[str, str],
    points: list[tuple[float, float]],
    offset: int,
    until: float,
) -> None:
    sent = 0
    while time.monotonic() < until:
        lon, lat = points[(offset + sent) % len(points)]
        body = json.dumps(
            {"category": CATEGORY, "description": "压测：路边垃圾堆积", "lon": lon, "lat": lat}
        ).encode()
        sent += 1
        started = time.perf_counter()
        try:
            status, answer = one_request(port, path, headers, body)
        except OSError as error:
            with phase.lock:
                phase.statuses[type(error).__name__] += 1
            continue
        elapsed = time.perf_counter() - started
        with phase.lock:
            phase.statuses[str(status)] += 1
            if status == 201:
                phase.latencies.append(elapsed)
                data = json.loads(answer)
                phase.accepted.append(str(data.get("number") or data.get("id")))


def run_phase(
    name: str,
    port: int,
    path: str,
    headers: list[dict[str, str]],
    points: list[tuple[float, float]],
    seconds: float,
) -> Phase:
    phase = Phase(name)
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(
            target=client_loop, args=(phase, port, path, each, points, index * 7, until)
        )
        for index, each in enumerate(headers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def phase_line(phase: Phase) -> str:
    accepted = len(phase.accepted)
    others = {key: value for key, value in phase.statuses.items() if key != "201"}
    return (
        f"  {phase.name:<28} {accepted:7,} accepted in {phase.seconds:5.1f} s "
        f"= {accepted / phase.seconds:7.1f}/s   latency median "
        f"{statistics.median(phase.latencies) * 1000 if phase.latencies else 0:7.1f} ms, "
        f"p95 {percentile(phase.latencies, 0.95) * 1000:7.1f} ms   "
        f"not accepted {dict(others) or 0}"
    )


def checked(baseline: Phase, cases: Phase) -> str:
    """Every accepted request is in the database, once; nothing else is."""
    from wangge.cases.models import Case

    numbers = cases.accepted
    stored = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
    rows = baseline_model().objects.count()
    problems = []
    if len(set(numbers)) != len(numbers):
        problems.append("a number was answered twice")
    if stored != set(numbers):
        problems.append(f"{len(set(numbers) - stored)} accepted cases are missing")
    if Case.objects.count() != len(numbers):
        problems.append(f"{Case.objects.count()} cases stored, {len(numbers)} accepted")
    if rows != len(baseline.accepted):
        problems.append(f"{rows} baseline rows stored, {len(baseline.accepted)} accepted")
    if problems:
        raise SystemExit("CHECK FAILED: " + "; ".join(problems))
    return (
        f"check: all {len(numbers):,} accepted cases stored, numbers unique; "
        f"all {rows:,} baseline rows stored"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", help="postgres://…/wangge_bench_… : PostgreSQL")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    if options.serve:
        serve(options.serve)
        return
    print("command:", shlex.join(["python", "bench/intake.py", *sys.argv[1:]]))
    where = database_prepared(options.database_url)
    os.environ.update(
        WANGGE_DEBUG="0",  # as in production: no query log kept in memory
        WANGGE_ALLOWED_HOSTS="127.0.0.1",
        WANGGE_SECURE_COOKIES="0",
        WANGGE_SECRET_KEY=os.environ.get("WANGGE_SECRET_KEY") or "bench-intake-" + "x" * 40,
    )
    import django

    django.setup()
    from django.db import connections

    headers, points = setup(options.clients)
    connections.close_all()
    print(
        f"{where}; Django {django.get_version()}; {options.clients} clients, "
        f"{options.seconds:.0f} s per phase, one connection per request"
    )
    log = Path(os.environ["WANGGE_DATA_DIR"]) / "server.log"
    load_before = os.getloadavg()[0]
    server = server_started(options.port, log)
    try:
        warm = run_phase("warm-up", options.port, CASES_PATH, headers[:2], points, 2)
        baseline = run_phase(
            "baseline: one-row insert view",
            options.port,
            BASELINE_PATH,
            headers,
            points,
            options.seconds,
        )
        cases = run_phase(
            "POST /api/v1/cases", options.port, CASES_PATH, headers, points, options.seconds
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"(load average before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores, client threads and server sharing them)"
    )
    print(phase_line(baseline))
    print(phase_line(cases))
    rate = len(cases.accepted) / cases.seconds
    base_rate = len(baseline.accepted) / baseline.seconds
    print(f"  ratio cases / baseline: {rate / base_rate:.2f}  (target >= 0.5)")
    cases.accepted += warm.accepted  # the warm-up's cases are accepted requests too
    print(checked(baseline, cases))
    connections.close_all()
    if options.database_url:
        database_recreated(options.database_url, create=False)


if __name__ == "__main__":
    main()
