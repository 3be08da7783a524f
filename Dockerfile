# eSvitlo monitor: one image for every instance (embedded SQLite or PostgreSQL + Redis).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin esvitlo \
    && mkdir -p /data \
    && chown esvitlo:esvitlo /data

USER esvitlo

# Without DATABASE_URL the instance keeps an SQLite file in the /data volume.
ENV DATABASE_URL=sqlite:////data/esvitlo.db \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    METRICS_PORT=9464 \
    ESVITLO_LOG_FORMAT=json
VOLUME ["/data"]
# 8080: public (/health, /hb/, /webhook); /metrics and /health/ready listen on
# METRICS_HOST:METRICS_PORT, 127.0.0.1:9464 unless METRICS_HOST says otherwise.
EXPOSE 8080

# Ready = database (and Redis) answer and a region's schedule was fetched lately.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('METRICS_PORT', '9464') + '/health/ready', timeout=4)"]

# `esvitlo run` migrates the database first (one instance at a time on PostgreSQL) and
# stops cleanly on SIGTERM: messages in flight are finished or handed back.
STOPSIGNAL SIGTERM
CMD ["esvitlo", "run"]
