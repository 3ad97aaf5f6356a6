# Maillage's image: built wheels in one stage, a slim non-root runtime in the other.
# The container never starts the embedded PostgreSQL: MAILLAGE_DATABASE_URL is required.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
COPY server server
COPY schema schema
COPY db db
COPY auth auth
# The versions pinned in requirements.lock (`make lock`), the same in every build.
RUN pip wheel --no-cache-dir --wheel-dir /wheels --constraint requirements.lock .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --create-home --home-dir /app maillage
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER maillage
WORKDIR /app
# MAILLAGE_WORKERS uvicorn workers per container (each with its own pool of MAILLAGE_DATABASE_POOL_SIZE).
ENV MAILLAGE_HOST=0.0.0.0 \
    MAILLAGE_PORT=8000 \
    MAILLAGE_ENVIRONMENT=production \
    MAILLAGE_WORKERS=1 \
    MAILLAGE_LOG_FORMAT=json \
    PYTHONUNBUFFERED=1
EXPOSE 8000
# SIGTERM: readiness turns false, then requests in flight finish and the process exits (server/serving.py).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('MAILLAGE_PORT', '8000'))" || exit 1
ENTRYPOINT ["/bin/sh", "-c", ": \"${MAILLAGE_DATABASE_URL:?MAILLAGE_DATABASE_URL is required in the container}\"; exec maillage \"$@\"", "maillage"]
CMD ["serve"]
