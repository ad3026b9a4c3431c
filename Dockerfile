FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUICHET_VAR_DIR=/app/var

WORKDIR /app
# The exact versions of requirements.lock, checked against their hashes (a layer of its own: rebuilt only
# when the lock changes). The code runs from /app, where manage.py, gunicorn and celery find it.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN SECRET_KEY=collectstatic DATABASE_URL=sqlite:////tmp/build.sqlite3 STATIC_MANIFEST=1 \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app guichet \
 && mkdir -p /app/var/beat /app/var/status /app/var/media \
 && chown -R guichet /app/var

USER guichet
EXPOSE 8000
# Two processes of two threads suit two cores with PostgreSQL beside them (README, Benchmarks): one worker
# per core; while one thread waits for the database, the other works.
CMD ["gunicorn", "hub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--worker-class", "gthread", "--threads", "1", "--access-logfile", "-"]
